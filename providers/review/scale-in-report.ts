// The scale-in report a reviewer reads in `pulumi preview` (and so in the pull request's comment):
// for every node the change would drain, which pods move (grouped by workload), which would block the
// drain and the option that overrides each, the PodDisruptionBudgets involved with the disruptions
// they allow right now, and whether the nodes that remain have room. Pure: the facts are read by the
// caller with read-only API calls; nothing here talks to a cluster or a host.
import { describeBlockers, describeOverrides } from "../drain/blockers";
import { checkCapacity } from "../drain/capacity";
import { planDrain } from "../drain/classify";
import type { DrainOptions } from "../drain/options";
import { byRef, compareText, isFinished, refOf, type ClusterNode, type DrainPod, type ObjectRef } from "../drain/types";
import { selects, type LabelSelector } from "../drain/label-selector";
import { leavesForGood } from "./departing";
import { workloadKey, workloadOf } from "./workload";

export interface ReviewPdb extends ObjectRef {
  readonly selector: LabelSelector;
  readonly disruptionsAllowed: number;
  readonly currentHealthy: number;
  readonly desiredHealthy: number;
}

export interface DepartingNode {
  /** The stack's resource (entry) name. */
  readonly resource: string;
  readonly node: string;
  /** delete: the entry is gone; replace: an identity field changed, the node is drained and joined
   * anew; upgrade: drained, upgraded in place and uncordoned. */
  readonly action: "delete" | "replace" | "upgrade";
  /** Why it departs, in words, e.g. "its entry was removed from the stack config". */
  readonly why?: string;
  /** Every pod bound to the node, in any phase. */
  readonly pods: readonly DrainPod[];
}

export interface ScaleInFacts {
  readonly departing: readonly DepartingNode[];
  readonly pdbs: readonly ReviewPdb[];
  /** `namespace/name` of every DaemonSet that exists. */
  readonly existingDaemonSets: ReadonlySet<string>;
  readonly terminatingNamespaces: ReadonlySet<string>;
  /** Every Node that stays, with its pods (departing ones excluded). */
  readonly remainingNodes: readonly ClusterNode[];
  readonly now: Date;
}

export interface PdbInvolved {
  readonly pdb: ReviewPdb;
  /** Pods of this node the PDB covers. */
  readonly podsHere: number;
}

export interface NodeReport {
  readonly resource: string;
  readonly node: string;
  readonly action: DepartingNode["action"];
  readonly why?: string;
  /** `Deployment ns/name` → the pods of it to evict. */
  readonly moving: readonly { readonly workload: string; readonly pods: readonly string[] }[];
  /** kubectl-style refusal naming every blocker and its option, or undefined. */
  readonly blockers: string | undefined;
  /** Data or pods that an option set in config makes the drain delete for good. */
  readonly overrides: readonly string[];
  /** DaemonSet and mirror pods: they stay and go with the Node. */
  readonly leftInPlace: number;
  /** Pods already on their way out, waited for. */
  readonly alreadyLeaving: number;
  readonly pdbs: readonly PdbInvolved[];
}

export type CapacityVerdict =
  | { readonly kind: "fits"; readonly pods: number; readonly nodes: number; readonly inTurn: number }
  | { readonly kind: "short"; readonly message: string }
  | { readonly kind: "not-checked" };

export interface ScaleInReport {
  readonly nodes: readonly NodeReport[];
  readonly capacity: CapacityVerdict;
}

function nodeReport(departing: DepartingNode, facts: ScaleInFacts, options: DrainOptions): { report: NodeReport; movers: DrainPod[] } {
  const plan = planDrain(
    departing.pods,
    { node: departing.node, existingDaemonSets: facts.existingDaemonSets, terminatingNamespaces: facts.terminatingNamespaces, now: facts.now },
    options,
  );
  const movers = plan.decisions.filter((d) => d.action === "evict" && !isFinished(d.pod)).map((d) => d.pod);
  const groups = new Map<string, string[]>();
  for (const pod of [...movers].sort(byRef)) {
    const workload = workloadOf(pod);
    const key = workload ? workloadKey(workload) : "no controller";
    groups.set(key, [...(groups.get(key) ?? []), refOf(pod)]);
  }
  const pdbs = facts.pdbs
    .map((pdb) => ({
      pdb,
      podsHere: movers.filter((pod) => pod.namespace === pdb.namespace && selects(pdb.selector, pod.labels ?? {})).length,
    }))
    .filter((involved) => involved.podsHere > 0)
    .sort((a, b) => byRef(a.pdb, b.pdb));
  const skipped = plan.decisions.filter((d) => d.action === "skip");
  return {
    movers,
    report: {
      resource: departing.resource,
      node: departing.node,
      action: departing.action,
      ...(departing.why ? { why: departing.why } : {}),
      moving: [...groups].sort(([a], [b]) => compareText(a, b)).map(([workload, pods]) => ({ workload, pods })),
      blockers: describeBlockers(departing.node, plan.decisions),
      overrides: describeOverrides(plan.decisions),
      leftInPlace: skipped.filter((d) => d.reason === "daemonset-pod" || d.reason === "mirror-pod").length,
      alreadyLeaving: skipped.filter((d) => d.waitForDeletion).length,
      pdbs,
    },
  };
}

