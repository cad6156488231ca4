// What a refresh reports about a node, from its Node object alone. Pure: read.ts feeds it the Node.
import type { NodeView } from "../cluster/kube-api";
import { drainPhaseAnnotation } from "../drain/annotations";
import { taintText, type Taint } from "./inputs";
import type { NodeStatusSummary } from "./outputs";

/** Conditions, capacity, allocatable, versions and cordon: stable fields only (no heartbeat times). */
export function summarizeNode(node: NodeView): NodeStatusSummary {
  return {
    ready: node.ready,
    conditions: (node.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) })),
    capacity: { ...(node.capacity ?? {}) },
    allocatable: { ...(node.allocatable ?? {}) },
    unschedulable: node.unschedulable,
    // A cordon with our drain phase on it is an unfinished drain of ours; any other is someone else's.
    cordonedByOthers: node.unschedulable && node.annotations[drainPhaseAnnotation] === undefined,
    kubeletVersion: node.kubeletVersion,
    containerRuntimeVersion: node.containerRuntimeVersion,
  };
}

/** The managed labels and taints as the Node carries them now, and each difference from the declared ones. */
export interface ObservedMetadata {
  /** Each declared label key the Node still carries, with the value it has now. */
  readonly labels: Record<string, string>;
  /** Each declared taint (by key and effect) the Node still carries, as it is now. */
  readonly taints: Taint[];
  /** One line per difference, e.g. `label tier is "edge", declared "web"`. */
  readonly drift: string[];
}

/**
 * Compares the Node with the labels and taints declared at the last `up`. Only those are looked
 * at: labels and taints that others put on the Node are theirs and never reported.
 */
export function observeManagedMetadata(declared: { labels: Readonly<Record<string, string>>; taints: readonly Taint[] }, node: NodeView): ObservedMetadata {
  const labels: Record<string, string> = {};
  const drift: string[] = [];
  for (const [key, value] of Object.entries(declared.labels)) {
    const actual = node.labels[key];
    if (actual !== undefined) labels[key] = actual;
    if (actual === undefined) drift.push(`label ${key} is missing, declared ${JSON.stringify(value)}`);
    else if (actual !== value) drift.push(`label ${key} is ${JSON.stringify(actual)}, declared ${JSON.stringify(value)}`);
  }
  const taints: Taint[] = [];
  for (const want of declared.taints) {
    const actual = node.taints.find((t) => t.key === want.key && t.effect === want.effect);
    if (actual) taints.push(actual);
    if (!actual) drift.push(`taint ${taintText(want)} is missing`);
    else if ((actual.value ?? "") !== (want.value ?? "")) drift.push(`taint ${taintText(actual)} differs, declared ${taintText(want)}`);
  }
  return { labels, taints, drift };
}
