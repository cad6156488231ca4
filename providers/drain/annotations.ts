// The drain's state written on the Node, so a re-run and a human (`kubectl describe node`) both see
// where a drain stands and what blocks it.

export const drainPhaseAnnotation = "kubeadm-workers.io/drain-phase";
export const drainBlockersAnnotation = "kubeadm-workers.io/drain-blockers";
/** The owners of the evicted pods and their readiness before the drain (replacements.ts), so a resumed drain waits for the same set. */
export const drainOwnersAnnotation = "kubeadm-workers.io/drain-owners";
/**
 * Why the node is drained: "remove" (scale-in: it is leaving for good), "replace" (an identity input
 * changed: it is removed, then its host joins again in the same `up`) or "upgrade" (an in-place
 * upgrade). Only a node that leaves for good stops counting as room while it waits for its slot.
 */
export const drainPurposeAnnotation = "kubeadm-workers.io/drain-purpose";
export type DrainPurpose = "remove" | "replace" | "upgrade";
/**
 * A label set with the drain state, on every node a drain of ours marked (value "true"): labels,
 * unlike annotations, can be selected on, so a preview finds the nodes an abandoned scale-in left
 * marked with one small list (a label selector) instead of reading every Node. The annotations stay
 * the record; the label only finds them.
 */
export const drainingLabel = "kubeadm-workers.io/draining";
/** "true" when the node was already cordoned (by someone else) when our drain began: then it is theirs to uncordon. */
export const cordonedBeforeDrainAnnotation = "kubeadm-workers.io/cordoned-before-drain";

/**
 * Far below the API's 256 KiB limit for all annotations of an object together: the Node carries
 * other annotations, and a human reads this one.
 */
export const maxBlockersBytes = 4096;

export type DrainPhase =
  /** A scale-in started and waits for a drain slot; the node is NOT cordoned yet, but it is leaving. */
  | "waiting-for-slot"
  | "cordoned"
  | "blocked"
  | "evicting"
  | "waiting-for-replacements"
  | "detaching-volumes"
  | "timed-out"
  | "deleting-node";

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/** Blockers joined by `; `, cut at a whole blocker with `; ... and N more` so it stays within the limit. */
export function joinBlockers(blockers: readonly string[], limit = maxBlockersBytes): string {
  const all = blockers.join("; ");
  if (bytes(all) <= limit) return all;
  for (let kept = blockers.length - 1; kept >= 1; kept--) {
    const text = `${blockers.slice(0, kept).join("; ")}; ... and ${blockers.length - kept} more`;
    if (bytes(text) <= limit) return text;
  }
  // Even the first blocker is too long: cut it (by code points, never inside a UTF-8 sequence).
  const tail = blockers.length > 1 ? ` ... and ${blockers.length - 1} more` : " ...";
  let head = "";
  for (const character of blockers[0] ?? "") {
    if (bytes(head + character + tail) > limit) break;
    head += character;
  }
  // A limit too small for the count itself still holds (the tail is ASCII).
  return bytes(head + tail) <= limit ? head + tail : tail.trimStart().slice(0, limit);
}

/**
 * The annotations for a JSON merge patch of the Node: the phase, and the blockers or `null` (which
 * removes a stale list) when there are none.
 */
export function drainAnnotations(phase: DrainPhase, blockers: readonly string[]): Record<string, string | null> {
  return {
    [drainPhaseAnnotation]: phase,
    [drainBlockersAnnotation]: blockers.length > 0 ? joinBlockers(blockers) : null,
  };
}

/** A merge patch that removes every trace of a drain from the Node. */
export const drainStateCleared: Readonly<Record<string, null>> = Object.freeze({
  [drainPhaseAnnotation]: null,
  [drainBlockersAnnotation]: null,
  [drainOwnersAnnotation]: null,
  [cordonedBeforeDrainAnnotation]: null,
  [drainPurposeAnnotation]: null,
});
