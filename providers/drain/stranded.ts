// A drain of ours that fails (refused before evicting, timed out, its `up` killed) leaves its node
// cordoned, so the next `up` resumes it, and gives its slot back (or its Lease expires). If the
// budget forgot that node, the next drain waiting in the same `up` would cordon another one, and a
// run of failures (every node refused for lack of room) would cordon the whole cluster one node at
// a time. So a node our drain cordoned keeps counting against drain.maxConcurrentDrains until its
// drain resumes and ends, or someone uncordons it.
import { cordonedBeforeDrainAnnotation, drainPhaseAnnotation } from "./annotations";
import { compareText } from "./types";

type CordonCandidate = { readonly name: string; readonly unschedulable: boolean; readonly annotations: Readonly<Record<string, string>> };

export interface StrandedCordon {
  readonly name: string;
  readonly phase: string;
}

/**
 * The nodes cordoned by a drain of ours that holds no live slot: unschedulable, in a drain phase
 * past the wait for a slot, not cordoned by someone else before our drain, not `holder` (whose own
 * drain resumes) and not holding one of the slots now (`liveHolders`, counted by their Leases).
 */
export function strandedCordons(nodes: readonly CordonCandidate[], holder: string, liveHolders: readonly string[]): StrandedCordon[] {
  return nodes
    .filter((node) => node.unschedulable && node.name !== holder && !liveHolders.includes(node.name))
    .filter((node) => node.annotations[cordonedBeforeDrainAnnotation] !== "true")
    .map((node) => ({ name: node.name, phase: node.annotations[drainPhaseAnnotation] }))
    .filter((node): node is StrandedCordon => node.phase !== undefined && node.phase !== "waiting-for-slot")
    .sort((a, b) => compareText(a.name, b.name));
}

/** Why the slots these nodes take are not free, and how to free them. */
export function describeStranded(stranded: readonly StrandedCordon[]): string {
  return stranded
    .map(
      ({ name, phase }) =>
        `node ${name} is cordoned by a drain of ours that did not finish (phase ${phase}) and counts against drain.maxConcurrentDrains ` +
        `until its drain resumes and ends (the next pulumi up of its stack) or it is given back (kubectl uncordon ${name})`,
    )
    .join("; ");
}
