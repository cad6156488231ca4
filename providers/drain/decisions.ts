import type { DrainPod } from "./types";

/**
 * Why a pod stays on the node and is not evicted. `waitForDeletion` says whether the drain still
 * waits until it is gone before deleting the Node.
 */
export type SkipReason =
  /** Deletion started longer ago than drain.skipWaitForDeleteTimeoutSeconds (kubectl's skipDeletedFilter). */
  | "deleted-long-ago"
  /** Its DaemonSet exists; the controller would recreate it at once; it goes with the Node. */
  | "daemonset-pod"
  /** A static pod's mirror (annotation kubernetes.io/config.mirror): the API cannot remove it. */
  | "mirror-pod"
  /** Already being deleted (deletionTimestamp set): nothing to evict, wait until it is gone. */
  | "terminating"
  /** Its namespace is being deleted: evictions are Forbidden there, the namespace takes the pod. */
  | "namespace-terminating";

/**
 * What stops a pod from being evicted unless an option overrides it, in kubectl's filter order.
 * The same names appear on an evicted pod whose blockers an option overrode.
 */
export type BlockReason =
  /** Owned by a DaemonSet that no longer exists: nothing recreates it. Overridden by drain.force. */
  | "orphaned-daemonset-pod"
  /** Uses emptyDir: its data is lost. Overridden by drain.deleteEmptyDirData. */
  | "local-storage"
  /** No controller ownerReference: nothing recreates it. Overridden by drain.force. */
  | "unmanaged";

export type PodDecision =
  | {
      readonly action: "evict";
      readonly pod: DrainPod;
      /** `finished`: Succeeded/Failed, removable whatever it uses or whoever owns it (as kubectl). */
      readonly reason: "finished" | "evictable";
      /** Blockers an option overrode; the adapter warns about them (kubectl's warnings). */
      readonly overridden: readonly BlockReason[];
    }
  | {
      readonly action: "skip";
      readonly pod: DrainPod;
      readonly reason: SkipReason;
      readonly waitForDeletion: boolean;
    }
  | {
      readonly action: "block";
      readonly pod: DrainPod;
      /** Every blocker of this pod, not only the first, so one error names all a user must decide. */
      readonly reasons: readonly BlockReason[];
    };

export type EvictDecision = Extract<PodDecision, { action: "evict" }>;
export type SkipDecision = Extract<PodDecision, { action: "skip" }>;
export type BlockDecision = Extract<PodDecision, { action: "block" }>;
