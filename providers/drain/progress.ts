// The words a drain prints while it runs and when it gives up. Pure: the caller counts, these only
// phrase, so a human watching `pulumi up` sees why it waits (kubectl#172: drain looked hung while it
// silently retried PDB refusals).
import { formatSeconds } from "./duration";
import { byRef, compareText, refOf, type ObjectRef } from "./types";

/** A PodDisruptionBudget's status, as the eviction refusals are explained by it. */
export interface PdbStatus extends ObjectRef {
  readonly disruptionsAllowed: number;
  readonly currentHealthy: number;
  readonly desiredHealthy: number;
  readonly expectedPods: number;
}

export interface DrainProgress {
  readonly node: string;
  readonly evictedPods: number;
  readonly totalPods: number;
  /** PDBs that refused an eviction (429) at the last attempt, and how many pods each holds back. */
  readonly waitingOnPdb: readonly { readonly pdb: ObjectRef; readonly pods: number }[];
}

/** `k8s-node-3: evicted 12/40 pods, 2 waiting on PDB web/api-pdb` */
export function formatDrainProgress(progress: DrainProgress): string {
  const waiting = [...progress.waitingOnPdb]
    .filter((entry) => entry.pods > 0)
    .sort((a, b) => byRef(a.pdb, b.pdb))
    .map((entry) => `, ${entry.pods} waiting on PDB ${refOf(entry.pdb)}`);
  return `${progress.node}: evicted ${progress.evictedPods}/${progress.totalPods} pods${waiting.join("")}`;
}

/** Why a pod is still on the node when the drain's time is up. */
export type StillBlocking =
  /** The eviction keeps being refused (429) because of this PDB. */
  | { readonly kind: "pdb"; readonly pdb: PdbStatus }
  /** Evicted (or already deleting) but still there: a long grace period, a finalizer, a dead kubelet. */
  | { readonly kind: "terminating" }
  /** The last eviction attempt failed otherwise; the API's message. */
  | { readonly kind: "error"; readonly message: string };

export interface PendingPod {
  readonly pod: ObjectRef;
  readonly blockedBy: StillBlocking;
}

/** A controller whose evicted pods are not Ready again elsewhere. */
export interface UnreadyOwner extends ObjectRef {
  readonly kind: string;
  readonly readyReplicas: number;
  /** The Ready replicas it must have again: what it had before the drain, at most what it now wants. */
  readonly desiredReplicas: number;
  /** Its Pending pods the scheduler cannot place, and why (replacements.ts). */
  readonly unschedulable?: readonly string[];
}

export interface DrainTimeout {
  readonly node: string;
  readonly timeoutSeconds: number;
  readonly pending: readonly PendingPod[];
  readonly unreadyOwners?: readonly UnreadyOwner[];
}

export function describeBlocking(blocking: StillBlocking): string {
  switch (blocking.kind) {
    case "pdb": {
      const { pdb } = blocking;
      const disruptions = pdb.disruptionsAllowed === 1 ? "1 disruption" : `${pdb.disruptionsAllowed} disruptions`;
      return (
        `PDB ${refOf(pdb)} allows ${disruptions}: ${pdb.currentHealthy} of ${pdb.expectedPods} healthy, ` +
        `needs ${pdb.desiredHealthy}`
      );
    }
    case "terminating":
      return "still terminating";
    case "error":
      return `eviction failed: ${blocking.message}`;
  }
}

/** `ns/a, ns/b (<why>)` per distinct reason, reasons in a stable order. */
function groupByBlocking(pending: readonly PendingPod[]): string {
  const groups = new Map<string, ObjectRef[]>();
  for (const entry of pending) {
    const why = describeBlocking(entry.blockedBy);
    groups.set(why, [...(groups.get(why) ?? []), entry.pod]);
  }
  return [...groups]
    .sort(([a], [b]) => compareText(a, b))
    .map(([why, pods]) => `${pods.sort(byRef).map(refOf).join(", ")} (${why})`)
    .join("; ");
}

const podCount = (count: number): string => (count === 1 ? "1 pod" : `${count} pods`);
const listRefs = (refs: readonly ObjectRef[]): string => [...refs].sort(byRef).map(refOf).join(", ");

/** One line per pod for the Node annotation: `web/api-1 (PDB web/api-pdb allows 0 disruptions: ...)`. */
export function describePendingPods(pending: readonly PendingPod[]): string[] {
  return [...pending]
    .sort((a, b) => byRef(a.pod, b.pod))
    .map((entry) => `${refOf(entry.pod)} (${describeBlocking(entry.blockedBy)})`);
}

interface Blockage {
  readonly notEvicted: readonly PendingPod[];
  readonly notGone: readonly PendingPod[];
  readonly owners: readonly UnreadyOwner[];
  readonly pdbs: readonly string[];
}

