// The words for blockers: one error that names every blocking pod grouped by reason with the option
// that overrides it (kubectl's PodDeleteList.errors(), but in a fixed order and with our option
// names), and the matching warnings for blockers an option overrode.
import type { BlockReason, PodDecision } from "./decisions";
import { byRef, refOf, type DrainPod } from "./types";

/** Reasons in kubectl's filter order; the error lists them in this order. */
const reasonOrder: readonly BlockReason[] = ["orphaned-daemonset-pod", "local-storage", "unmanaged"];

const blockedBecause: Record<BlockReason, string> = {
  "orphaned-daemonset-pod": "pods whose DaemonSet no longer exists, set drain.force: true to delete them for good",
  "local-storage": "pods with local storage (emptyDir), set drain.deleteEmptyDirData: true to delete their data",
  unmanaged: "pods not managed by a controller, set drain.force: true to delete them for good",
};

const overriddenBecause: Record<BlockReason, string> = {
  "orphaned-daemonset-pod": "deleting pods whose DaemonSet no longer exists (drain.force)",
  "local-storage": "deleting the emptyDir data of pods (drain.deleteEmptyDirData)",
  unmanaged: "deleting pods not managed by a controller (drain.force)",
};

function daemonSetOf(pod: DrainPod): string {
  const owner = pod.ownerReferences?.find((reference) => reference.controller === true);
  return owner ? ` (DaemonSet ${owner.name})` : "";
}

function podsByReason(pairs: readonly (readonly [BlockReason, DrainPod])[]): Map<BlockReason, string[]> {
  const grouped = new Map<BlockReason, string[]>();
  for (const reason of reasonOrder) {
    const pods = pairs
      .filter(([r]) => r === reason)
      .map(([, pod]) => pod)
      .sort(byRef)
      .map((pod) => refOf(pod) + (reason === "orphaned-daemonset-pod" ? daemonSetOf(pod) : ""));
    if (pods.length > 0) grouped.set(reason, pods);
  }
  return grouped;
}

/**
 * `cannot drain node N: K pods block it:` then one indented line per reason:
 * `<what and how to override>: ns/a, ns/b`. Undefined when no pod blocks.
 */
export function describeBlockers(node: string, decisions: readonly PodDecision[]): string | undefined {
  const blocked = decisions.flatMap((d) => (d.action === "block" ? [d] : []));
  if (blocked.length === 0) return undefined;
  const pairs = blocked.flatMap((d) => d.reasons.map((reason) => [reason, d.pod] as const));
  const lines = [...podsByReason(pairs)].map(([reason, pods]) => `  ${blockedBecause[reason]}: ${pods.join(", ")}`);
  const count = blocked.length === 1 ? "1 pod blocks it" : `${blocked.length} pods block it`;
  return [`cannot drain node ${node}: ${count}:`, ...lines].join("\n");
}

/** One warning line per overridden reason: `<what is being lost>: ns/a, ns/b`. */
export function describeOverrides(decisions: readonly PodDecision[]): string[] {
  const pairs = decisions.flatMap((d) =>
    d.action === "evict" ? d.overridden.map((reason) => [reason, d.pod] as const) : [],
  );
  return [...podsByReason(pairs)].map(([reason, pods]) => `${overriddenBecause[reason]}: ${pods.join(", ")}`);
}

const shortReason: Record<BlockReason, string> = {
  "orphaned-daemonset-pod": "its DaemonSet is gone",
  "local-storage": "emptyDir",
  unmanaged: "no controller",
};

/** One short line per blocked pod, for the Node annotation: `web/cache-0 (emptyDir, no controller)`. */
export function describeBlockedPods(decisions: readonly PodDecision[]): string[] {
  return decisions
    .flatMap((d) => (d.action === "block" ? [d] : []))
    .sort((a, b) => byRef(a.pod, b.pod))
    .map((d) => `${refOf(d.pod)} (${d.reasons.map((reason) => shortReason[reason]).join(", ")})`);
}
