// Classifies every pod of a node the way kubectl drain's filters do (k8s.io/kubectl/pkg/drain/
// filters.go: skip-deleted, DaemonSet, mirror, local storage, unreplicated), with three deliberate
// differences, each explained where it happens:
//   - pods already being deleted, or in a namespace being deleted, are waited for, never blockers;
//   - a pod collects every blocker it has, not only the first, so one error lists all decisions;
//   - DaemonSet pods are always left in place (see DrainOptions.ignoreDaemonSets).
import { describeBlockers, describeOverrides } from "./blockers";
import type { BlockReason, PodDecision, SkipReason } from "./decisions";
import { deletedLongAgo } from "./eviction-order";
import type { DrainOptions } from "./options";
import { isDaemonSetOwner, isFinished, type DrainPod } from "./types";

/** What the drain needs to know about the cluster besides the node's pods. */
export interface DrainContext {
  /** The node being drained, for messages. */
  readonly node: string;
  /** `namespace/name` of every DaemonSet that exists, to tell a DaemonSet pod from an orphan. */
  readonly existingDaemonSets: ReadonlySet<string>;
  /** Namespaces whose deletionTimestamp is set. */
  readonly terminatingNamespaces: ReadonlySet<string>;
  /** The time the pods were listed; the only clock this module reads. */
  readonly now: Date;
}

export interface DrainPlan {
  readonly node: string;
  /** One decision per pod, in the order the pods were given. */
  readonly decisions: readonly PodDecision[];
  /** Pods to evict (or delete, with drain.disableEviction). */
  readonly toEvict: readonly DrainPod[];
  /** Pods to wait for until gone: the evicted ones and those already on their way out. */
  readonly toAwait: readonly DrainPod[];
  /** The one error naming every blocker, or undefined when nothing blocks. Nothing may be evicted if set. */
  readonly blockingError: string | undefined;
  /** kubectl-style warnings for blockers an option overrode, one line per reason. */
  readonly warnings: readonly string[];
}

const mirrorPodAnnotation = "kubernetes.io/config.mirror";

// Pods that are leaving anyway are waited for; DaemonSet and mirror pods stay until the Node goes,
// and pods stuck in deletion past the skip timeout are given up on (kubectl's behaviour).
const awaitedSkips: ReadonlySet<SkipReason> = new Set<SkipReason>(["terminating", "namespace-terminating"]);

function controllerOf(pod: DrainPod) {
  return pod.ownerReferences?.find((owner) => owner.controller === true);
}

function skipReasonOf(pod: DrainPod, context: DrainContext, options: DrainOptions): SkipReason | undefined {
  if (deletedLongAgo(pod, context.now, options.skipWaitForDeleteTimeoutSeconds)) return "deleted-long-ago";
  const controller = controllerOf(pod);
  if (
    isDaemonSetOwner(controller) &&
    !isFinished(pod) &&
    context.existingDaemonSets.has(`${pod.namespace}/${controller.name}`)
  ) {
    return "daemonset-pod";
  }
  if (pod.annotations?.[mirrorPodAnnotation] !== undefined) return "mirror-pod";
  // kubectl would evict a terminating pod again and may even refuse it for emptyDir or no
  // controller. It is leaving whatever we decide, and the API server lets such an eviction through
  // without a PDB check anyway, so we only wait for it.
  if (pod.deletionTimestamp) return "terminating";
  // kubectl retries the Forbidden (NamespaceTerminating) eviction every 5s until the namespace
  // controller deletes the pod, then waits for it. Waiting is the same outcome without the requests.
  if (context.terminatingNamespaces.has(pod.namespace)) return "namespace-terminating";
  return undefined;
}

/** The blockers a pod has, in kubectl's filter order; finished pods have none (as in kubectl). */
function blockersOf(pod: DrainPod, context: DrainContext): BlockReason[] {
  if (isFinished(pod)) return [];
  const controller = controllerOf(pod);
  const blockers: BlockReason[] = [];
  if (isDaemonSetOwner(controller) && !context.existingDaemonSets.has(`${pod.namespace}/${controller.name}`)) {
    blockers.push("orphaned-daemonset-pod");
  }
  if (pod.volumes?.some((volume) => volume.emptyDir)) blockers.push("local-storage");
  if (!controller) blockers.push("unmanaged");
  return blockers;
}

export function isOverridden(reason: BlockReason, options: DrainOptions): boolean {
  return reason === "local-storage" ? options.deleteEmptyDirData : options.force;
}

/** Decides, for one pod, whether the drain evicts it, leaves it, or must refuse. */
export function classifyPod(pod: DrainPod, context: DrainContext, options: DrainOptions): PodDecision {
  const skip = skipReasonOf(pod, context, options);
  if (skip) return { action: "skip", pod, reason: skip, waitForDeletion: awaitedSkips.has(skip) };
  const blockers = blockersOf(pod, context);
  const remaining = blockers.filter((reason) => !isOverridden(reason, options));
  if (remaining.length > 0) return { action: "block", pod, reasons: remaining };
  return { action: "evict", pod, reason: isFinished(pod) ? "finished" : "evictable", overridden: blockers };
}

/**
 * Classifies every pod of the node. The plan is refused as a whole (blockingError set) if any pod
 * blocks: the drain must not evict half a node and then stop.
 */
export function planDrain(pods: readonly DrainPod[], context: DrainContext, options: DrainOptions): DrainPlan {
  const decisions = pods.map((pod) => classifyPod(pod, context, options));
  const toEvict = decisions.filter((d) => d.action === "evict").map((d) => d.pod);
  const toAwait = decisions
    .filter((d) => d.action === "evict" || (d.action === "skip" && d.waitForDeletion))
    .map((d) => d.pod);
  return {
    node: context.node,
    decisions,
    toEvict,
    toAwait,
    blockingError: describeBlockers(context.node, decisions),
    warnings: describeOverrides(decisions),
  };
}
