// What a pod asks of a node, computed as the scheduler does (k8s.io/component-helpers/resource
// PodRequests): app containers run together, init containers one after another, sidecars (init
// containers with restartPolicy Always) keep running next to everything started after them.
import { amountOf } from "./quantity";
import type { Container, PodSchedulingSpec, ResourceQuantities } from "./types";

/** Resource name to amount: `cpu` in millicores, everything else in whole units (bytes for memory). */
export type ResourceAmounts = ReadonlyMap<string, bigint>;

function amountsOf(quantities: ResourceQuantities | undefined): Map<string, bigint> {
  const amounts = new Map<string, bigint>();
  for (const [resource, text] of Object.entries(quantities ?? {})) amounts.set(resource, amountOf(resource, text));
  return amounts;
}

export function addAmounts(a: ResourceAmounts, b: ResourceAmounts): Map<string, bigint> {
  const sum = new Map(a);
  for (const [resource, amount] of b) sum.set(resource, (sum.get(resource) ?? 0n) + amount);
  return sum;
}

function maxAmounts(a: ResourceAmounts, b: ResourceAmounts): Map<string, bigint> {
  const max = new Map(a);
  for (const [resource, amount] of b) if (amount > (max.get(resource) ?? 0n)) max.set(resource, amount);
  return max;
}

const isSidecar = (container: Container): boolean => container.restartPolicy === "Always";

/**
 * max(sum of app containers + all sidecars, the largest init step) + overhead, per resource, where an
 * init step is a regular init container plus the sidecars started before it. Pod-level resources
 * (spec.resources, alpha) are not modelled.
 */
export function podRequests(pod: PodSchedulingSpec): Map<string, bigint> {
  let running = pod.containers.reduce<Map<string, bigint>>(
    (sum, container) => addAmounts(sum, amountsOf(container.requests)),
    new Map(),
  );
  let sidecars = new Map<string, bigint>();
  let largestInitStep = new Map<string, bigint>();
  for (const container of pod.initContainers ?? []) {
    const own = amountsOf(container.requests);
    if (isSidecar(container)) {
      // The scheduler also counts the sidecars started so far as an init step; that step never
      // exceeds `running`, which holds every sidecar, so it is left out here.
      running = addAmounts(running, own);
      sidecars = addAmounts(sidecars, own);
    } else {
      largestInitStep = maxAmounts(largestInitStep, addAmounts(own, sidecars));
    }
  }
  return addAmounts(maxAmounts(running, largestInitStep), amountsOf(pod.overhead));
}
