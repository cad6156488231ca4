// Which pods go first. The cluster's own services (priority classes system-node-critical and
// system-cluster-critical: DNS, metrics, CNI controllers not run as DaemonSets) are evicted only
// after every other pod is gone, as Karpenter does, so they keep serving while the workloads move.
import type { DrainPod } from "./types";

export const criticalPriorityClasses: ReadonlySet<string> = new Set(["system-node-critical", "system-cluster-critical"]);

export const isCritical = (pod: DrainPod): boolean => criticalPriorityClasses.has(pod.priorityClassName ?? "");

/** The pods in eviction waves: every other pod first, then the critical ones; empty waves dropped. */
export function evictionWaves(pods: readonly DrainPod[]): DrainPod[][] {
  return [pods.filter((pod) => !isCritical(pod)), pods.filter(isCritical)].filter((wave) => wave.length > 0);
}

/**
 * kubectl's shouldSkipPod: a pod whose deletion started more than `skipSeconds` ago (whole seconds,
 * strictly greater) is stuck (finalizer, dead kubelet) and no longer waited for; 0 waits for all.
 */
export function deletedLongAgo(pod: { readonly deletionTimestamp?: Date }, now: Date, skipSeconds: number): boolean {
  if (!pod.deletionTimestamp || skipSeconds <= 0) return false;
  return Math.floor((now.getTime() - pod.deletionTimestamp.getTime()) / 1000) > skipSeconds;
}
