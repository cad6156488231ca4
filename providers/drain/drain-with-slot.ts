// Minimal stand-in written by the versions-upgrade branch so the in-place upgrade can use the shape
// drain-safety is building; the lead resolves the merge in favour of drain-safety's implementation.
import type { ClusterApi } from "../cluster/kube-api";
import { nodeLog } from "../node-log";
import { drainAnnotations } from "./annotations";
import { acquireDrainSlot } from "./budget";
import { drainNode, type DrainEffects } from "./execute";
import type { DrainOptions } from "./options";

/**
 * Takes a drain slot, then cordons and drains the node, runs `work` while still holding the slot,
 * and gives the slot back whatever happened. The node is cordoned only once the slot is ours, so
 * at most `maxConcurrentDrains` nodes are ever cordoned by us at once; on failure it stays cordoned
 * (the next `pulumi up` resumes).
 */
export async function drainWithSlot<T>(cluster: ClusterApi, node: string, options: DrainOptions, effects: DrainEffects, work: () => Promise<T>): Promise<T> {
  const log = nodeLog(effects, node);
  const deadline = new Date(effects.now().getTime() + options.timeoutSeconds * 1000);
  const release = await acquireDrainSlot(cluster, node, options.maxConcurrentDrains, deadline, { ...effects, log });
  try {
    const view = await cluster.getNode(node);
    if (view && !view.unschedulable) {
      await cluster.patchNode(node, { unschedulable: true, annotations: drainAnnotations("cordoned", []) });
      log("cordoned (drain slot taken)");
    }
    log(`draining (timeout ${options.timeoutSeconds}s)`);
    await drainNode(cluster, node, options, effects);
    return await work();
  } finally {
    await release();
  }
}
