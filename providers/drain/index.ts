// The pure core of the scale-in drain: classify the node's pods, check that the evicted ones fit
// elsewhere, and phrase progress, timeouts and Node annotations. No I/O, no timers.
export * from "./types";
export * from "./decisions";
export * from "./options";
export { planDrain, classifyPod, isOverridden } from "./classify";
export type { DrainContext, DrainPlan } from "./classify";
export { describeBlockers, describeOverrides, describeBlockedPods } from "./blockers";
export { parseQuantity, scaledValue, amountOf, formatCpu, formatBytes, formatAmount } from "./quantity";
export type { Quantity } from "./quantity";
export { podRequests } from "./pod-requests";
export type { ResourceAmounts } from "./pod-requests";
export { refusalOf, tolerates, untoleratedTaint } from "./node-match";
export type { NodeRefusal } from "./node-match";
export { checkCapacity } from "./capacity";
export type { CapacityResult } from "./capacity";
export { describeRequests } from "./capacity-report";
export type { UnplacedPod } from "./capacity-report";
export { formatDrainProgress, formatDrainTimeout, formatReplacementProgress, formatVolumeDetachTimeout, describeBlocking, describePendingPods } from "./progress";
export type { DrainProgress, DrainTimeout, PdbStatus, PendingPod, StillBlocking, UnreadyOwner } from "./progress";
export {
  drainAnnotations,
  joinBlockers,
  drainPhaseAnnotation,
  drainBlockersAnnotation,
  drainOwnersAnnotation,
  cordonedBeforeDrainAnnotation,
  drainStateCleared,
  drainingLabel,
  maxBlockersBytes,
} from "./annotations";
export { judgeEvictionFailure } from "./eviction-errors";
export type { EvictionFailure, EvictionVerdict } from "./eviction-errors";
export { evictionWaves, isCritical, deletedLongAgo } from "./eviction-order";
export { selects } from "./label-selector";
export type { LabelSelector } from "./label-selector";
export { observeLease, expiredAsObserved } from "./lease-observation";
export type { LeaseObservation } from "./lease-observation";
export { isDraining, isLeaving, hasDrainState, leavingMarkPatch, roomCandidates, cordonPatch, abandonedScaleInPatch, scaleInSteps } from "./scale-in";
export { ownersOf, mergeBaselines, isStillShort, readyTarget, unschedulableReason, formatOwnersAnnotation, parseOwnersAnnotation } from "./replacements";
export type { OwnerBaseline, PendingPodView } from "./replacements";
export type { DrainPhase } from "./annotations";
export { formatSeconds } from "./duration";
