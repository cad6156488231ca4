// Whether the scheduler may place a pod on a node at all, before resources: the NodeUnschedulable,
// TaintToleration, NodeSelector and required NodeAffinity filters. Each check returns why it
// refuses, so the capacity report can group nodes by reason.
import type { ClusterNode, NodeSelectorRequirement, NodeSelectorTerm, PodSchedulingSpec, Taint, Toleration } from "./types";

/** Why a node cannot take a pod, regardless of free resources. */
export type NodeRefusal =
  | { readonly kind: "not-ready" }
  | { readonly kind: "cordoned" }
  | { readonly kind: "taint"; readonly taint: Taint }
  | { readonly kind: "node-selector"; readonly label: string }
  | { readonly kind: "node-affinity" };

/** The taint the node controller puts on cordoned nodes; a pod tolerating it may land there. */
const unschedulableTaint: Taint = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" };

/** k8s.io/api/core/v1 Toleration.ToleratesTaint. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === "Exists") return true;
  return (toleration.value ?? "") === (taint.value ?? "");
}

const tolerated = (pod: PodSchedulingSpec, taint: Taint): boolean =>
  (pod.tolerations ?? []).some((toleration) => tolerates(toleration, taint));

/** The first NoSchedule/NoExecute taint the pod does not tolerate (PreferNoSchedule is only a preference). */
export function untoleratedTaint(pod: PodSchedulingSpec, node: ClusterNode): Taint | undefined {
  return (node.taints ?? []).find((taint) => taint.effect !== "PreferNoSchedule" && !tolerated(pod, taint));
}

function matchesRequirement(requirement: NodeSelectorRequirement, values: Readonly<Record<string, string>>): boolean {
  const value = values[requirement.key];
  const listed = requirement.values ?? [];
  switch (requirement.operator) {
    case "In":
      return value !== undefined && listed.includes(value);
    case "NotIn":
      return value === undefined || !listed.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      // Both sides must be integers; anything else does not match (as labels.Requirement).
      const [bound] = listed;
      if (value === undefined || bound === undefined || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(bound)) return false;
      return requirement.operator === "Gt" ? BigInt(value) > BigInt(bound) : BigInt(value) < BigInt(bound);
    }
  }
}

/** A term matches when all its requirements do; a term with none matches no node (as the API defines). */
function matchesTerm(term: NodeSelectorTerm, node: ClusterNode): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length + fields.length === 0) return false;
  const labels = node.labels ?? {};
  return (
    expressions.every((requirement) => matchesRequirement(requirement, labels)) &&
    fields.every((requirement) => matchesRequirement(requirement, { "metadata.name": node.name }))
  );
}

/** Why the node cannot take the pod, checked in the scheduler's filter order; undefined if it can. */
export function refusalOf(pod: PodSchedulingSpec, node: ClusterNode): NodeRefusal | undefined {
  if (!node.ready) return { kind: "not-ready" };
  if (node.unschedulable && !tolerated(pod, unschedulableTaint)) return { kind: "cordoned" };
  const taint = untoleratedTaint(pod, node);
  if (taint) return { kind: "taint", taint };
  for (const [key, value] of Object.entries(pod.nodeSelector ?? {})) {
    if (node.labels?.[key] !== value) return { kind: "node-selector", label: `${key}=${value}` };
  }
  const terms = pod.requiredNodeAffinity;
  if (terms && terms.length > 0 && !terms.some((term) => matchesTerm(term, node))) return { kind: "node-affinity" };
  return undefined;
}
