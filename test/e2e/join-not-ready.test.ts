import { resetScript } from "../../providers/host/join";
import { kubectl, kubectlJson, labClusterConfig, labHosts, labSsh, requireLab, type LabHost } from "../integration/support/lab";
import { bootstrapTokenSecrets, hostJoinState, nodeState, workerNodesInState } from "./support/fault-stack";
import { createLabStack, entryFor, setConfig } from "./support/lab-stack";
import type { PulumiProject } from "./support/pulumi-project";

// A Node that its real kubelet registers but that never becomes Ready, under `pulumi up`. The entry
// declares a NoExecute taint; the kubelet registers the Node with it (kubeadm's
// nodeRegistration.taints), and the lab's CNI DaemonSet, whose tolerations are flannel's (every
// NoSchedule taint, lab/registry/cni.sh), does not tolerate it: the host never gets its CNI config,
// so containerd reports the pod network not ready and the kubelet keeps the Node NotReady. The
// create must fail at joinTimeout with the Node's conditions and the host's kubelet and containerd
// log lines, and leave nothing behind.
jest.setTimeout(900_000);

const joinTimeoutSeconds = 60;
const noCniTaint = { key: "kubeadm-workers-e2e/no-cni", effect: "NoExecute" };
const tokenPattern = /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface NodeObject {
  spec: { taints?: { key: string; value?: string; effect: string }[] };
  status: { conditions?: Condition[] };
}
interface CniPod {
  spec: { nodeName?: string; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchFields?: { key: string; values: string[] }[] }[] } } } };
}

async function nodeObject(name: string): Promise<NodeObject | undefined> {
  const found = (await kubectl(["get", "node", name, "--ignore-not-found", "-o", "name"])).stdout.trim();
  return found ? kubectlJson<NodeObject>(["get", "node", name]).catch(() => undefined) : undefined;
}

/** kw-cni pods made for the Node: bound to it, or pinned to it by the DaemonSet controller's metadata.name affinity. */
async function cniPodsFor(node: string): Promise<number> {
  const pods = (await kubectlJson<{ items: CniPod[] }>(["get", "pods", "-n", "kube-system", "-l", "app.kubernetes.io/name=kw-cni"])).items;
  return pods.filter(
    (p) =>
      (p.spec.nodeName ??
        p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.flatMap((t) => t.matchFields ?? []).find((f) => f.key === "metadata.name")?.values[0]) === node,
  ).length;
}

/** The lines the error message gives under "last lines of the <unit> log on <address>" (providers/host/host-logs.ts). */
function logSection(output: string, unit: string, address: string): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((l) => l.includes(`last lines of the ${unit} log on ${address}`));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && /last lines of the \w+ log on|Check the kubelet and the container runtime|undone:/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l.trim() !== "");
}

