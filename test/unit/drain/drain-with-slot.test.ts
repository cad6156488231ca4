import { KubernetesApiError, type ClusterApi, type LeaseView, type NodePatch, type NodeView } from "../../../providers/cluster/kube-api";
import { drainWithSlot } from "../../../providers/drain/drain-with-slot";
import { defaultDrainOptions } from "../../../providers/drain/options";

const t0 = Date.parse("2026-11-30T10:00:00Z");

/** An empty node's cluster: records every write in order, so the test sees when the cordon came. */
class EmptyNodeCluster implements Partial<ClusterApi> {
  readonly server = "https://lab:6443";
  readonly events: string[] = [];
  leases = new Map<string, LeaseView>();
  allowed = true;
  node: NodeView = {
    name: "w1", uid: "u", labels: {}, annotations: {}, taints: [], unschedulable: false, ready: true, readyDetail: "True",
    kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://2", machineId: "m",
  };
  private version = 1;
  canI = () => Promise.resolve(this.allowed);
  getNode = () => Promise.resolve(this.node);
  patchNode = (_name: string, patch: NodePatch) => {
    const phase = patch.annotations?.["kubeadm-workers.io/drain-phase"];
    this.events.push(`patch${patch.unschedulable !== undefined ? ` unschedulable=${patch.unschedulable}` : ""}${phase ? ` phase=${phase}` : ""}`);
    const annotations = { ...this.node.annotations } as Record<string, string>;
    for (const [key, value] of Object.entries(patch.annotations ?? {})) {
      if (value === null) delete annotations[key];
      else annotations[key] = value;
    }
    this.node = { ...this.node, annotations, unschedulable: patch.unschedulable ?? this.node.unschedulable };
    return Promise.resolve(this.node);
  };
  listCordonedNodes = () => Promise.resolve(this.node.unschedulable ? [this.node] : []);
  readLease = (_ns: string, name: string) => Promise.resolve(this.leases.get(name));
  writeLease = (lease: LeaseView, resourceVersion?: string) => {
    const current = this.leases.get(lease.name);
    if (current && current.resourceVersion !== resourceVersion) return Promise.resolve(false);
    this.events.push(`lease ${lease.holder}`);
    this.leases.set(lease.name, { ...lease, resourceVersion: String(++this.version) });
    return Promise.resolve(true);
  };
  deleteLease = (_ns: string, name: string) => (this.events.push("lease released"), this.leases.delete(name), Promise.resolve());
  listPodsOnNode = () => Promise.resolve([]);
  terminatingNamespaces = () => Promise.resolve(new Set<string>());
  listNodesWithPods = () => Promise.resolve([]);
  volumeAttachmentsOn = () => Promise.resolve([]);
}

function clock(onSleep: (now: number) => void = () => undefined) {
  let now = t0;
  const log: string[] = [];
  return {
    log,
    effects: {
      now: () => new Date(now),
      sleep: (ms: number) => ((now += ms), onSleep(now), Promise.resolve()),
      log: (line: string) => void log.push(line),
    },
  };
}

describe("drainWithSlot", () => {
  test("marks the node leaving, takes the slot, THEN cordons, drains, works, and releases", async () => {
    const cluster = new EmptyNodeCluster();
    const { effects } = clock();
    const result = await drainWithSlot(cluster as unknown as ClusterApi, "w1", defaultDrainOptions, effects, "remove", () => (cluster.events.push("work"), Promise.resolve(42)));
    expect(result).toBe(42);
    expect(cluster.events).toEqual([
      "patch phase=waiting-for-slot",
      "lease w1",
      "patch unschedulable=true phase=cordoned",
      "patch phase=evicting",
      "work",
      "lease released",
    ]);
  });

  test("missing Lease permissions are found before anything is written", async () => {
    const cluster = new EmptyNodeCluster();
    cluster.allowed = false;
    const error = await drainWithSlot(cluster as unknown as ClusterApi, "w1", defaultDrainOptions, clock().effects, "remove", () => Promise.resolve()).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/may not get, create, update, delete Leases \(coordination.k8s.io\) in namespace kube-system.*nothing was cordoned/);
    expect(cluster.events).toEqual([]);
  });

  test("a node waiting for a slot held by a live drain is never cordoned, and the wait counts into timeoutSeconds", async () => {
    const cluster = new EmptyNodeCluster();
    // GIVEN another node's drain holds the only slot and renews it every 10 s
    cluster.leases.set("kubeadm-workers-drain-0", { namespace: "kube-system", name: "kubeadm-workers-drain-0", holder: "w0", durationSeconds: 30, renewTime: new Date(t0), resourceVersion: "1" });
    let renewed = t0;
    const { effects } = clock((now) => {
      if (now - renewed < 10_000) return;
      const lease = cluster.leases.get("kubeadm-workers-drain-0") as LeaseView;
      cluster.leases.set(lease.name, { ...lease, renewTime: new Date(now), resourceVersion: `${lease.resourceVersion ?? ""}r` });
      renewed = now;
    });
    const error = await drainWithSlot(cluster as unknown as ClusterApi, "w1", { ...defaultDrainOptions, timeoutSeconds: 60 }, effects, "remove", () => Promise.resolve()).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/no drain slot became free in time: 1\/1 held by w0.*The node was not cordoned.*covers the wait for a slot and the drain/);
    expect(cluster.events).toEqual(["patch phase=waiting-for-slot"]);
    expect(cluster.node.unschedulable).toBe(false);
  });
});

