import type { NodePatch, NodeView } from "../cluster/kube-api";
import type { Taint } from "./inputs";
import { annotations } from "./outputs";

function taintId(t: Taint): string {
  return `${t.key}:${t.effect}`;
}

function parseList(value: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(value ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The patch that makes a Node carry exactly the declared labels and taints. Only what we applied
 * before (recorded in annotations) is ever removed: labels and taints that kubeadm, the node
 * controller or an operator put there are left alone. A Node without those annotations (an
 * adopted one: adopt writes only the owner annotations) counts what the state recorded as declared, when given.
 */
export function planNodeMetadata(
  node: NodeView,
  labels: Readonly<Record<string, string>>,
  taints: readonly Taint[],
  recorded?: { readonly labels?: Readonly<Record<string, string>>; readonly taints?: readonly Taint[] },
): NodePatch | undefined {
  const labelsAnnotation = node.annotations[annotations.managedLabels];
  const taintsAnnotation = node.annotations[annotations.managedTaints];
  const previouslyManagedLabels = labelsAnnotation !== undefined ? parseList(labelsAnnotation) : Object.keys(recorded?.labels ?? {});
  const previouslyManagedTaints = new Set(taintsAnnotation !== undefined ? parseList(taintsAnnotation) : (recorded?.taints ?? []).map(taintId));
  const labelPatch: Record<string, string | null> = {};
  for (const key of previouslyManagedLabels) if (!(key in labels) && key in node.labels) labelPatch[key] = null;
  for (const [key, value] of Object.entries(labels)) if (node.labels[key] !== value) labelPatch[key] = value;

  const wanted = new Map(taints.map((t) => [taintId(t), t]));
  const kept = node.taints.filter((t) => !previouslyManagedTaints.has(taintId(t)) && !wanted.has(taintId(t)));
  const desiredTaints = [...kept, ...taints];
  const sameTaints =
    desiredTaints.length === node.taints.length &&
    desiredTaints.every((t) => node.taints.some((n) => taintId(n) === taintId(t) && (n.value ?? "") === (t.value ?? "")));

  const managedLabels = JSON.stringify(Object.keys(labels).sort());
  const managedTaints = JSON.stringify([...wanted.keys()].sort());
  const annotationPatch: Record<string, string> = {};
  if (node.annotations[annotations.managedLabels] !== managedLabels) annotationPatch[annotations.managedLabels] = managedLabels;
  if (node.annotations[annotations.managedTaints] !== managedTaints) annotationPatch[annotations.managedTaints] = managedTaints;

  if (Object.keys(labelPatch).length === 0 && sameTaints && Object.keys(annotationPatch).length === 0) return undefined;
  return {
    ...(Object.keys(labelPatch).length ? { labels: labelPatch } : {}),
    ...(Object.keys(annotationPatch).length ? { annotations: annotationPatch } : {}),
    ...(sameTaints ? {} : { taints: desiredTaints }),
  };
}
