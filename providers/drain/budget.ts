import type { ClusterApi, LeaseView } from "../cluster/kube-api";
import { expiredAsObserved, observeLease, type LeaseObservation } from "./lease-observation";
import { describeStranded, strandedCordons } from "./stranded";
import type { DrainEffects } from "./types";

/** Where the drain slots live: one Lease per slot, kubeadm-workers-drain-<n>. */
export const budgetNamespace = "kube-system";
/** A holder that stops renewing (a killed `pulumi up`) loses its slot this long after we last saw it renew. */
export const slotLeaseSeconds = 30;
const renewEverySeconds = 10;
/**
 * A holder that could not renew for this long (on its own clock) gives up: others may take the slot
 * 30 s after they last saw a renewal, so going on would let two drains run on one slot.
 */
const renewDeadlineSeconds = 20;


export class DrainSlotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DrainSlotError";
  }
}

/** A drain slot held by this process. */
export interface DrainSlot {
  readonly name: string;
  /** Why the slot is no longer ours (taken by another holder, or not renewed in time); undefined while held. */
  lost(): string | undefined;
  /** One renewal now (the timer calls it every 10 s); marks the slot lost when it is not ours any more. */
  renew(): Promise<void>;
  /** A renewal when 10 s of our clock passed since the last attempt: the drain calls it at every pause. */
  renewIfDue(): Promise<void>;
  /** Gives the slot back (deletes the Lease when it is still ours). */
  release(): Promise<void>;
}

function slotName(index: number): string {
  return `kubeadm-workers-drain-${index}`;
}

/** The slot as an operator finds it: `kubectl -n kube-system get lease <name>`. */
function slotLease(name: string): string {
  return `drain slot ${name} (Lease ${budgetNamespace}/${name})`;
}

/**
 * The permissions the budget needs, checked before anything is cordoned: a drain that could take a
 * slot but not renew or release it would hold the whole cluster's budget.
 */
export async function checkBudgetPermissions(cluster: ClusterApi): Promise<void> {
  const verbs = ["get", "create", "update", "delete"] as const;
  const answers = await Promise.all(verbs.map((verb) => cluster.canI({ verb, group: "coordination.k8s.io", resource: "leases", namespace: budgetNamespace })));
  const missing = verbs.filter((_, index) => !answers[index]);
  if (missing.length > 0) {
    throw new DrainSlotError(
      `the kubeconfig's identity may not ${missing.join(", ")} Leases (coordination.k8s.io) in namespace ${budgetNamespace}, ` +
        "which the drain budget (drain.maxConcurrentDrains) needs; nothing was cordoned. Grant those verbs or use a kubeconfig that has them.",
    );
  }
}

/**
 * Takes one of `slots` drain slots of the cluster (a Lease semaphore), so however many nodes are
 * removed at once, and by however many `pulumi up`s, at most `slots` drain together. The holder is
 * the node's name: a re-run for the same node gets its own slot back at once. Another holder's slot
 * is taken only when we have seen its Lease unchanged for a whole lease duration on our own clock
 * (lease-observation.ts). A node our failed drain left cordoned takes a slot too (stranded.ts).
 * Gives up at `deadline`.
 */