/**
 * Plans the report. Capacity is judged for all nodes that leave for good together (their pods share
 * the room that remains), and for each node upgraded in place or replaced in its turn: it comes
 * back, and the others, upgraded or replaced before or after it, are its room (`remainingNodes`
 * holds them).
 */
export function planScaleInReport(facts: ScaleInFacts, options: DrainOptions): ScaleInReport {
  const planned = [...facts.departing].sort((a, b) => compareText(a.resource, b.resource)).map((d) => nodeReport(d, facts, options));
  const movers = planned.flatMap((p) => p.movers);
  let capacity: CapacityVerdict;
  if (!options.checkCapacity) capacity = { kind: "not-checked" };
  else {
    const inTurn = planned.filter((p) => !leavesForGood(p.report.action));
    const removed = planned.filter((p) => leavesForGood(p.report.action));
    const checks = [
      checkCapacity(removed.flatMap((p) => p.movers), facts.remainingNodes),
      ...inTurn.map((p) => checkCapacity(p.movers, facts.remainingNodes.filter((n) => n.name !== p.report.node))),
    ];
    const short = checks.filter((c) => !c.fits);
    capacity =
      short.length === 0
        ? { kind: "fits", pods: movers.length, nodes: facts.remainingNodes.length, inTurn: inTurn.length }
        : { kind: "short", message: short.map((c) => c.message).join("\n") };
  }
  return { nodes: planned.map((p) => p.report), capacity };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function describePdb({ pdb, podsHere }: PdbInvolved): string {
  const verdict =
    pdb.disruptionsAllowed === 0
      ? "allows no disruption now: the drain waits for it (up to drain.timeoutSeconds)"
      : `allows ${plural(pdb.disruptionsAllowed, "disruption")} now`;
  return `PDB ${refOf(pdb)}: ${verdict} (${pdb.currentHealthy} healthy, ${pdb.desiredHealthy} required; covers ${plural(podsHere, "pod")} here)`;
}

function formatNode(node: NodeReport): string[] {
  const evicted = node.moving.reduce((sum, group) => sum + group.pods.length, 0);
  const what = { delete: "removed", replace: "replaced: drained, then joined anew", upgrade: "upgraded in place: drained, upgraded, uncordoned" }[node.action];
  const head = `${node.resource} (node ${node.node}, ${what}${node.why ? `: ${node.why}` : ""}): ${plural(evicted, "pod")} to evict`;
  const lines = [head];
  for (const group of node.moving) lines.push(`  ${group.workload}: ${group.pods.join(", ")}`);
  if (node.leftInPlace > 0) lines.push(`  left in place: ${plural(node.leftInPlace, "DaemonSet or mirror pod")} (they go with the Node)`);
  if (node.alreadyLeaving > 0) lines.push(`  already terminating: ${plural(node.alreadyLeaving, "pod")}, waited for`);
  for (const involved of node.pdbs) lines.push(`  ${describePdb(involved)}`);
  for (const warning of node.overrides) lines.push(`  will delete for good, as configured: ${warning}`);
  if (node.blockers) lines.push(...node.blockers.split("\n").map((line, i) => (i === 0 ? `  BLOCKED: ${line}` : `  ${line}`)));
  return lines;
}

function formatCapacity(capacity: CapacityVerdict): string {
  switch (capacity.kind) {
    case "fits":
      return capacity.inTurn === 0
        ? `Capacity: the ${plural(capacity.pods, "evicted pod")} fit on the ${plural(capacity.nodes, "node")} that ${capacity.nodes === 1 ? "remains" : "remain"} (judged with every departing node out at once).`
        : `Capacity: the ${plural(capacity.pods, "evicted pod")} fit (judged with every node removed out at once, and each node upgraded or replaced out in its own turn).`;
    case "short":
      return `Capacity: NOT ENOUGH ROOM — the drain will refuse before evicting anything:\n${capacity.message}`;
    case "not-checked":
      return "Capacity: not checked (drain.checkCapacity: false).";
  }
}

/** The text printed under the preview. */
export function formatScaleInReport(report: ScaleInReport): string {
  if (report.nodes.length === 0) return "";
  return ["Scale-in report (read-only API calls, no SSH):", ...report.nodes.flatMap(formatNode), formatCapacity(report.capacity)].join("\n");
}
