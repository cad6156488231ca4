import type { ClusterApi, EvictionOutcome, NodeView } from "../../../providers/cluster/kube-api";
import { drainNode } from "../../../providers/drain/execute";
import { defaultDrainOptions, type DrainOptions } from "../../../providers/drain/options";
import type { PdbStatus } from "../../../providers/drain/progress";
import type { DrainPod, ObjectRef } from "../../../providers/drain/types";
import { pod } from "./builders";

const t0 = Date.parse("2026-11-30T10:00:00Z");
/** How long an evicted pod's replacement takes to be Ready, i.e. for the PDB to allow again. */
const replacementMs = 3_000;

/**
 * A node whose `web` pods are behind one PDB, played the way the API server and the disruption
 * controller play it: an eviction the budget allows decrements `disruptionsAllowed` at once (the
 * Eviction API writes the PDB's status) and removes the pod; otherwise it is refused with 429. The
 * budget grows back by one when a replacement is Ready, which the drain sees through its watch.
 * `otherActor` takes the next disruption the budget allows before our eviction arrives, once.
 */
class OnePdbCluster implements Partial<ClusterApi> {
  readonly server = "https://lab:6443";
  readonly evictions: string[] = [];
  pods: DrainPod[];
  allowed: number;
  otherActor = false;
  private replacementsStarting = 0;
  private readonly selector = { matchLabels: { app: "web" } };

  constructor(
    private readonly clock: { now: number },
    pods: DrainPod[],
    allowed: number,
  ) {
    this.pods = pods;
    this.allowed = allowed;
  }

  private status(): PdbStatus {
    const healthy = this.pods.filter((p) => p.labels?.app === "web").length;
    return { namespace: "web", name: "web-pdb", disruptionsAllowed: this.allowed, currentHealthy: healthy, desiredHealthy: healthy - this.allowed, expectedPods: healthy };
  }

  getNode = (): Promise<NodeView> =>
    Promise.resolve({
      name: "w1", uid: "u", labels: {}, annotations: {}, taints: [], unschedulable: true, ready: true, readyDetail: "True",
      conditions: [{ type: "Ready", status: "True" }], kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://2", machineId: "m",
    });
  listPodsOnNode = () => Promise.resolve(this.pods);
  terminatingNamespaces = () => Promise.resolve(new Set<string>());
  daemonSetExists = () => Promise.resolve(true);
  listNodesWithPods = () => Promise.resolve([]);
  ownerReadiness = () => Promise.resolve({ ready: 10, desired: 10 });
  patchNode = () => this.getNode();
  listPdbs = () => Promise.resolve([{ ...this.status(), selector: this.selector }]);
  readPdb = () => Promise.resolve(this.status());
  evictPod = (ref: ObjectRef): Promise<EvictionOutcome> => {
    this.evictions.push(ref.name);
    const target = this.pods.find((p) => p.name === ref.name);
    if (!target) return Promise.resolve({ kind: "gone" });
    if (target.labels?.app === "web") {
      if (this.otherActor && this.allowed > 0) {
        this.otherActor = false;
        this.allowed--;
        this.replacementsStarting++;
      }
      if (this.allowed === 0) {
        return Promise.resolve({ kind: "pdb", pdb: "web-pdb", message: "Cannot evict pod as it would violate the pod's disruption budget." });
      }
      this.allowed--;
      this.replacementsStarting++;
    }
    this.pods = this.pods.filter((p) => p !== target);
    return Promise.resolve({ kind: "evicted" });
  };
  deletePod = (ref: ObjectRef): Promise<EvictionOutcome> => {
    this.evictions.push(`delete ${ref.name}`);
    this.pods = this.pods.filter((p) => p.name !== ref.name);
    return Promise.resolve({ kind: "evicted" });
  };
  /** The watch: answers with the status at once when it allows; else when the next replacement is Ready. */
  waitForPdbToAllow = (_namespace: string, _name: string, maxWaitMs: number): Promise<PdbStatus | undefined> => {
    if (this.allowed === 0 && this.replacementsStarting > 0) {
      this.clock.now += replacementMs;
      this.replacementsStarting--;
      this.allowed++;
    }
    if (this.allowed > 0) return Promise.resolve(this.status());
    this.clock.now += maxWaitMs;
    return Promise.resolve(undefined);
  };
}

