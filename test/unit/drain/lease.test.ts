import type { ClusterApi, LeaseView } from "../../../providers/cluster/kube-api";
import { acquireDrainSlot, holdSlot, slotLeaseSeconds } from "../../../providers/drain/budget";
import { expiredAsObserved, observeLease } from "../../../providers/drain/lease-observation";

const minutes = (n: number) => n * 60_000;
const t0 = Date.parse("2026-11-30T10:00:00Z");

function lease(holder: string, renewTime: number, resourceVersion = "1"): LeaseView {
  return { namespace: "kube-system", name: "kubeadm-workers-drain-0", holder, durationSeconds: slotLeaseSeconds, renewTime: new Date(renewTime), resourceVersion };
}

describe("lease expiry judged by our own observation (client-go leader election)", () => {
  test("a holder whose clock is 5 minutes behind, renewing every 10 s, never looks expired", () => {
    // GIVEN the holder writes renewTime from a clock 5 minutes slow, every 10 s of real time
    let observation;
    for (let second = 0; second <= 120; second += 2) {
      const real = t0 + second * 1000;
      const written = t0 - minutes(5) + Math.floor(second / 10) * 10_000;
      observation = observeLease(observation, lease("node-a", written), real);
      // THEN at no point of our observing is the slot free
      expect(expiredAsObserved(observation, real)).toBe(false);
    }
  });

  test("a holder whose clock is 5 minutes ahead is not trusted longer than the lease either", () => {
    // GIVEN a crashed holder whose last renewTime lies 5 minutes in OUR future
    const stale = lease("node-a", t0 + minutes(5));
    const first = observeLease(undefined, stale, t0);
    // THEN it is free once we have seen it unchanged for a whole lease duration, not 5 minutes later
    expect(expiredAsObserved(observeLease(first, stale, t0 + 29_000), t0 + 29_000)).toBe(false);
    expect(expiredAsObserved(observeLease(first, stale, t0 + 30_000), t0 + 30_000)).toBe(true);
  });

  test("a Lease seen for the first time is never expired, however old its renewTime", () => {
    const observation = observeLease(undefined, lease("node-a", t0 - minutes(60)), t0);
    expect(expiredAsObserved(observation, t0)).toBe(false);
  });

  test("a renewal restarts our count; an unrelated field (resourceVersion) does not matter", () => {
    const first = observeLease(undefined, lease("node-a", 1000, "1"), t0);
    expect(observeLease(first, lease("node-a", 1000, "2"), t0 + 20_000)).toBe(first);
    const renewed = observeLease(first, lease("node-a", 11_000, "3"), t0 + 20_000);
    expect(renewed.observedAtMs).toBe(t0 + 20_000);
    expect(expiredAsObserved(renewed, t0 + 40_000)).toBe(false);
  });
});

/** An API server's Lease store: optimistic concurrency by resourceVersion. */
class LeaseStore implements Partial<ClusterApi> {
  leases = new Map<string, LeaseView>();
  private version = 1;
  readonly server = "https://lab:6443";
  readLease = (_ns: string, name: string) => Promise.resolve(this.leases.get(name));
  writeLease = (l: LeaseView, resourceVersion?: string): Promise<boolean> => {
    const current = this.leases.get(l.name);
    if ((current && current.resourceVersion !== resourceVersion) || (!current && resourceVersion)) return Promise.resolve(false);
    this.leases.set(l.name, { ...l, resourceVersion: String(++this.version) });
    return Promise.resolve(true);
  };
  deleteLease = (_ns: string, name: string) => (this.leases.delete(name), Promise.resolve());
  /** The cordoned Nodes (a field selector on spec.unschedulable). */
  cordoned: { name: string; unschedulable: boolean; annotations: Record<string, string> }[] = [];
  listCordonedNodes = () => Promise.resolve(this.cordoned.filter((n) => n.unschedulable) as never);
}

/** Our clock; sleeping advances it and lets the other holder act. */
function clockWith(onSleep: (nowMs: number) => void, start = t0) {
  let now = start;
  return {
    now: () => new Date(now),
    sleep: (ms: number) => {
      now += ms;
      onSleep(now);
      return Promise.resolve();
    },
    log: () => undefined,
  };
}

describe("acquireDrainSlot against a live holder with a skewed clock", () => {
  test("does not steal a slot whose holder keeps renewing, though its renewTime is minutes old", async () => {
    // GIVEN node-a holds the only slot and renews every 10 s from a clock 5 minutes slow
    const store = new LeaseStore();
    await store.writeLease(lease("node-a", t0 - minutes(5)));
    let lastRenew = t0;
    const clock = clockWith((now) => {
      if (now - lastRenew >= 10_000) {
        const current = store.leases.get("kubeadm-workers-drain-0") as LeaseView;
        void store.writeLease({ ...current, renewTime: new Date(now - minutes(5)) }, current.resourceVersion);
        lastRenew = now;
      }
    });
    // WHEN node-b waits up to 2 minutes for a slot
    const error = await acquireDrainSlot(store as unknown as ClusterApi, "node-b", 1, new Date(t0 + minutes(2)), clock).catch((e: Error) => e);
    // THEN it gives up naming the holder, and node-a still holds the slot
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/no drain slot became free in time: 1\/1 held by node-a/);
    expect(store.leases.get("kubeadm-workers-drain-0")?.holder).toBe("node-a");
  });

  test("takes over a slot whose holder stopped renewing, one lease duration after first seeing it", async () => {
    const store = new LeaseStore();
    await store.writeLease(lease("node-a", t0 + minutes(10)));
    const clock = clockWith(() => undefined);
    const slot = await acquireDrainSlot(store as unknown as ClusterApi, "node-b", 1, new Date(t0 + minutes(2)), clock);
    expect(store.leases.get(slot.name)?.holder).toBe("node-b");
    expect(clock.now().getTime() - t0).toBeGreaterThanOrEqual(slotLeaseSeconds * 1000);
    expect(clock.now().getTime() - t0).toBeLessThan((slotLeaseSeconds + 5) * 1000);
    await slot.release();
    expect(store.leases.size).toBe(0);
  });
});

