import type { ClusterApi, LeaseView, NodePatch, NodeView } from "../../../providers/cluster/kube-api";
import type { WorkerNodeEffects } from "../../../providers/worker-node/create";
import { deleteWorkerNode } from "../../../providers/worker-node/delete";
import type { WorkerNodeOutputs } from "../../../providers/worker-node/outputs";
import { caPem, caPemHash } from "../fixtures/ca";

/** An empty node whose one volume detaches a few seconds after the drain; records every write in order. */
class DetachingCluster implements Partial<ClusterApi> {
  readonly server = "https://10.213.0.1:6443";
  readonly caPem = caPem;
  readonly events: string[] = [];
  readonly leases = new Map<string, LeaseView>();
  node: NodeView | undefined = {
    name: "lab-host-1", uid: "u1", labels: {}, annotations: { "kubeadm-workers.io/machine-id": "m-1" }, taints: [], unschedulable: false,
    ready: true, readyDetail: "KubeletReady", kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://2.1.4", machineId: "m-1",
  };
  /** Polls of the VolumeAttachments left before the volume is gone. */
  attachedFor = 3;
  onVolumePoll: () => void = () => undefined;
  private version = 0;
  clusterInfoCaPem = () => Promise.resolve(caPem);
  canI = () => Promise.resolve(true);
  getNode = () => Promise.resolve(this.node);
  patchNode = (name: string, patch: NodePatch) => {
    const phase = patch.annotations?.["kubeadm-workers.io/drain-phase"];
    const purpose = patch.annotations?.["kubeadm-workers.io/drain-purpose"];
    this.events.push(`patch ${name}${patch.unschedulable !== undefined ? ` unschedulable=${patch.unschedulable}` : ""}${phase ? ` phase=${phase}` : ""}${purpose ? ` purpose=${purpose}` : ""}`);
    const node = this.node as NodeView;
    const annotations = { ...node.annotations } as Record<string, string>;
    for (const [key, value] of Object.entries(patch.annotations ?? {})) {
      if (value === null) delete annotations[key];
      else annotations[key] = value;
    }
    this.node = { ...node, annotations, unschedulable: patch.unschedulable ?? node.unschedulable };
    return Promise.resolve(this.node);
  };
  deleteNode = (name: string) => (this.events.push(`delete node ${name}`), (this.node = undefined), Promise.resolve());
  listCordonedNodes = () => Promise.resolve(this.node?.unschedulable ? [this.node] : []);
  readLease = (_ns: string, name: string) => Promise.resolve(this.leases.get(name));
  writeLease = (lease: LeaseView, resourceVersion?: string) => {
    const current = this.leases.get(lease.name);
    if (current && current.resourceVersion !== resourceVersion) return Promise.resolve(false);
    this.leases.set(lease.name, { ...lease, resourceVersion: String(++this.version) });
    return Promise.resolve(true);
  };
  deleteLease = (_ns: string, name: string) => (this.events.push(`release ${name}`), this.leases.delete(name), Promise.resolve());
  listPodsOnNode = () => Promise.resolve([]);
  terminatingNamespaces = () => Promise.resolve(new Set<string>());
  listNodesWithPods = () => Promise.resolve([]);
  volumeAttachmentsOn = () => {
    this.onVolumePoll();
    return Promise.resolve(this.attachedFor-- > 0 ? ["csi-0123"] : []);
  };
}

const olds = {
  nodeName: "lab-host-1", host: "10.213.0.11", port: 22, user: "root", hostKey: "", hostKeyFingerprint: "", apiServerEndpoint: "10.213.0.1:6443",
  caCertHash: caPemHash, kubernetesVersion: "1.36.3", kubeletVersion: "v1.36.3", containerdVersion: "containerd://2.1.4", machineId: "m-1",
  labels: {}, taints: [], reset: false, drain: {}, containerd: {}, packages: {}, connection: { host: "10.213.0.11", privateKey: "k" }, cluster: { kubeconfig: "recorded" },
} as WorkerNodeOutputs;

function effectsFor(cluster: DetachingCluster): WorkerNodeEffects {
  let clock = Date.parse("2026-12-07T10:00:00Z");
  return {
    connectCluster: () => cluster as unknown as ClusterApi,
    openSession: () => Promise.reject(new Error("reset: false: no connection expected")),
    randomBytes: (size) => Buffer.alloc(size, 1),
    now: () => new Date(clock),
    sleep: (ms) => ((clock += ms), Promise.resolve()),
    log: () => undefined,
  };
}

