// A scale-in abandoned after its drain failed (README "What happens, and how to recover"): the entry
// is back, unchanged, so the inputs describe the node exactly and diff.ts would say "no change" — but
// the Node still carries our cordon and drain marks, and counts as leaving for every capacity check.
// The diff looks for those marks (one cached read per cluster, see marked-nodes.ts) and asks for an
// update, whose uncordonIfAbandoned clears them.
import { cordonedBeforeDrainAnnotation, drainPhaseAnnotation, drainPurposeAnnotation, type DrainPurpose } from "../drain/annotations";
import { hasDrainState, isLeaving } from "../drain/scale-in";
import type { MarkedNode } from "../cluster/marked-nodes";

/** The Nodes a drain of ours marked in one cluster (undefined kubeconfig: the default loading). */
export type MarkedNodesReader = (kubeconfig: string | undefined) => Promise<readonly MarkedNode[]>;
/** The same, once per cluster; undefined when the cluster could not be read (a warning was given). */
export type CachedMarkedNodes = (kubeconfig: string | undefined) => Promise<readonly MarkedNode[] | undefined>;

const abandonedWhat: Readonly<Record<string, string>> = {
  remove: "abandoned scale-in: its entry is back, but the Node",
  replace: "abandoned replacement: its inputs are back, but the Node",
  upgrade: "abandoned upgrade: the Node",
} satisfies Record<DrainPurpose, string>;

/**
 * What `pulumi up` will do to the Node named when an abandoned drain of ours left it marked, for
 * the preview to print; undefined when it carries no drain state of ours.
 */
export function abandonedScaleInNote(nodeName: string, nodes: readonly MarkedNode[]): string | undefined {
  const node = nodes.find((candidate) => candidate.name === nodeName);
  if (!node || !hasDrainState(node)) return undefined;
  const phase = node.annotations[drainPhaseAnnotation];
  const theirs = node.annotations[cordonedBeforeDrainAnnotation] === "true";
  const state = [phase ? `drain phase ${phase}` : "drain state", node.unschedulable ? (theirs ? "cordoned by someone else before our drain" : "cordoned by our drain") : "not cordoned"].join(", ");
  const action = node.unschedulable && !theirs ? "pulumi up uncordons it and removes our drain marks" : `pulumi up removes our drain marks${node.unschedulable ? " and leaves their cordon" : ""}`;
  // The drain of an upgrade or a replacement (its inputs put back after it failed) never made the
  // node count as leaving (drain/scale-in.ts isLeaving).
  const what = abandonedWhat[node.annotations[drainPurposeAnnotation] ?? "remove"] ?? abandonedWhat.remove;
  return `${nodeName}: ${what} still carries the marks of a drain that did not finish (${state})${isLeaving(node) ? " and counts as leaving" : ""}: ${action}`;
}

/**
 * One read per cluster for the whole provider process, so a preview of any number of nodes asks
 * each cluster once. A failed read is kept too (with one warning): a cluster that does not answer
 * costs the preview one timeout, not one per node, and never fails it.
 */
export function markedNodesOncePerCluster(read: MarkedNodesReader, warn: (line: string) => void): CachedMarkedNodes {
  const reads = new Map<string, Promise<readonly MarkedNode[] | undefined>>();
  return (kubeconfig) => {
    const key = kubeconfig ?? "";
    let nodes = reads.get(key);
    if (!nodes) {
      nodes = read(kubeconfig).catch((error: Error) => {
        warn(
          `warning: ${error.message}. Nodes whose entries are unchanged are reported unchanged without looking for an abandoned scale-in: ` +
            "a node one left cordoned stays cordoned until a preview or up that reaches the cluster",
        );
        return undefined;
      });
      reads.set(key, nodes);
    }
    return nodes;
  };
}
