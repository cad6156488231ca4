// Will the pods we are about to evict fit on the nodes that remain? A first-fit-decreasing bin
// packing over the scheduler's basic filters (node-match.ts) and resource requests (node-room.ts).
//
// It approximates kube-scheduler and is meant to refuse only when it is nearly certain:
//   - a pod that fits on no remaining node even alone will stay Pending (short of preemption);
//   - FFD packs tighter than the scheduler, which spreads pods by score and places them in arrival
//     order, so when FFD cannot place them all the scheduler would almost always strand some too.
// It ignores what it cannot see cheaply (inter-pod affinity, topology spread, local-PV node
// affinity, host ports, preemption, pods already Pending elsewhere), so "fits" is necessary, not a
// promise; the wait for replacements and the drain timeout catch the rest. Its value is refusing
// *before* anything is evicted, with numbers a human can act on.
import { describeCapacityShortfall, describeUnplaced, type UnplacedPod } from "./capacity-report";
import { refusalOf } from "./node-match";
import { fitsIn, orderedRequests, place, roomOf } from "./node-room";
import { podRequests, type ResourceAmounts } from "./pod-requests";
import { byRef, compareText, refOf, type ClusterNode, type DrainPod } from "./types";

export type CapacityResult =
  | {
      readonly fits: true;
      /** `namespace/name` to the node FFD put it on (where it *could* go, not where it will). */
      readonly placements: ReadonlyMap<string, string>;
    }
  | { readonly fits: false; readonly unplaced: readonly UnplacedPod[]; readonly message: string };

/** The pod's largest share of any resource, relative to the most free on one node: the FFD sort key. */
function dominantShare(requests: ResourceAmounts, largest: ReadonlyMap<string, bigint>): number {
  let share = 0;
  for (const [resource, amount] of orderedRequests(requests)) {
    const size = largest.get(resource) ?? 0n;
    share = Math.max(share, size > 0n ? Number(amount) / Number(size) : Infinity);
  }
  return share;
}

/**
 * Places the pods to evict, largest dominant share first, each on the first remaining node (by name)
 * that passes the filters and has room. Cordoned and NotReady nodes take nothing (unless a pod
 * tolerates the cordon taint). Every unplaced pod gets a reason naming the numbers and node classes.
 */
export function checkCapacity(podsToEvict: readonly DrainPod[], remainingNodes: readonly ClusterNode[]): CapacityResult {
  const rooms = [...remainingNodes].sort((a, b) => compareText(a.name, b.name)).map(roomOf);
  const largest = new Map<string, bigint>();
  for (const room of rooms) {
    for (const [resource, amount] of room.free) if (amount > (largest.get(resource) ?? 0n)) largest.set(resource, amount);
  }
  const queue = podsToEvict
    .map((pod) => ({ pod, requests: podRequests(pod) }))
    .map((entry) => ({ ...entry, share: dominantShare(entry.requests, largest) }))
    // Two pods no node can hold both have share Infinity; NaN from Infinity - Infinity falls to byRef.
    .sort((a, b) => b.share - a.share || byRef(a.pod, b.pod));

  const placements = new Map<string, string>();
  const unplaced: UnplacedPod[] = [];
  for (const { pod, requests } of queue) {
    const room = rooms.find((candidate) => !refusalOf(pod, candidate.node) && fitsIn(requests, candidate));
    if (room) {
      place(requests, room);
      placements.set(refOf(pod), room.node.name);
    } else {
      const reason = describeUnplaced(requests, pod, rooms);
      unplaced.push({ pod: { namespace: pod.namespace, name: pod.name }, requests, reason });
    }
  }
  if (unplaced.length === 0) return { fits: true, placements };
  return { fits: false, unplaced, message: describeCapacityShortfall(unplaced) };
}
