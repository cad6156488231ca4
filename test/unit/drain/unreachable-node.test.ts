import type { ClusterApi, NodeCondition, NodeView } from "../../../providers/cluster/kube-api";
import { DrainError, drainNode } from "../../../providers/drain/execute";
import { defaultDrainOptions } from "../../../providers/drain/options";
import type { DrainPod } from "../../../providers/drain/types";
import { pod } from "./builders";

const t0 = Date.parse("2026-11-30T10:00:00Z");

/**
 * A node whose host is gone: evictions are accepted, but no kubelet ever confirms a pod's end, so
 * every evicted pod stays on the node with its deletionTimestamp (grace period 30 s). After
 * `unknownAfterMs` the node lifecycle controller has marked the Node's Ready condition Unknown.
 */
class GoneHostCluster implements Partial<ClusterApi> {
  readonly server = "https://lab:6443";
  pods: DrainPod[];
  constructor(
    private readonly clock: { now: number },
    private readonly unknownAfterMs: number,
    pods: DrainPod[],
  ) {
    this.pods = pods;
  }
  private get readyCondition(): NodeCondition {
    return this.clock.now - t0 >= this.unknownAfterMs
      ? { type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." }
      : { type: "Ready", status: "True", reason: "KubeletReady" };
  }
  getNode = (): Promise<NodeView> =>
    Promise.resolve({
      name: "w1", uid: "u", labels: {}, annotations: {}, taints: [], unschedulable: true,
      ready: this.readyCondition.status === "True", readyDetail: this.readyCondition.status, conditions: [this.readyCondition],
      kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://2", machineId: "m",
    });
  listPodsOnNode = () => Promise.resolve(this.pods);
  terminatingNamespaces = () => Promise.resolve(new Set<string>());
  daemonSetExists = () => Promise.resolve(true);
  listNodesWithPods = () => Promise.resolve([]);
  ownerReadiness = () => Promise.resolve({ ready: 1, desired: 1 });
  patchNode = () => this.getNode();
  evictPod = (ref: { namespace: string; name: string }) => {
    this.pods = this.pods.map((p) => (p.name === ref.name && !p.deletionTimestamp ? { ...p, deletionTimestamp: new Date(this.clock.now + 30_000) } : p));
    return Promise.resolve({ kind: "evicted" as const });
  };
}

function effects(clock: { now: number }, log: string[]) {
  return {
    now: () => new Date(clock.now),
    sleep: (ms: number) => ((clock.now += ms), Promise.resolve()),
    log: (line: string) => void log.push(line),
  };
}

describe("a drain of a node whose kubelet is gone", () => {
  const pods = () => [pod("web/a", { uid: "ua" }), pod("web/b", { uid: "ub" })];

  test("stops waiting for evicted pods once the Node's Ready is Unknown and their grace period is over, naming them", async () => {
    const clock = { now: t0 };
    const log: string[] = [];
    const cluster = new GoneHostCluster(clock, 50_000, pods());

    await drainNode(cluster as unknown as ClusterApi, "w1", { ...defaultDrainOptions, checkCapacity: false, timeoutSeconds: 300 }, effects(clock, log));

    expect(log.join("\n")).toMatch(/w1: warning: the kubelet does not report \(Ready Unknown: Kubelet stopped posting node status\.\): 2 evicted pods cannot be confirmed gone \(web\/a, web\/b\); not waiting for them, they go with the Node/);
    // not before the node is Unknown, and not before the grace period of the pods is over
    expect(clock.now - t0).toBeGreaterThanOrEqual(50_000);
    expect(clock.now - t0).toBeLessThan(120_000);
  });

  test("a reachable node's terminating pods are still waited for, up to the timeout", async () => {
    const clock = { now: t0 };
    const cluster = new GoneHostCluster(clock, Number.POSITIVE_INFINITY, pods());

    const error = await drainNode(cluster as unknown as ClusterApi, "w1", { ...defaultDrainOptions, checkCapacity: false, timeoutSeconds: 120 }, effects(clock, [])).catch((e: Error) => e);

    expect(error).toBeInstanceOf(DrainError);
    expect((error as Error).message).toMatch(/drain of w1 timed out after 2m: 2 pods evicted but not gone: web\/a, web\/b/);
  });
});

// kubectl's waitForDelete skips a pod whose deletionTimestamp is older than
// --skip-wait-for-delete-timeout; the drain does the same while it waits for the pods it evicted.
describe("skipWaitForDeleteTimeoutSeconds while waiting for evicted pods to go", () => {
  const pods = () => [pod("web/a", { uid: "ua" }), pod("web/b", { uid: "ub" })];

  test("on a reachable node, evicted pods stuck terminating are no longer waited for once their deletionTimestamp is older than the option", async () => {
    const clock = { now: t0 };
    const cluster = new GoneHostCluster(clock, Number.POSITIVE_INFINITY, pods());

    await drainNode(cluster as unknown as ClusterApi, "w1", { ...defaultDrainOptions, checkCapacity: false, timeoutSeconds: 300, skipWaitForDeleteTimeoutSeconds: 20 }, effects(clock, []));

    // the pods still carry their deletionTimestamp (30 s grace from the eviction): not skipped before it is 20 s old
    expect(cluster.pods.every((p) => p.deletionTimestamp !== undefined)).toBe(true);
    expect(clock.now - t0).toBeGreaterThan(30_000 + 20_000);
    expect(clock.now - t0).toBeLessThan(300_000);
  });
});
