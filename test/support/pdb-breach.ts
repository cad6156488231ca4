import { selects, type LabelSelector } from "../../providers/drain/label-selector";

/** A PodDisruptionBudget as a watch event carries it, reduced to what a breach depends on. */
export interface PdbState {
  readonly name: string;
  readonly selector: LabelSelector | undefined;
  /** status.desiredHealthy: what the disruption controller says must stay healthy. */
  readonly desiredHealthy?: number;
  readonly currentHealthy?: number;
  /** status.observedGeneration: unset until the controller has looked at this PDB. */
  readonly observedGeneration?: number;
}

export interface PodState {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ready: boolean;
  /** metadata.deletionTimestamp set: the disruption controller no longer counts it as healthy. */
  readonly terminating: boolean;
}

/**
 * Every budget a disruption broke at this moment, judged on the pods themselves, counted as the
 * disruption controller counts them (Ready and not being deleted), so a breach the controller has not
 * yet written down is seen too. The PDB's own status is shown beside it but never judged alone: after
 * an API server restart the controller reported 1 healthy while the watched pods showed 3, and a
 * status that is low only holds evictions back (the safe side).
 *
 * A pod that was Ready (`everReady`: names the caller saw Ready at any moment) and is NotReady now
 * without being deleted failed its readiness probe: an involuntary disruption, which no drain causes
 * and the Eviction API cannot prevent. A shortfall such pods explain is not a breach; one that remains
 * with them counted is. A replacement that has never been Ready is no excuse: evicting before it is
 * Ready is exactly the breach this looks for.
 */
export function pdbBreaches(pdbs: Iterable<PdbState>, pods: Iterable<PodState>, everReady: ReadonlySet<string> = new Set()): string[] {
  const podList = [...pods];
  const breaches: string[] = [];
  for (const pdb of pdbs) {
    if (pdb.observedGeneration === undefined || pdb.desiredHealthy === undefined) continue;
    const selected = podList.filter((p) => selects(pdb.selector, p.labels));
    const healthy = selected.filter((p) => p.ready && !p.terminating);
    const probeFailed = selected.filter((p) => !p.ready && !p.terminating && everReady.has(p.name)).length;
    if (healthy.length + probeFailed < pdb.desiredHealthy) {
      // Why each other pod does not count: a pod being deleted is a disruption.
      const others = selected
        .filter((p) => !healthy.includes(p))
        .map((p) => `${p.name} ${p.terminating ? "terminating" : everReady.has(p.name) ? "not Ready (its probe)" : "not Ready yet"}`)
        .sort();
      breaches.push(
        `PDB ${pdb.name}: ${healthy.length} Ready pods (${healthy.map((p) => p.name).sort().join(", ") || "none"}) < ${pdb.desiredHealthy} desired (status: ${pdb.currentHealthy ?? 0} healthy)` +
          (others.length > 0 ? `; not counted: ${others.join(", ")}` : ""),
      );
    }
  }
  return breaches;
}

/** The PDB fields a breach needs, from the API object. */
export function pdbStateOf(object: any): PdbState {
  return {
    name: object.metadata.name,
    selector: object.spec?.selector,
    desiredHealthy: object.status?.desiredHealthy,
    currentHealthy: object.status?.currentHealthy,
    observedGeneration: object.status?.observedGeneration,
  };
}

/** The pod fields a breach needs, from the API object. */
export function podStateOf(object: any): PodState {
  const conditions: { type: string; status: string }[] = object.status?.conditions ?? [];
  return {
    name: object.metadata.name,
    labels: object.metadata.labels ?? {},
    ready: conditions.some((c) => c.type === "Ready" && c.status === "True"),
    terminating: Boolean(object.metadata.deletionTimestamp),
  };
}