describe("a held slot", () => {
  test("is lost when someone else took it, and release leaves their Lease alone", async () => {
    const store = new LeaseStore();
    const clock = clockWith(() => undefined);
    const slot = await acquireDrainSlot(store as unknown as ClusterApi, "node-a", 1, new Date(t0 + 60_000), clock);
    expect(slot.lost()).toBeUndefined();
    // GIVEN another holder overwrote it
    const current = store.leases.get(slot.name) as LeaseView;
    await store.writeLease({ ...current, holder: "node-z" }, current.resourceVersion);
    // WHEN the slot is renewed THEN it reports whom it was lost to
    await slot.renew();
    expect(slot.lost()).toMatch(/now held by node-z/);
    await slot.release();
    expect(store.leases.get(slot.name)?.holder).toBe("node-z");
  });

  test("is lost when it could not be renewed for 20 s of our clock", async () => {
    const store = new LeaseStore();
    let now = t0;
    const clock = { now: () => new Date(now), sleep: () => Promise.resolve(), log: () => undefined };
    await store.writeLease(lease("node-a", t0));
    const slot = holdSlot(store as unknown as ClusterApi, "kubeadm-workers-drain-0", "node-a", clock);
    store.readLease = () => Promise.reject(new Error("connection refused"));
    now += 15_000;
    await slot.renew();
    expect(slot.lost()).toBeUndefined();
    now += 10_000;
    await slot.renew();
    expect(slot.lost()).toMatch(/could not be renewed for 20s/);
    store.readLease = (_ns: string, name: string) => Promise.resolve(store.leases.get(name));
    await slot.release();
  });
});

describe("acquireDrainSlot counts the nodes our failed drains left cordoned", () => {
  const failed = (name: string) => ({ name, unschedulable: true, annotations: { "kubeadm-workers.io/drain-phase": "timed-out", "kubeadm-workers.io/drain-purpose": "remove" } });

  test("a node left cordoned by a failed drain holds the only slot: no other node is cordoned, and the timeout names it and how to free it", async () => {
    // GIVEN node-a's drain timed out: its node stays cordoned, its slot was released
    const store = new LeaseStore();
    store.cordoned.push(failed("node-a"));
    const clock = clockWith(() => undefined);
    // WHEN node-b asks for the only slot
    const error = await acquireDrainSlot(store as unknown as ClusterApi, "node-b", 1, new Date(t0 + 60_000), clock).catch((e: Error) => e);
    // THEN it never gets it
    expect(store.leases.size).toBe(0);
    expect((error as Error).message).toMatch(/no drain slot became free in time.*node-a is cordoned by a drain of ours that did not finish \(phase timed-out\).*counts against drain\.maxConcurrentDrains.*pulumi up.*kubectl uncordon node-a/);
  });

  test("the failed node itself takes the slot back to resume its drain", async () => {
    const store = new LeaseStore();
    store.cordoned.push(failed("node-a"));
    const slot = await acquireDrainSlot(store as unknown as ClusterApi, "node-a", 1, new Date(t0 + 60_000), clockWith(() => undefined));
    expect(slot.name).toBe("kubeadm-workers-drain-0");
    await slot.release();
  });

  test("once the failed node is uncordoned, the waiting drain takes the slot", async () => {
    const store = new LeaseStore();
    store.cordoned.push(failed("node-a"));
    const clock = clockWith((now) => {
      if (now >= t0 + 10_000) store.cordoned[0].unschedulable = false;
    });
    const slot = await acquireDrainSlot(store as unknown as ClusterApi, "node-b", 1, new Date(t0 + 60_000), clock);
    expect(store.leases.get(slot.name)?.holder).toBe("node-b");
    await slot.release();
  });

  test("with two slots, one node left cordoned and one drain running, a third waits", async () => {
    const store = new LeaseStore();
    store.cordoned.push(failed("node-a"), { ...failed("node-c"), annotations: { ...failed("node-c").annotations, "kubeadm-workers.io/drain-phase": "evicting" } });
    store.leases.set("kubeadm-workers-drain-0", { ...lease("node-c", t0), name: "kubeadm-workers-drain-0" });
    const error = await acquireDrainSlot(store as unknown as ClusterApi, "node-b", 2, new Date(t0 + 20_000), clockWith(() => undefined)).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/2\/2 held by node-c.*node-a/);
    expect(store.leases.has("kubeadm-workers-drain-1")).toBe(false);
  });
});