export async function acquireDrainSlot(
  cluster: ClusterApi,
  holder: string,
  slots: number,
  deadline: Date,
  clock: DrainEffects,
): Promise<DrainSlot> {
  const observations = new Map<string, LeaseObservation>();
  let lastReport = 0;
  for (;;) {
    // Every slot first, then the cordoned Nodes: the slots in use are the live Leases plus the
    // nodes our failed drains left cordoned (stranded.ts); only what is left may be taken.
    const holders: string[] = [];
    const free: { name: string; lease?: LeaseView; mine: boolean; expiredHolder?: string }[] = [];
    for (let index = 0; index < slots; index++) {
      const name = slotName(index);
      const lease = await cluster.readLease(budgetNamespace, name);
      if (!lease || lease.holder === "") free.push({ name, lease, mine: false });
      else if (lease.holder === holder) free.push({ name, lease, mine: true });
      else {
        const now = clock.now().getTime();
        const observation = observeLease(observations.get(name), lease, now);
        observations.set(name, observation);
        if (expiredAsObserved(observation, now)) free.push({ name, lease, mine: false, expiredHolder: lease.holder });
        else holders.push(lease.holder);
      }
    }
    const stranded = strandedCordons(await cluster.listCordonedNodes(), holder, holders);
    const room = slots - holders.length - stranded.length;
    // Our own slot (a re-run for the same node) is already counted: it is taken back whatever the room.
    const candidates = free.filter((slot) => slot.mine || room > 0).sort((a, b) => Number(b.mine) - Number(a.mine));
    for (const slot of candidates) {
      const mine: LeaseView = { namespace: budgetNamespace, name: slot.name, holder, durationSeconds: slotLeaseSeconds, renewTime: clock.now() };
      if (await cluster.writeLease(mine, slot.lease?.resourceVersion)) {
        if (slot.expiredHolder) clock.log(`drain slot ${slot.name}: ${slot.expiredHolder} has not renewed it for ${slotLeaseSeconds}s, took it over`);
        return holdSlot(cluster, slot.name, holder, clock);
      }
    }
    const count = `${holders.length + stranded.length}/${slots}`;
    const taken = (holders.length > 0 ? `${count} held by ${holders.join(", ")}` : `${count} taken`) + (stranded.length > 0 ? `; ${describeStranded(stranded)}` : "");
    const now = clock.now();
    if (now >= deadline) {
      throw new DrainSlotError(
        `no drain slot became free in time: ${taken}. ` +
          "The node was not cordoned. Wait for those drains to finish, raise drain.timeoutSeconds (it covers the wait for a slot and the drain), " +
          "or raise drain.maxConcurrentDrains to allow more nodes draining at once.",
      );
    }
    if (now.getTime() - lastReport >= 15_000) {
      clock.log(`waiting for a drain slot (${taken})`);
      lastReport = now.getTime();
    }
    await clock.sleep(Math.min(2000, Math.max(deadline.getTime() - now.getTime(), 0)));
  }
}

/** A slot we hold: renewed every 10 s; lost when someone else holds it or we could not renew in time. */
export function holdSlot(cluster: ClusterApi, name: string, holder: string, clock: DrainEffects): DrainSlot {
  let lostBecause: string | undefined;
  let lastRenewedMs = clock.now().getTime();
  let lastAttemptMs = lastRenewedMs;
  let renewing: Promise<void> = Promise.resolve();
  let released = false;

  const renewOnce = async (): Promise<void> => {
    if (lostBecause || released) return;
    lastAttemptMs = clock.now().getTime();
    try {
      const lease = await cluster.readLease(budgetNamespace, name);
      if (!lease || lease.holder !== holder) {
        lostBecause = lease ? `${slotLease(name)} is now held by ${lease.holder || "nobody"}` : `${slotLease(name)} was deleted by someone else`;
        return;
      }
      const now = clock.now();
      if (await cluster.writeLease({ ...lease, renewTime: now, durationSeconds: slotLeaseSeconds }, lease.resourceVersion)) {
        lastRenewedMs = now.getTime();
        return;
      }
    } catch (error) {
      clock.log(`warning: could not renew drain slot ${name}: ${(error as Error).message}`);
    }
    if (clock.now().getTime() - lastRenewedMs > renewDeadlineSeconds * 1000) {
      lostBecause = `${slotLease(name)} could not be renewed for ${renewDeadlineSeconds}s (another drain may take it after ${slotLeaseSeconds}s)`;
    }
  };

  const timer = setInterval(() => {
    renewing = renewing.then(renewOnce);
  }, renewEverySeconds * 1000);
  timer.unref();

  return {
    name,
    lost: () => lostBecause ?? (released ? undefined : clock.now().getTime() - lastRenewedMs > renewDeadlineSeconds * 1000 ? `${slotLease(name)} not renewed for ${renewDeadlineSeconds}s` : undefined),
    renew: () => (renewing = renewing.then(renewOnce)),
    renewIfDue: () => (clock.now().getTime() - lastAttemptMs >= renewEverySeconds * 1000 ? (renewing = renewing.then(renewOnce)) : renewing),
    async release() {
      clearInterval(timer);
      await renewing;
      released = true;
      const lease = await cluster.readLease(budgetNamespace, name);
      if (lease?.holder === holder) await cluster.deleteLease(budgetNamespace, name);
    },
  };
}
