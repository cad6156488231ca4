// Why an evicted pod would find no room: the numbers (largest free amount and where) for nodes that
// passed the filters, and a count per reason for the nodes that did not.
import { refusalOf, type NodeRefusal } from "./node-match";
import { freeOf, orderedRequests, type Room } from "./node-room";
import type { ResourceAmounts } from "./pod-requests";
import { formatAmount } from "./quantity";
import { byRef, compareText, refOf, type ObjectRef, type PodSchedulingSpec } from "./types";

export interface UnplacedPod {
  readonly pod: ObjectRef;
  readonly requests: ResourceAmounts;
  /** Why no node took it, e.g. `no remaining node has 500m cpu free (largest free: 200m on n2); 1 node NotReady`. */
  readonly reason: string;
}

const nodes = (count: number): string => (count === 1 ? "1 node" : `${count} nodes`);

function describeRefusal(refusal: NodeRefusal): string {
  switch (refusal.kind) {
    case "not-ready":
      return "NotReady";
    case "cordoned":
      return "cordoned";
    case "taint": {
      const { key, value, effect } = refusal.taint;
      return `excluded by taint ${key}${value ? `=${value}` : ""}:${effect}`;
    }
    case "node-selector":
      return `excluded by nodeSelector ${refusal.label}`;
    case "node-affinity":
      return "excluded by required node affinity";
  }
}

/** `cpu 500m, memory 256Mi`, or `no requests`. */
export function describeRequests(requests: ResourceAmounts): string {
  const parts = orderedRequests(requests).map(([resource, amount]) => `${resource} ${formatAmount(resource, amount)}`);
  return parts.length > 0 ? parts.join(", ") : "no requests";
}

/** Why the rooms that passed the filters are still too small for these requests. */
function describeShortage(requests: ResourceAmounts, rooms: readonly Room[]): string[] {
  if (rooms.length === 0) return [];
  if (rooms.every((room) => room.podSlots < 1n)) return ["no remaining node has a free pod slot"];
  const short: string[] = [];
  for (const [resource, amount] of orderedRequests(requests)) {
    const largest = rooms.reduce((best, room) => (freeOf(room, resource) > freeOf(best, resource) ? room : best));
    const free = freeOf(largest, resource);
    if (free < amount) {
      const shown = (value: bigint) => formatAmount(resource, value < 0n ? 0n : value);
      short.push(
        `no remaining node has ${shown(amount)} ${resource} free (largest free: ${shown(free)} on ${largest.node.name})`,
      );
    }
  }
  if (short.length === 0) short.push(`no remaining node has ${describeRequests(requests)} free at the same time`);
  return short;
}

/** The shortage among the nodes that would take the pod, then a count per reason for the others. */
export function describeUnplaced(requests: ResourceAmounts, pod: PodSchedulingSpec, rooms: readonly Room[]): string {
  if (rooms.length === 0) return "no node remains";
  const refused = new Map<string, number>();
  const candidates: Room[] = [];
  for (const room of rooms) {
    const refusal = refusalOf(pod, room.node);
    if (refusal) refused.set(describeRefusal(refusal), (refused.get(describeRefusal(refusal)) ?? 0) + 1);
    else candidates.push(room);
  }
  const exclusions = [...refused].sort(([a], [b]) => compareText(a, b)).map(([why, count]) => `${nodes(count)} ${why}`);
  return [...describeShortage(requests, candidates), ...exclusions].join("; ");
}

/** The whole refusal: every pod that does not fit, with its requests and reason, and the ways out. */
export function describeCapacityShortfall(unplaced: readonly UnplacedPod[]): string {
  const count = unplaced.length === 1 ? "1 pod" : `${unplaced.length} pods`;
  const lines = [...unplaced]
    .sort((a, b) => byRef(a.pod, b.pod))
    .map((entry) => `  ${refOf(entry.pod)} (${describeRequests(entry.requests)}): ${entry.reason}`);
  return [
    `${count} to evict would not fit on the remaining nodes:`,
    ...lines,
    "free amounts are counted after placing the larger evicted pods first; add or uncordon a node, lower the " +
      "requests, or set drain.checkCapacity: false to evict anyway",
  ].join("\n");
}
