import { resetScript } from "../../../providers/host/join";
import { bootstrapTokenSecrets, kubectl, kubectlJson, labClusterConfig, labHosts, labSsh, requireLab, type LabHost } from "../../integration/support/lab";
import { createLabStack, setConfig, type NodeEntry } from "./lab-stack";
import type { PulumiProject } from "./pulumi-project";

/**
 * One stack for a fault suite, on the lab's three hosts (whose process lists the e2e tier's host
 * sampler records for the secrets scan, as for every suite: ./host-sampler.ts). The hosts may carry
 * Debian's containerd 1.x from another test: containerd.upgrade replaces it, as preflight asks.
 */
export class FaultStack {
  private constructor(
    readonly project: PulumiProject,
    readonly hosts: LabHost[],
  ) {}

  static async open(name: string): Promise<FaultStack> {
    requireLab();
    const hosts = labHosts();
    if (hosts.length < 3) throw new Error(`the ${name} e2e needs 3 lab hosts: run "npm run lab -- up --hosts 3"`);
    // Hosts keep their disks between labs, and a kubelet.conf left by a test that did not finish
    // would make the host "already joined" and its Node come back: every host starts reset.
    for (const host of hosts.slice(0, 3)) await labSsh(host.address, resetScript);
    await kubectl(["delete", "node", "--ignore-not-found", ...hosts.slice(0, 3).map((h) => h.name)]);
    const project = await createLabStack(name, { containerd: { ...labClusterConfig().containerd, upgrade: true }, drain: { timeoutSeconds: 300 } });
    return new FaultStack(project, hosts.slice(0, 3));
  }

  setNodes(nodes: NodeEntry[]): Promise<void> {
    return setConfig(this.project, { nodes });
  }

  /** Kills any background `up` still going, deletes the namespace (its pods would have nowhere to go), destroys the stack. */
  async close(ns: string): Promise<void> {
    try {
      await this.project.stopBackground();
      await kubectl(["delete", "namespace", ns, "--wait=true", "--timeout=120s", "--ignore-not-found"]).catch(() => undefined);
      await this.project.pulumi(["cancel", "--yes"]);
      await this.project.pulumi(["destroy", "--yes", "--skip-preview"], 600_000);
      await this.project.pulumi(["stack", "rm", "--yes", "--force"]);
    } finally {
      await this.project.remove();
    }
  }
}

export interface NodeState {
  unschedulable: boolean;
  ready: boolean;
  phase?: string;
}

/** The Node as the cluster has it, or undefined when it is not there. */
export async function nodeState(name: string): Promise<NodeState | undefined> {
  const found = (await kubectl(["get", "node", name, "--ignore-not-found", "-o", "name"])).stdout.trim();
  if (!found) return undefined;
  const node = await kubectlJson<{ metadata: { annotations?: Record<string, string> }; spec: { unschedulable?: boolean }; status: { conditions?: { type: string; status: string }[] } }>(["get", "node", name]);
  return {
    unschedulable: node.spec.unschedulable ?? false,
    ready: node.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
    ...(node.metadata.annotations?.["kubeadm-workers.io/drain-phase"] ? { phase: node.metadata.annotations["kubeadm-workers.io/drain-phase"] } : {}),
  };
}

/** "joined" while the host has a kubelet.conf, "reset" after kubeadm reset. */
export async function hostJoinState(host: LabHost): Promise<string> {
  return (await labSsh(host.address, "test -e /etc/kubernetes/kubelet.conf && echo joined || echo reset")).stdout.trim();
}

/** The WorkerNode resources the stack's state holds, by name. */
export async function workerNodesInState(project: PulumiProject): Promise<string[]> {
  const state = JSON.parse((await project.pulumiOk(["stack", "export"])).stdout) as { deployment: { resources?: { urn: string; type: string }[] } };
  return (state.deployment.resources ?? []).filter((r) => r.type.endsWith("WorkerNode")).map((r) => r.urn.split("::").pop() as string).sort();
}

export { bootstrapTokenSecrets };
