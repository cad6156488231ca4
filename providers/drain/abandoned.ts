import type { ClusterApi } from "../cluster/kube-api";
import { abandonedScaleInPatch } from "./scale-in";

/**
 * Ends an abandoned scale-in on the next `up` (the entry came back after a failed drain or a slot
 * wait that timed out): lifts the cordon we set and removes our drain state from the Node. A cordon
 * that was there before our drain stays. Safe to call on every update: no drain of ours, no change.
 */
export async function uncordonIfAbandoned(cluster: ClusterApi, nodeName: string, log: (line: string) => void): Promise<void> {
  const node = await cluster.getNode(nodeName);
  const patch = node && abandonedScaleInPatch(node);
  if (!patch) return;
  await cluster.patchNode(nodeName, patch);
  // A patch without annotations only removes the label a finished upgrade left: nothing was abandoned.
  if (patch.unschedulable === false) log("uncordoned: the scale-in that cordoned it was abandoned");
  else if (patch.annotations) log("drain state of an abandoned scale-in removed");
}
