import type { ClusterApi, LeaseView } from "../cluster/kube-api";

/** Where the drain slots live: one Lease per slot, kubeadm-workers-drain-<n>. */
export const budgetNamespace = "kube-system";
/** A holder that stops renewing (a killed `pulumi up`) loses its slot after this long. */
export const slotLeaseSeconds = 30;
const renewEverySeconds = 10;

export interface BudgetClock {
  now(): Date;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
}

function slotName(index: number): string {
  return `kubeadm-workers-drain-${index}`;
}

export function isExpired(lease: LeaseView, now: Date): boolean {
  return lease.renewTime.getTime() + lease.durationSeconds * 1000 <= now.getTime();
}

/**
 * Takes one of `slots` drain slots of the cluster (a Lease semaphore), so however many nodes are
 * removed at once, and by however many `pulumi up`s, at most `slots` drain together. The holder is
 * the node's name: a re-run for the same node gets its own slot back at once. Resolves with the
 * function that gives the slot back.
 */
export async function acquireDrainSlot(
  cluster: ClusterApi,
  holder: string,
  slots: number,
  deadline: Date,
  clock: BudgetClock,
): Promise<() => Promise<void>> {
  let lastReport = 0;
  for (;;) {
    const holders: string[] = [];
    for (let index = 0; index < slots; index++) {
      const name = slotName(index);
      const lease = await cluster.readLease(budgetNamespace, name);
      const now = clock.now();
      const mine: LeaseView = { namespace: budgetNamespace, name, holder, durationSeconds: slotLeaseSeconds, renewTime: now };
      const taken = !lease
        ? await cluster.writeLease(mine)
        : lease.holder === holder || isExpired(lease, now)
          ? await cluster.writeLease(mine, lease.resourceVersion)
          : (holders.push(lease.holder), false);
      if (taken) return holdSlot(cluster, name, holder, clock);
    }
    const now = clock.now();
    if (now >= deadline) {
      throw new Error(
        `no drain slot became free in time: ${holders.length}/${slots} held by ${holders.join(", ")}. ` +
          "Wait for those drains to finish, or raise drain.maxConcurrentDrains to allow more nodes draining at once.",
      );
    }
    if (now.getTime() - lastReport >= 15_000) {
      clock.log(`waiting for a drain slot (${holders.length}/${slots} held by ${holders.join(", ")})`);
      lastReport = now.getTime();
    }
    await clock.sleep(2000);
  }
}

function holdSlot(cluster: ClusterApi, name: string, holder: string, clock: BudgetClock): () => Promise<void> {
  let renewing = Promise.resolve();
  const timer = setInterval(() => {
    renewing = (async () => {
      const lease = await cluster.readLease(budgetNamespace, name);
      if (lease?.holder !== holder) return;
      await cluster.writeLease({ ...lease, renewTime: clock.now(), durationSeconds: slotLeaseSeconds }, lease.resourceVersion);
    })().catch((error: Error) => clock.log(`warning: could not renew drain slot ${name}: ${error.message}`));
  }, renewEverySeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await renewing;
    const lease = await cluster.readLease(budgetNamespace, name);
    if (lease?.holder === holder) await cluster.deleteLease(budgetNamespace, name);
  };
}