function blockageOf(timeout: DrainTimeout): Blockage {
  const notEvicted = timeout.pending.filter((entry) => entry.blockedBy.kind !== "terminating");
  const pdbRefs = notEvicted.flatMap((entry) => (entry.blockedBy.kind === "pdb" ? [refOf(entry.blockedBy.pdb)] : []));
  return {
    notEvicted,
    notGone: timeout.pending.filter((entry) => entry.blockedBy.kind === "terminating"),
    owners: [...(timeout.unreadyOwners ?? [])].sort((a, b) => compareText(a.kind, b.kind) || byRef(a, b)),
    pdbs: [...new Set(pdbRefs)].sort(compareText),
  };
}

function findingsOf({ notEvicted, notGone, owners }: Blockage): string[] {
  const findings: string[] = [];
  if (notEvicted.length > 0) findings.push(`${podCount(notEvicted.length)} not evicted: ${groupByBlocking(notEvicted)}`);
  if (notGone.length > 0) {
    findings.push(`${podCount(notGone.length)} evicted but not gone: ${listRefs(notGone.map((entry) => entry.pod))}`);
  }
  if (owners.length > 0) {
    const listed = owners.map((o) => `${o.kind} ${refOf(o)} (${o.readyReplicas} of ${o.desiredReplicas} ready${o.unschedulable?.length ? `; ${o.unschedulable.join("; ")}` : ""})`);
    const count = owners.length === 1 ? "1 workload" : `${owners.length} workloads`;
    findings.push(`${count} not Ready again: ${listed.join(", ")}`);
  }
  return findings;
}

/** What the user can do, for the kinds of blocker present; bypassing PDBs only when a PDB is in the way. */
function fixesOf({ notGone, owners, pdbs }: Blockage, timeoutSeconds: number): string[] {
  const fixes: string[] = [];
  if (pdbs.length > 0) {
    fixes.push(`make the pods guarded by PDB ${pdbs.join(", PDB ")} healthy, or relax the PDB, so it allows a disruption`);
  }
  if (notGone.length > 0) fixes.push("check the finalizers of the pods still terminating and the kubelet of the node");
  if (owners.some((o) => o.unschedulable?.length)) {
    fixes.push("make room for the replacements that cannot be scheduled (add a node, or relax the constraint named above) before removing this node");
  }
  if (owners.length > 0) fixes.push("find out why the replacement pods are not Ready (kubectl describe pod)");
  fixes.push(`raise drain.timeoutSeconds (now ${timeoutSeconds})`);
  if (pdbs.length > 0) {
    fixes.push("or set drain.disableEviction: true to delete the pods without checking PDBs (their workloads lose availability)");
  }
  return fixes;
}

/**
 * The error a drain fails with when its time is up: what is still blocking, grouped, and what the
 * user can do about each kind of blocker.
 */
export function formatDrainTimeout(timeout: DrainTimeout): string {
  const blockage = blockageOf(timeout);
  const findings = findingsOf(blockage).join("; ") || "nothing reported as blocking";
  return [
    `drain of ${timeout.node} timed out after ${formatSeconds(timeout.timeoutSeconds)}: ${findings}`,
    "the node stays cordoned and the WorkerNode stays in the stack; the next `pulumi up` resumes the drain. " +
      `To finish it: ${fixesOf(blockage, timeout.timeoutSeconds).join("; ")}`,
  ].join("\n");
}

/** `web-2: waiting for replacements: ReplicaSet web/api-7f9 1 of 2 ready (pod web/api-7f9-x cannot be scheduled: ...)` */
export function formatReplacementProgress(node: string, unready: readonly UnreadyOwner[]): string {
  const listed = [...unready]
    .sort((a, b) => compareText(a.kind, b.kind) || byRef(a, b))
    .map((o) => `${o.kind} ${refOf(o)} ${o.readyReplicas} of ${o.desiredReplicas} ready${o.unschedulable?.length ? ` (${o.unschedulable.join("; ")})` : ""}`);
  return `${node}: waiting for replacements: ${listed.join(", ")}`;
}

export interface VolumeDetachTimeout {
  readonly node: string;
  readonly timeoutSeconds: number;
  /** `name (volume pv-x)` of every VolumeAttachment still naming the node. */
  readonly attachments: readonly string[];
}

/** The error when volumes stay attached to the node: which, and what to do. */
export function formatVolumeDetachTimeout(timeout: VolumeDetachTimeout): string {
  return [
    `volumes of ${timeout.node} not detached after ${formatSeconds(timeout.timeoutSeconds)}: ` +
      `${timeout.attachments.length === 1 ? "1 VolumeAttachment" : `${timeout.attachments.length} VolumeAttachments`} still name the node: ${[...timeout.attachments].sort(compareText).join(", ")}`,
    "the Node is kept (deleting it now could leave the volumes attached to a machine that no longer exists) and the WorkerNode stays in the stack; " +
      "the next `pulumi up` resumes. To finish it: check the CSI driver's attacher (kubectl describe volumeattachment), " +
      `or raise drain.volumeDetachTimeoutSeconds (now ${timeout.timeoutSeconds})`,
  ].join("\n");
}
