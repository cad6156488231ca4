import { apply, kubectl, kubectlJson, waitFor } from "./lab";

/**
 * A Node kwok plays (annotation kwok.x-k8s.io/node=fake), labelled for one test so that test's
 * workloads land only on its own nodes (they select the label and tolerate nothing else).
 * `lifecycle: "realistic"` hands it to the lab's kwok-realistic instead (kwok.x-k8s.io/node=realistic:
 * pods take 1–5 s to be Ready and up to their grace period to go; lab/control-plane/kwok-realistic.sh).
 */
export async function createKwokNode(
  name: string,
  testLabel: string,
  options: { unschedulable?: boolean; allocatable?: Record<string, string>; lifecycle?: "instant" | "realistic" } = {},
): Promise<void> {
  const allocatable = options.allocatable ?? { cpu: "32", memory: "64Gi", pods: "110" };
  await apply({
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { "kwok.x-k8s.io/node": options.lifecycle === "realistic" ? "realistic" : "fake" },
      labels: { "kubernetes.io/hostname": name, "kw-test": testLabel, type: "kwok" },
    },
    spec: { unschedulable: options.unschedulable ?? false },
    status: { allocatable, capacity: allocatable, nodeInfo: { machineID: `${name}-machine` } },
  });
  await waitFor(`Node ${name} Ready`, async () => {
    const node = await kubectlJson<{ status?: { conditions?: { type: string; status: string }[] } }>(["get", "node", name]);
    return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ? true : undefined;
  });
}

export async function setUnschedulable(name: string, unschedulable: boolean): Promise<void> {
  await kubectl(["patch", "node", name, "--type=merge", "-p", JSON.stringify({ spec: { unschedulable } })]);
}

export async function deleteNodes(names: readonly string[]): Promise<void> {
  if (names.length > 0) await kubectl(["delete", "node", "--ignore-not-found", "--wait=false", ...names]);
}

/** Pods of a namespace by node, as `kubectl get pods -o wide` shows them. */
export async function podsByNode(namespace: string): Promise<Map<string, { name: string; phase: string; ready: boolean }[]>> {
  const list = await kubectlJson<{
    items: { metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string }; status: { phase: string; conditions?: { type: string; status: string }[] } }[];
  }>(["get", "pods", "-n", namespace]);
  const byNode = new Map<string, { name: string; phase: string; ready: boolean }[]>();
  for (const pod of list.items) {
    if (pod.metadata.deletionTimestamp) continue;
    const node = pod.spec.nodeName ?? "(unscheduled)";
    const ready = pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
    byNode.set(node, [...(byNode.get(node) ?? []), { name: pod.metadata.name, phase: pod.status.phase, ready }]);
  }
  return byNode;
}

/**
 * Makes a kwok Node look joined by us: our machine-id annotation equal to the machine-id the Node
 * reports (status.nodeInfo.machineID). Resolves with that machine-id, for the recorded outputs.
 */
export async function markJoinedByUs(name: string): Promise<string> {
  const machineId = await waitFor(`Node ${name} reporting a machine-id`, async () => {
    const node = await kubectlJson<{ status?: { nodeInfo?: { machineID?: string } } }>(["get", "node", name]);
    return node.status?.nodeInfo?.machineID || undefined;
  });
  await kubectl(["annotate", "node", name, "--overwrite", `kubeadm-workers.io/machine-id=${machineId}`]);
  return machineId;
}
