// The gate every eviction attempt of a drain passes: it lets a pod through when evictionTurns says
// its PodDisruptionBudget allows it now, and holds it on a watch of that PDB otherwise. The budgets
// come from one list per namespace when the wave starts, are spent locally as pods are let through,
// and are read again from the watch only once no attempt the gate let through is still under way:
// the Eviction API writes the PDB's status before it answers, so that read includes our evictions.
import type { ClusterApi } from "../cluster/kube-api";
import { evictionTurns, type PdbBudget } from "./eviction-turns";
import type { PdbStatus, StillBlocking } from "./progress";
import { refOf, type DrainPod, type ObjectRef } from "./types";

/** Longest single wait on a PDB's watch; the wait starts again until the drain's deadline. */
export const maxPdbWaitMs = 10_000;
/** The least time between two waits on a PDB, so a status that lags the Eviction API cannot become a busy loop. */
const minPdbWaitMs = 250;

/** A pod of the drain as the gate sees it; the gate records which PDB holds it back. */
export interface GatedPod {
  readonly pod: DrainPod;
  pdb?: ObjectRef;
  blockedBy?: StillBlocking;
}

export interface GateClock {
  /** Milliseconds left before the drain's deadline. */
  remaining(): number;
  /** True once the drain stops (a fatal eviction error): held pods are let go without a turn. */
  stopped(): boolean;
  sleep(ms: number): Promise<void>;
  /** A pod was held back or let go: the progress line may change. */
  changed(): void;
}

export interface BudgetGate {
  /** Resolves true when the pod may be evicted now; false when the deadline passed or the drain stopped first. */
  turn(state: GatedPod): Promise<boolean>;
  /**
   * The attempt its turn allowed is over. `refusedBy`: the PDB that refused it (429; another actor
   * spent the budget first). True when the gate knows that PDB and holds the pod's next turn until
   * it allows again; false when the caller must wait for it (waitForPdb).
   */
  attempted(state: GatedPod, refusedBy?: ObjectRef): boolean;
  /**
   * Waits (one watch shared by all who ask) until the PDB allows a disruption or `ms` passed, and
   * never less than minPdbWaitMs; the PDB's status then.
   */
  waitForPdb(pdb: ObjectRef, ms: number): Promise<PdbStatus | undefined>;
}

export function budgetGate(cluster: Pick<ClusterApi, "waitForPdbToAllow">, initial: readonly PdbBudget[], clock: GateClock): BudgetGate {
  const budgets = new Map(initial.map((pdb) => [refOf(pdb), pdb]));
  /** Pods waiting for their turn, in the order they asked. */
  const waiting = new Map<GatedPod, (go: boolean) => void>();
  /** The PDB (key) holding back each waiting pod, as the last decision found. */
  const heldBy = new Map<GatedPod, string>();
  /** The PDB (key) whose budget each pod let through spends, until its attempt is over. */
  const spending = new Map<GatedPod, string>();
  const watching = new Set<string>();
  const watches = new Map<string, Promise<PdbStatus | undefined>>();

  const sharedWatch = (pdb: ObjectRef, ms: number): Promise<PdbStatus | undefined> => {
    // Everything waiting on one PDB shares one watch instead of opening one each.
    const key = refOf(pdb);
    let wait = watches.get(key);
    if (!wait) {
      wait = cluster.waitForPdbToAllow(pdb.namespace, pdb.name, ms).finally(() => watches.delete(key));
      watches.set(key, wait);
    }
    return wait;
  };
  // The watch answers as soon as the PDB allows a disruption; the floor keeps a PDB whose status
  // lags the Eviction API (still being processed) from turning a wait into a busy loop.
  const waitForPdb = async (pdb: ObjectRef, ms: number): Promise<PdbStatus | undefined> =>
    (await Promise.all([sharedWatch(pdb, ms), clock.sleep(Math.min(minPdbWaitMs, ms))]))[0];

  const underWay = (key: string): boolean => [...spending.values()].includes(key);
  const holding = (key: string): boolean => [...heldBy.values()].includes(key);

  const release = (state: GatedPod, go: boolean): void => {
    const resolve = waiting.get(state);
    waiting.delete(state);
    heldBy.delete(state);
    resolve?.(go);
  };

  /** Watches one PDB while it holds pods back and no eviction it allowed is under way. */
  const watch = async (key: string): Promise<void> => {
    watching.add(key);
    try {
      while (holding(key) && !underWay(key)) {
        const ms = Math.min(maxPdbWaitMs, clock.remaining());
        if (ms <= 0 || clock.stopped()) {
          for (const [state, held] of [...heldBy]) if (held === key) release(state, false);
          return;
        }
        const pdb = budgets.get(key) as PdbBudget;
        const status = await waitForPdb(pdb, ms);
        if (status) budgets.set(key, { ...pdb, ...status });
        decide();
      }
    } finally {
      watching.delete(key);
    }
  };

  const watchIfDue = (key: string): void => {
    if (!watching.has(key) && holding(key) && !underWay(key)) void watch(key);
  };

  function decide(): void {
    const states = [...waiting.keys()];
    const byPod = new Map(states.map((state) => [state.pod, state]));
    const turns = evictionTurns(states.map((state) => state.pod), [...budgets.values()]);
    for (const { pod, spends } of turns.evict) {
      const state = byPod.get(pod) as GatedPod;
      if (spends) {
        const key = refOf(spends);
        const pdb = budgets.get(key) as PdbBudget;
        budgets.set(key, { ...pdb, disruptionsAllowed: pdb.disruptionsAllowed - 1 });
        spending.set(state, key);
      }
      release(state, true);
    }
    for (const { pod, pdb } of turns.held) {
      const state = byPod.get(pod) as GatedPod;
      heldBy.set(state, refOf(pdb));
      state.pdb = { namespace: pdb.namespace, name: pdb.name };
      state.blockedBy = { kind: "pdb", pdb };
    }
    for (const key of new Set(heldBy.values())) watchIfDue(key);
    clock.changed();
  }

  return {
    turn(state) {
      if (clock.remaining() <= 0 || clock.stopped()) return Promise.resolve(false);
      return new Promise<boolean>((go) => {
        waiting.set(state, go);
        decide();
      });
    },
    attempted(state, refusedBy) {
      const key = spending.get(state);
      spending.delete(state);
      let holdsNext = false;
      const refused = refusedBy && budgets.get(refOf(refusedBy));
      if (refused) {
        const spent = { ...refused, disruptionsAllowed: 0 };
        budgets.set(refOf(refused), spent);
        // Only a pod this gate would hold back waits here; any other refused pod waits as it did before the gate.
        holdsNext = evictionTurns([state.pod], [...budgets.values()]).held.length > 0;
      }
      if (key) watchIfDue(key);
      return holdsNext;
    },
    waitForPdb,
  };
}
