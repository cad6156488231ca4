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

/**
 * Why the Node's kubelet cannot confirm anything any more, or undefined while it reports: the node
 * lifecycle controller set its Ready condition to Unknown (the kubelet stopped posting status: host
 * down, off the network).
 */
export function kubeletSilence(conditions: readonly { type: string; status: string; message?: string }[] | undefined): string | undefined {
  const ready = conditions?.find((c) => c.type === "Ready");
  return ready?.status === "Unknown" ? `Ready Unknown${ready.message ? `: ${ready.message}` : ""}` : undefined;
}

/**
 * An evicted pod whose grace period is over on a node whose kubelet is silent: no kubelet will ever
 * confirm its end, so it can only go with the Node (Cluster API's drain stops waiting for such pods
 * too). Its replacement is already counted by the PDB and waited for like any other.
 */
export function strandedOnSilentNode(pod: { readonly deletionTimestamp?: Date }, now: Date, silence: string | undefined): boolean {
  return silence !== undefined && pod.deletionTimestamp !== undefined && pod.deletionTimestamp.getTime() <= now.getTime();
}