function effects(clock: { now: number }) {
  return {
    now: () => new Date(clock.now),
    sleep: (ms: number) => ((clock.now += ms), Promise.resolve()),
    log: () => undefined,
  };
}

const webPods = (count: number): DrainPod[] =>
  Array.from({ length: count }, (_, i) => pod(`web/web-${i}`, { uid: `u${i}`, labels: { app: "web" }, ready: true }));

const drain = (cluster: OnePdbCluster, clock: { now: number }, options: Partial<DrainOptions> = {}) =>
  drainNode(cluster as unknown as ClusterApi, "w1", { ...defaultDrainOptions, checkCapacity: false, timeoutSeconds: 600, ...options }, effects(clock));

describe("evictions behind a PodDisruptionBudget", () => {
  test.each([
    { allowed: 1, description: "10 pods behind a PDB that allows 1 disruption cost 10 evictions, not 55 (10 + 9 + ... + 1)" },
    { allowed: 3, description: "a PDB that allows 3 disruptions lets 3 go at once, and never more than it allows (10 evictions, not 38)" },
  ])("$description", async ({ allowed }) => {
    const clock = { now: t0 };
    const cluster = new OnePdbCluster(clock, webPods(10), allowed);

    await drain(cluster, clock);

    expect(cluster.pods).toEqual([]);
    expect(cluster.evictions).toHaveLength(10);
  });

  test("pods no PDB covers are not held back by the PDB's budget", async () => {
    const clock = { now: t0 };
    const free = Array.from({ length: 3 }, (_, i) => pod(`web/free-${i}`, { uid: `f${i}`, labels: { app: "free" }, ready: true }));
    const cluster = new OnePdbCluster(clock, [...webPods(10), ...free], 1);

    await drain(cluster, clock);

    expect(cluster.pods).toEqual([]);
    expect(cluster.evictions).toHaveLength(13);
    // all three went in the first round, with the one web pod the budget allowed
    expect(cluster.evictions.slice(0, 4).sort()).toEqual(["free-0", "free-1", "free-2", "web-0"]);
  });

  test("a 429 because another actor took the budget is waited out and retried, as before", async () => {
    const clock = { now: t0 };
    const cluster = new OnePdbCluster(clock, webPods(4), 1);
    cluster.otherActor = true;

    await drain(cluster, clock);

    expect(cluster.pods).toEqual([]);
    // one refused (the other actor's disruption came first), then each pod evicted once
    expect(cluster.evictions[0]).toBe("web-0");
    expect([...cluster.evictions].sort()).toEqual(["web-0", "web-0", "web-1", "web-2", "web-3"]);
  });

  test("a PDB that never allows: nothing is sent, and the timeout names the PDB as before", async () => {
    const clock = { now: t0 };
    const cluster = new OnePdbCluster(clock, webPods(3), 0);

    const error = await drain(cluster, clock, { timeoutSeconds: 60 }).catch((e: Error) => e);

    expect((error as Error).message).toMatch(/drain of w1 timed out after 1m: 3 pods not evicted: web\/web-0, web\/web-1, web\/web-2 \(PDB web\/web-pdb allows 0 disruptions: 3 of 3 healthy, needs 3\)/);
    expect(cluster.evictions).toEqual([]);
  });

  test("an unready pod behind a PDB that allows nothing is still sent: the API decides (unhealthyPodEvictionPolicy)", async () => {
    const clock = { now: t0 };
    const cluster = new OnePdbCluster(clock, [pod("web/web-0", { uid: "u0", labels: { app: "web" }, ready: false })], 0);

    await drain(cluster, clock, { timeoutSeconds: 30 }).catch(() => undefined);

    expect(cluster.evictions.length).toBeGreaterThan(0);
  });

  test("plain deletes (disableEviction) are not held back by budgets: every pod at once", async () => {
    const clock = { now: t0 };
    const cluster = new OnePdbCluster(clock, webPods(4), 0);

    await drain(cluster, clock, { disableEviction: true });

    expect(cluster.evictions).toEqual(["delete web-0", "delete web-1", "delete web-2", "delete web-3"]);
  });
});