describe("deleteWorkerNode: the drain slot after the drain", () => {
  test("with the slot held throughout: the volumes detach, the Node is deleted, the slot released", async () => {
    const cluster = new DetachingCluster();
    await deleteWorkerNode(olds, effectsFor(cluster));
    expect(cluster.events.slice(-3)).toEqual(["patch lab-host-1 phase=deleting-node", "delete node lab-host-1", "release kubeadm-workers-drain-0"]);
  });

  // The capacity checks of the other drains in this up read the purpose: a node to be replaced
  // comes back, so while it waits for its slot it is room (issue 8, item 2).
  test.each([
    [undefined, "remove"],
    ["remove", "remove"],
    ["replace", "replace"],
  ] as const)("a delete for %s marks the node leaving with purpose %s, before the slot", async (purpose, written) => {
    const cluster = new DetachingCluster();
    await deleteWorkerNode(olds, effectsFor(cluster), purpose);
    expect(cluster.events[0]).toBe(`patch lab-host-1 phase=waiting-for-slot purpose=${written}`);
  });

  // A slot lost after the drain (while the volumes detach) goes unnoticed by the drain's pauses: the
  // Node must not be deleted as if the budget still held (issue 8, item 7).
  test("a slot taken by another drain while the volumes detach stops before the Node is deleted, naming the Lease and its holder", async () => {
    const cluster = new DetachingCluster();
    cluster.onVolumePoll = () => {
      const lease = cluster.leases.get("kubeadm-workers-drain-0");
      if (lease?.holder === "lab-host-1") cluster.leases.set(lease.name, { ...lease, holder: "lab-host-2", resourceVersion: "taken" });
    };

    const error = await deleteWorkerNode(olds, effectsFor(cluster)).catch((e: Error) => e);

    expect((error as Error).message).toMatch(
      /removal of lab-host-1 stopped before the Node was deleted: drain slot kubeadm-workers-drain-0 \(Lease kube-system\/kubeadm-workers-drain-0\) is now held by lab-host-2\..*stays cordoned.*next `pulumi up`.*resumes/,
    );
    expect(cluster.events.some((e) => e.startsWith("delete node"))).toBe(false);
    expect(cluster.node?.unschedulable).toBe(true);
    expect(cluster.leases.get("kubeadm-workers-drain-0")?.holder).toBe("lab-host-2");
  });
});

// A Node two resources claimed before create refused that (gap C of issue 8) carries the owner
// that wrote last: the other one's removal must not drain and delete it.
describe("deleteWorkerNode: a Node whose owner annotation names another resource", () => {
  test("is refused before anything is written, naming both owners and how to drop this resource", async () => {
    const cluster = new DetachingCluster();
    cluster.node = { ...(cluster.node as NodeView), annotations: { "kubeadm-workers.io/machine-id": "m-1", "kubeadm-workers.io/owner": "kw/prod/web-1" } };

    const error = await deleteWorkerNode({ ...olds, owner: "kw/staging/web-1" }, effectsFor(cluster)).catch((e: Error) => e);

    expect((error as Error).message).toMatch(
      /^refusing to remove node lab-host-1: Node lab-host-1 is managed by kw\/prod\/web-1 \(kubeadm-workers\.io\/owner\), not by this resource kw\/staging\/web-1\. .*Nothing was drained, deleted or reset\..*pulumi state delete/,
    );
    expect(cluster.events).toEqual([]);
    expect(cluster.leases.size).toBe(0);
  });

  test("its own owner annotation, or none (state from before owners were written), is removed as usual", async () => {
    for (const [owner, annotated] of [["kw/prod/web-1", "kw/prod/web-1"], [undefined, "kw/prod/web-1"], ["kw/prod/web-1", undefined]] as const) {
      const cluster = new DetachingCluster();
      cluster.attachedFor = 0;
      const node = cluster.node as NodeView;
      cluster.node = { ...node, annotations: { ...node.annotations, ...(annotated ? { "kubeadm-workers.io/owner": annotated } : {}) } };
      await deleteWorkerNode({ ...olds, ...(owner ? { owner } : {}) }, effectsFor(cluster));
      expect(cluster.events).toContain("delete node lab-host-1");
    }
  });
});

// Fault 4 of issue 11: the host is gone when its entry is removed. The delete still completes, and
// its warning is all the user learns of the host left joined: it must say what to do and why.
describe("deleteWorkerNode: a host that cannot be reached for its reset", () => {
  function unreachable(cluster: DetachingCluster): { effects: WorkerNodeEffects; lines: string[] } {
    const lines: string[] = [];
    const effects = { ...effectsFor(cluster), openSession: () => Promise.reject(new Error("could not connect to 10.213.0.11:22: connect EHOSTUNREACH. Check the address.")), log: (line: string) => lines.push(line) };
    return { effects, lines };
  }

  test("the Node drained and deleted, the warning names the host, the error, what the host still holds and the reset to run by hand", async () => {
    const cluster = new DetachingCluster();
    const { effects, lines } = unreachable(cluster);

    await deleteWorkerNode({ ...olds, reset: true }, effects);

    expect(cluster.events).toContain("delete node lab-host-1");
    const warnings = lines.filter((l) => l.includes("warning:"));
    expect(warnings).toHaveLength(1);
    const [warning] = warnings;
    expect(warning).toMatch(/^lab-host-1: warning: host 10\.213\.0\.11 not reset, it could not be reached: could not connect to 10\.213\.0\.11:22: connect EHOSTUNREACH\. Check the address\. Node /);
    expect(warning).toContain("Node lab-host-1 was drained and deleted");
    expect(warning).toMatch(/when it is back, the host still holds its join: .*kubelet credentials .*for a Node that no longer exists/);
    expect(warning).toContain("run `kubeadm reset -f` on root@10.213.0.11 (port 22)");
  });

  test("a Node already gone is said to be gone, not drained by this delete", async () => {
    const cluster = new DetachingCluster();
    cluster.node = undefined;
    const { effects, lines } = unreachable(cluster);

    await deleteWorkerNode({ ...olds, reset: true }, effects);

    const warning = lines.find((l) => l.includes("warning:")) ?? "";
    expect(warning).toContain("Node lab-host-1 was already gone from the cluster");
    expect(warning).not.toContain("drained");
    expect(warning).toContain("run `kubeadm reset -f` on root@10.213.0.11 (port 22)");
  });
});
