// The order of a scale-in and what counts as room while several nodes leave in one `pulumi up`.
//
// Order (delete.ts, drain-with-slot.ts): prove the node is ours -> mark it leaving (drain phase
// `waiting-for-slot`, NOT cordoned) -> take a drain slot -> cordon -> drain -> delete the Node ->
// release the slot. Cordoning only with a slot in hand keeps at most maxConcurrentDrains nodes
// unschedulable; cordoning while waiting (the old order) made every departing node unschedulable at
// once, so every capacity check saw no room and the whole cluster was left cordoned.
//
// Room: a node that carries our drain phase for a removal is leaving (in this `up` or a resumed one)
// even while it still waits for its slot and is schedulable. Counting it as room would let the first
// drain place pods on a node the next drain empties again, and the last drain of the `up` would find
// the room it was promised gone. So it is excluded from the capacity check, but not cordoned: pods
// the scheduler puts there meanwhile are simply drained with it, under the same PDB rules. A node
// waiting to be upgraded in place, or replaced (removed, then joined again), comes back: it is room
// until its own turn cordons it (otherwise a rolling upgrade or replacement of every node finds no
// room anywhere and never starts). A purpose this version does not know counts as leaving.
import type { NodePatch } from "../cluster/kube-api";
import { cordonedBeforeDrainAnnotation, drainAnnotations, drainingLabel, drainPhaseAnnotation, drainPurposeAnnotation, drainStateCleared, type DrainPurpose } from "./annotations";
import type { ClusterNode } from "./types";

type Annotated = { readonly annotations?: Readonly<Record<string, string>> };

/** True when a drain of ours started on the node (any phase, including waiting for a slot). */
export function isDraining(node: Annotated): boolean {
  return node.annotations?.[drainPhaseAnnotation] !== undefined;
}

const comesBack: ReadonlySet<string> = new Set<DrainPurpose>(["upgrade", "replace"]);

/** True when a drain of ours started on the node and it will not come back (not an upgrade or a replacement). */
export function isLeaving(node: Annotated): boolean {
  return isDraining(node) && !comesBack.has(node.annotations?.[drainPurposeAnnotation] ?? "remove");
}

/**
 * The nodes that may take the evicted pods of `draining`: all but itself and those leaving. (A node
 * whose upgrade holds a slot is cordoned by then, and the capacity check skips cordoned nodes.)
 */
export function roomCandidates(nodes: readonly ClusterNode[], draining: string): ClusterNode[] {
  return nodes.filter((node) => node.name !== draining && !isLeaving(node));
}

/** True when the node carries any drain state of ours (the annotations; the label alone is only an index). */
export function hasDrainState(node: Annotated): boolean {
  return Object.keys(drainStateCleared).some((key) => node.annotations?.[key] !== undefined);
}

/**
 * What the mark-leaving step writes: phase `waiting-for-slot` and the purpose, NOT a cordon, and
 * the label that lets a preview find the node (annotations.ts drainingLabel).
 */
export function leavingMarkPatch(purpose: DrainPurpose): NodePatch {
  return { labels: { [drainingLabel]: "true" }, annotations: { ...drainAnnotations("waiting-for-slot", []), [drainPurposeAnnotation]: purpose } };
}

export type ScaleInStep = "mark-leaving" | "take-slot" | "cordon" | "drain" | "work" | "release-slot";

/** The steps of one scale-in, in order; `cordon` never comes before `take-slot`. */
export const scaleInSteps: readonly ScaleInStep[] = Object.freeze(["mark-leaving", "take-slot", "cordon", "drain", "work", "release-slot"]);

/**
 * What the cordon step writes: the node unschedulable and in phase `cordoned`. A node someone else
 * had cordoned keeps a note of it, so an abandoned scale-in gives it back cordoned. A fresh drain
 * (not resumed) drops an owners list left by an earlier, finished one.
 */
// What a fresh drain drops: all drain state but the purpose, written a moment before with the phase.
const staleDrainState = Object.fromEntries(Object.entries(drainStateCleared).filter(([key]) => key !== drainPurposeAnnotation));

export function cordonPatch(node: { readonly unschedulable: boolean } & Annotated): NodePatch {
  const phase = node.annotations?.[drainPhaseAnnotation];
  const resumed = phase !== undefined && phase !== "waiting-for-slot";
  const cordonedByOthers = node.unschedulable && !resumed;
  return {
    unschedulable: true,
    // Also on a node marked leaving before the label existed: from its cordon on, a preview finds it.
    labels: { [drainingLabel]: "true" },
    annotations: {
      ...(resumed ? {} : staleDrainState),
      [drainPhaseAnnotation]: "cordoned",
      ...(cordonedByOthers ? { [cordonedBeforeDrainAnnotation]: "true" } : {}),
    },
  };
}

/**
 * The patch that ends an abandoned scale-in (the entry came back, or the slot wait timed out and
 * the entry came back): our drain state removed and our cordon lifted; a cordon that was there
 * before our drain stays, and our draining label removed. Undefined when no drain of ours is on the
 * node and no label of ours either.
 */
export function abandonedScaleInPatch(node: { readonly unschedulable: boolean; readonly labels?: Readonly<Record<string, string>> } & Annotated): NodePatch | undefined {
  const annotations = node.annotations ?? {};
  if (!hasDrainState(node)) {
    // A label left by a path that cleared only the annotations (an upgrade that finished): removed, nothing else.
    return node.labels?.[drainingLabel] !== undefined ? { labels: { [drainingLabel]: null } } : undefined;
  }
  const weCordoned = node.unschedulable && annotations[cordonedBeforeDrainAnnotation] !== "true";
  return { ...(weCordoned ? { unschedulable: false } : {}), labels: { [drainingLabel]: null }, annotations: { ...drainStateCleared } };
}