describe("drainWithSlot when the slot is taken away mid-drain", () => {
  test("stops with a clear error naming the new holder; work never runs; the node stays cordoned", async () => {
    const cluster = new EmptyNodeCluster();
    const pod = { namespace: "web", name: "api-1", uid: "p1", phase: "Running" as const, containers: [{ name: "app" }], ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "api", controller: true }] };
    Object.assign(cluster, {
      listPodsOnNode: () => Promise.resolve([pod]),
      daemonSetExists: () => Promise.resolve(false),
      ownerReadiness: () => Promise.resolve({ ready: 2, desired: 2 }),
      // a PDB that never allows: the eviction is retried until something stops it
      evictPod: () => Promise.resolve({ kind: "pdb", pdb: undefined, message: "Cannot evict pod as it would violate the pod's disruption budget." }),
    });
    const { effects } = clock((now) => {
      // GIVEN another process overwrites our Lease 5 s into the drain
      const lease = cluster.leases.get("kubeadm-workers-drain-0");
      if (now >= t0 + 5_000 && lease && lease.holder === "w1") cluster.leases.set(lease.name, { ...lease, holder: "w9", resourceVersion: "stolen" });
    });
    let worked = false;

    const error = await drainWithSlot(cluster as unknown as ClusterApi, "w1", { ...defaultDrainOptions, checkCapacity: false }, effects, "remove", () => ((worked = true), Promise.resolve())).catch((e: Error) => e);

    expect((error as Error).message).toMatch(/drain of w1 stopped: drain slot kubeadm-workers-drain-0 \(Lease kube-system\/kubeadm-workers-drain-0\) is now held by w9.*could exceed drain.maxConcurrentDrains/);
    expect(worked).toBe(false);
    expect(cluster.node.unschedulable).toBe(true);
    expect(cluster.leases.get("kubeadm-workers-drain-0")?.holder).toBe("w9");
  });
});

describe("drainWithSlot through a short API server outage", () => {
  const outage = (cluster: EmptyNodeCluster, calls: number, error: () => Error) => {
    const list = cluster.listPodsOnNode;
    let left = calls;
    cluster.listPodsOnNode = () => (left-- > 0 ? Promise.reject(error()) : list());
  };

  test("a call the API server does not answer (restarting) is retried, and the drain finishes", async () => {
    const cluster = new EmptyNodeCluster();
    outage(cluster, 3, () => new KubernetesApiError("Kubernetes API https://lab:6443: listing the pods of Node w1 failed: connect ECONNREFUSED 10.213.0.1:6443.", undefined));
    const { effects, log } = clock();
    await drainWithSlot(cluster as unknown as ClusterApi, "w1", defaultDrainOptions, effects, "remove", () => Promise.resolve());
    expect(log.filter((l) => /API server/.test(l))).toEqual([
      "w1: the API server does not answer (Kubernetes API https://lab:6443: listing the pods of Node w1 failed: connect ECONNREFUSED 10.213.0.1:6443.); retrying for up to 60s",
      "w1: the API server answers again",
    ]);
  });

  test("an outage longer than the tolerance fails naming the node and the call", async () => {
    const cluster = new EmptyNodeCluster();
    outage(cluster, 1000, () => new KubernetesApiError("Kubernetes API https://lab:6443: listing the pods of Node w1 failed: HTTP 503.", 503));
    const error = await drainWithSlot(cluster as unknown as ClusterApi, "w1", defaultDrainOptions, clock().effects, "remove", () => Promise.resolve()).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/listing the pods of Node w1 failed: HTTP 503/);
  });

  test("an answer that is not an outage (403) fails at once", async () => {
    const cluster = new EmptyNodeCluster();
    outage(cluster, 1, () => new KubernetesApiError("Kubernetes API https://lab:6443: listing the pods of Node w1 failed: forbidden.", 403));
    const { effects, log } = clock();
    const error = await drainWithSlot(cluster as unknown as ClusterApi, "w1", defaultDrainOptions, effects, "remove", () => Promise.resolve()).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/forbidden/);
    expect(log.filter((l) => /API server/.test(l))).toEqual([]);
  });
});