describe("a Node registered by its real kubelet that never becomes Ready, under pulumi up", () => {
  let project: PulumiProject;
  let host: LabHost;

  beforeAll(async () => {
    requireLab();
    host = labHosts()[2];
    if (!host) throw new Error('the join-not-ready e2e needs 3 lab hosts: run "npm run lab -- up --hosts 3"');
    // A host fresh for this: nothing left of an earlier join (the reset also removes /etc/cni/net.d),
    // and containerd's configuration yet to be applied, so the provider starts containerd anew and
    // its log's last lines are this join's, not an earlier test's.
    await labSsh(host.address, resetScript);
    await labSsh(host.address, "rm -f /etc/containerd/config.toml /var/lib/kubeadm-workers/containerd-config.sha256");
    await kubectl(["delete", "node", host.name, "--ignore-not-found"]);
    project = await createLabStack("notready", {
      containerd: { ...labClusterConfig().containerd, upgrade: true },
      joinTimeout: `${joinTimeoutSeconds}s`,
      nodes: [entryFor(host, { taints: [noCniTaint] })],
    });
  }, 120_000);

  afterAll(async () => {
    await project.pulumi(["destroy", "--yes", "--skip-preview"], 600_000);
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
  }, 700_000);

  test("a NoExecute taint the CNI DaemonSet does not tolerate: the Node stays NetworkReady=false, the up fails at joinTimeout with its conditions and the kubelet and containerd logs, and rolls back", async () => {
    // GIVEN a host without CNI config
    expect((await labSsh(host.address, "ls /etc/cni/net.d 2>&1")).stdout).toMatch(/No such file/);

    // WHEN pulumi up joins it, watched from the cluster's side while it runs
    const up = project.pulumiInBackground(["up", "--yes", "--skip-preview"]);
    let registeredAt = 0;
    let registeredTaints: NonNullable<NodeObject["spec"]["taints"]> = [];
    let lastReady: Condition | undefined;
    let cniPods = 0;
    while (up.running()) {
      const node = await nodeObject(host.name);
      if (node) {
        if (registeredAt === 0) registeredAt = Date.now();
        registeredTaints = node.spec.taints ?? registeredTaints;
        lastReady = node.status.conditions?.find((c) => c.type === "Ready") ?? lastReady;
        cniPods = Math.max(cniPods, await cniPodsFor(host.name));
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    const result = await up.done;
    const endedAt = Date.now();
    const output = result.stdout + result.stderr;

    // THEN the host's kubelet registered the Node with the taint, the DaemonSet made no pod for it,
    // and the kubelet reported it NotReady because the runtime's pod network is not ready
    expect(registeredAt).toBeGreaterThan(0);
    expect(registeredTaints).toContainEqual(expect.objectContaining(noCniTaint));
    expect(cniPods).toBe(0);
    expect(lastReady).toMatchObject({ status: "False", reason: "KubeletNotReady", message: expect.stringMatching(/^container runtime network not ready: NetworkReady=false/) });

    // AND the up fails naming the Node, that it registered but was not Ready, and its Ready
    // condition exactly as the API server had it
    expect(result.code).not.toBe(0);
    expect(output).toContain(`create of worker ${host.name} on ${host.address}:22 failed: Node ${host.name} registered but was not Ready within joinTimeout (1m); its conditions:`);
    const ready = lastReady as Condition;
    expect(output).toContain(`Ready=False (${ready.reason}: ${ready.message})`);
    // with the last lines of the host's kubelet log (its start-up, up to the registration: at its
    // default verbosity it logs nothing more while it waits for the network) and of containerd's,
    // which says why: it found no network config
    const kubeletLines = logSection(output, "kubelet", `${host.address}:22`);
    const containerdLines = logSection(output, "containerd", `${host.address}:22`);
    expect(kubeletLines.some((l) => l.includes(`"Successfully registered node" node="${host.name}"`))).toBe(true);
    expect(containerdLines.some((l) => /failed to load cni during init.*no network config found in \/etc\/cni\/net\.d/.test(l))).toBe(true);
    expect(output).not.toMatch(tokenPattern);
    // within joinTimeout of the registration, plus the log read, the rollback and the CLI's exit
    expect((endedAt - registeredAt) / 1000).toBeLessThan(joinTimeoutSeconds + 90);

    // AND the create was rolled back: no Node, no bootstrap token, the host reset, nothing in state
    expect(output).toContain(`undone: host reset (kubeadm reset -f); Node ${host.name} removed`);
    expect(await nodeState(host.name)).toBeUndefined();
    expect(await bootstrapTokenSecrets()).toBe("");
    expect(await hostJoinState(host)).toBe("reset");
    expect(await workerNodesInState(project)).toEqual([]);
  });

  test("the same host with a taint the DaemonSet tolerates (NoSchedule) joins: the rollback left it clean", async () => {
    await setConfig(project, { nodes: [entryFor(host, { taints: [{ ...noCniTaint, effect: "NoSchedule" }] })] });
    const up = await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
    expect(up.stdout).toMatch(/\+ 1 created/);
    expect(await nodeState(host.name)).toMatchObject({ ready: true });
    expect(await cniPodsFor(host.name)).toBe(1);
    expect(await workerNodesInState(project)).toEqual([host.name]);
  });
});
