// A remaining node's free room as the scheduler's NodeResourcesFit filter sees it: allocatable minus
// the requests of the pods bound to it, and a number of free pod slots.
import { amountOf } from "./quantity";
import { podRequests, type ResourceAmounts } from "./pod-requests";
import { compareText, isFinished, type ClusterNode } from "./types";

/** Shrinks as pods are placed on it; negative amounts mean the node is already overcommitted. */
export interface Room {
  readonly node: ClusterNode;
  readonly free: Map<string, bigint>;
  podSlots: bigint;
}

export function roomOf(node: ClusterNode): Room {
  const free = new Map<string, bigint>();
  for (const [resource, text] of Object.entries(node.allocatable)) {
    if (resource !== "pods") free.set(resource, amountOf(resource, text));
  }
  const running = node.pods.filter((pod) => !isFinished(pod));
  for (const pod of running) {
    for (const [resource, amount] of podRequests(pod)) free.set(resource, (free.get(resource) ?? 0n) - amount);
  }
  const slots = node.allocatable["pods"] === undefined ? 0n : amountOf("pods", node.allocatable["pods"]);
  return { node, free, podSlots: slots - BigInt(running.length) };
}

/** Requests in a stable order, cpu and memory first, without zero amounts (they fit anywhere). */
export function orderedRequests(requests: ResourceAmounts): [string, bigint][] {
  const rank = (resource: string) => (resource === "cpu" ? 0 : resource === "memory" ? 1 : 2);
  return [...requests]
    .filter(([, amount]) => amount > 0n)
    .sort(([a], [b]) => rank(a) - rank(b) || compareText(a, b));
}

export const freeOf = (room: Room, resource: string): bigint => room.free.get(resource) ?? 0n;

/** A resource the node does not offer at all has nothing free, as in the scheduler. */
export function fitsIn(requests: ResourceAmounts, room: Room): boolean {
  return room.podSlots >= 1n && orderedRequests(requests).every(([resource, amount]) => freeOf(room, resource) >= amount);
}

export function place(requests: ResourceAmounts, room: Room): void {
  room.podSlots -= 1n;
  for (const [resource, amount] of requests) room.free.set(resource, freeOf(room, resource) - amount);
}
