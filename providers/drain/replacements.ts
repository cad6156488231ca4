// Honest waiting for replacements: wait for each owner of the evicted pods to return to the
// readiness it had BEFORE the drain (a workload already unready elsewhere does not hold the drain
// forever), remember that baseline on the Node so a resumed `up` waits for the same set, and say
// when a replacement cannot be scheduled instead of waiting blind.
import { byRef, compareText, refOf, type DrainPod, type ObjectRef } from "./types";

/** The owners whose readiness the drain waits for. */
export const replacedKinds: ReadonlySet<string> = new Set(["ReplicaSet", "StatefulSet"]);

export interface OwnerRef extends ObjectRef {
  readonly kind: string;
}

/** An owner and its Ready replicas just before the first eviction. */
export interface OwnerBaseline extends OwnerRef {
  readonly readyBefore: number;
}

export const ownerKey = (owner: OwnerRef): string => `${owner.kind}/${refOf(owner)}`;

/** The ReplicaSets and StatefulSets (group apps) controlling the pods, each once, in a stable order. */
export function ownersOf(pods: readonly DrainPod[]): OwnerRef[] {
  const owners = new Map<string, OwnerRef>();
  for (const pod of pods) {
    const owner = pod.ownerReferences?.find((o) => o.controller === true);
    if (!owner || !replacedKinds.has(owner.kind) || (owner.apiVersion !== undefined && !owner.apiVersion.startsWith("apps/"))) continue;
    const ref = { kind: owner.kind, namespace: pod.namespace, name: owner.name };
    owners.set(ownerKey(ref), ref);
  }
  return [...owners.values()].sort((a, b) => compareText(a.kind, b.kind) || byRef(a, b));
}

/**
 * The baselines to wait for: those recorded by an earlier attempt of this drain win (the pods it
 * evicted are no longer here to count), new owners get their readiness now.
 */
export function mergeBaselines(recorded: readonly OwnerBaseline[], current: readonly OwnerBaseline[]): OwnerBaseline[] {
  const merged = new Map<string, OwnerBaseline>();
  for (const baseline of current) merged.set(ownerKey(baseline), baseline);
  for (const baseline of recorded) merged.set(ownerKey(baseline), baseline);
  return [...merged.values()].sort((a, b) => compareText(a.kind, b.kind) || byRef(a, b));
}

/**
 * How many Ready replicas the owner must have again: what it had before, but never more than it
 * now wants (scaled down meanwhile). Undefined (nothing to wait for) when the owner is gone.
 */
export function readyTarget(baseline: OwnerBaseline, now: { readonly ready: number; readonly desired: number } | undefined): number | undefined {
  return now === undefined ? undefined : Math.min(baseline.readyBefore, now.desired);
}

export function isStillShort(baseline: OwnerBaseline, now: { readonly ready: number; readonly desired: number } | undefined): boolean {
  const target = readyTarget(baseline, now);
  return target !== undefined && now !== undefined && now.ready < target;
}

/** The Node annotation's value: compact JSON `[[kind, namespace, name, readyBefore], ...]`. */
export function formatOwnersAnnotation(baselines: readonly OwnerBaseline[]): string {
  return JSON.stringify(baselines.map((b) => [b.kind, b.namespace, b.name, b.readyBefore]));
}

/** The baselines recorded on the Node; anything unreadable (edited by hand) counts as none. */
export function parseOwnersAnnotation(text: string | undefined): OwnerBaseline[] {
  if (!text) return [];
  try {
    const rows = JSON.parse(text) as unknown;
    if (!Array.isArray(rows)) return [];
    return rows.flatMap((row: unknown) =>
      Array.isArray(row) && row.length === 4 && typeof row[0] === "string" && typeof row[1] === "string" && typeof row[2] === "string" && Number.isSafeInteger(row[3])
        ? [{ kind: row[0], namespace: row[1], name: row[2], readyBefore: row[3] as number }]
        : [],
    );
  } catch {
    return [];
  }
}

/** A Pending pod as the scheduler left it: its PodScheduled condition. */
export interface PendingPodView extends ObjectRef {
  readonly ownerReferences?: readonly { readonly kind: string; readonly name: string; readonly controller?: boolean }[];
  readonly scheduled?: { readonly status: string; readonly reason?: string; readonly message?: string };
}

/** Scheduler filter messages (kube-scheduler's plugins) and the cause a user acts on. */
const schedulingCauses: readonly [RegExp, string][] = [
  [/didn't match pod topology spread constraints/i, "a topology spread constraint with whenUnsatisfiable: DoNotSchedule (it still counts the pods of the cordoned node's domain)"],
  [/didn't match Pod's node affinity\/selector/i, "its node affinity or nodeSelector"],
  [/volume node affinity conflict|node\(s\) had no available volume zone|didn't find available persistent volumes to bind/i, "a volume bound to another node or zone"],
  [/Insufficient [a-z0-9./-]*[a-z0-9]/i, "no room"],
  [/Too many pods/i, "no room (pod slots)"],
  [/untolerated taint/i, "taints it does not tolerate"],
  [/didn't match pod (anti-)?affinity rules|didn't satisfy existing pods anti-affinity rules/i, "pod affinity or anti-affinity"],
  [/didn't have free ports/i, "host ports in use"],
];

/**
 * Why a Pending pod cannot be scheduled, in words a user acts on, with the scheduler's own summary;
 * undefined when the scheduler has not (yet) said it is unschedulable.
 */
export function unschedulableReason(pod: PendingPodView): string | undefined {
  const condition = pod.scheduled;
  if (!condition || condition.status !== "False" || condition.reason !== "Unschedulable") return undefined;
  const message = condition.message ?? "";
  const summary = message.split(/\s*preemption:/)[0].trim();
  const causes: string[] = [];
  for (const [pattern, cause] of schedulingCauses) {
    const found = pattern.exec(summary);
    if (!found) continue;
    const detail = cause === "no room" ? `no room (${found[0]})` : cause;
    if (!causes.includes(detail)) causes.push(detail);
  }
  return `pod ${refOf(pod)} cannot be scheduled${causes.length ? `: ${causes.join("; ")}` : ""} (scheduler: "${summary || "Unschedulable"}")`;
}

/** The unschedulable reasons of an owner's Pending pods. */
export function unschedulableOf(owner: OwnerRef, pending: readonly PendingPodView[]): string[] {
  return pending
    .filter((pod) => pod.namespace === owner.namespace && pod.ownerReferences?.some((o) => o.controller === true && o.kind === owner.kind && o.name === owner.name))
    .flatMap((pod) => unschedulableReason(pod) ?? [])
    .sort(compareText);
}
