// Which pods to evict now, given what their PodDisruptionBudgets allow. Pure: the drain asks this
// before every eviction, so a PDB that allows one disruption is sent one eviction, not one per pod
// behind it (all but one of which the API server would refuse with 429).
import { selects, type LabelSelector } from "./label-selector";
import type { PdbStatus } from "./progress";
import { refOf, type DrainPod } from "./types";

/** A PodDisruptionBudget as the drain decides on it: which pods it selects and what it allows now. */
export interface PdbBudget extends PdbStatus {
  readonly selector: LabelSelector | undefined;
}

export interface EvictionTurns {
  /** Evict these now, in the order given; `spends`: the PDB whose budget the eviction takes one of. */
  readonly evict: readonly { readonly pod: DrainPod; readonly spends?: PdbBudget }[];
  /** These wait: the one PDB covering each allows no further disruption now. */
  readonly held: readonly { readonly pod: DrainPod; readonly pdb: PdbBudget }[];
}

/** The PDBs that select the pod: its namespace's, by label selector. */
export function pdbsCovering<T extends { readonly namespace: string; readonly selector: LabelSelector | undefined }>(pod: DrainPod, pdbs: readonly T[]): T[] {
  return pdbs.filter((pdb) => pdb.namespace === pod.namespace && selects(pdb.selector, pod.labels ?? {}));
}

/**
 * Whether an eviction of the pod spends its PDB's budget. The Eviction API lets a pod go without
 * looking at any budget when it is Pending, finished or already being deleted, and an unready pod
 * is not one of the healthy pods the budget protects (the API may let it go by the PDB's
 * unhealthyPodEvictionPolicy): such pods are never held back here, and the API decides as before.
 */
export function spendsBudget(pod: DrainPod): boolean {
  return pod.phase === "Running" && pod.ready === true && pod.deletionTimestamp === undefined;
}

/**
 * The pods to evict now, in order, each PDB giving at most its `disruptionsAllowed`; the rest held
 * back until it allows more. Not held back: pods no PDB covers, pods whose eviction spends no budget
 * (spendsBudget), and pods several PDBs cover: the Eviction API refuses those whatever the budgets
 * say (HTTP 500, "more than one PodDisruptionBudget"), and that refusal stops the drain naming the
 * PDBs, which is more use than a wait that ends in a timeout.
 */
export function evictionTurns(pods: readonly DrainPod[], pdbs: readonly PdbBudget[]): EvictionTurns {
  const evict: { pod: DrainPod; spends?: PdbBudget }[] = [];
  const held: { pod: DrainPod; pdb: PdbBudget }[] = [];
  const spent = new Map<string, number>();
  for (const pod of pods) {
    const covering = pdbsCovering(pod, pdbs);
    if (!spendsBudget(pod) || covering.length !== 1) {
      evict.push({ pod });
      continue;
    }
    const [pdb] = covering;
    const taken = spent.get(refOf(pdb)) ?? 0;
    if (taken < pdb.disruptionsAllowed) {
      spent.set(refOf(pdb), taken + 1);
      evict.push({ pod, spends: pdb });
    } else {
      held.push({ pod, pdb });
    }
  }
  return { evict, held };
}
