import type { ClusterApi } from "../cluster/kube-api";
import { drainAnnotations } from "./annotations";
import type { DrainEffects } from "./types";
import { DrainError } from "./execute";
import { formatVolumeDetachTimeout } from "./progress";
import { nodeLog } from "../node-log";

/**
 * After the pods are gone, waits until no VolumeAttachment names the node (the attach/detach
 * controller detaches once no pod uses a volume there), as Cluster API and kubespray do before they
 * delete a Node: deleting it first can leave a volume attached to a machine that no longer exists.
 * Its own timeout, reported like the drain's.
 */
export async function waitForVolumesDetached(cluster: ClusterApi, node: string, timeoutSeconds: number, effects: DrainEffects): Promise<void> {
  const log = nodeLog(effects, node);
  const deadline = effects.now().getTime() + timeoutSeconds * 1000;
  let lastReport = 0;
  let waited = false;
  for (;;) {
    const attachments = await cluster.volumeAttachmentsOn(node);
    if (attachments.length === 0) {
      if (waited) log("every volume detached");
      return;
    }
    const now = effects.now().getTime();
    if (now >= deadline) {
      await cluster.patchNode(node, { annotations: drainAnnotations("timed-out", attachments.map((a) => `VolumeAttachment ${a}`)) }).catch(() => undefined);
      throw new DrainError(formatVolumeDetachTimeout({ node, timeoutSeconds, attachments }));
    }
    if (!waited) await cluster.patchNode(node, { annotations: drainAnnotations("detaching-volumes", []) });
    waited = true;
    if (now - lastReport >= 5_000) {
      log(`waiting for ${attachments.length} volume(s) to detach: ${attachments.join(", ")}`);
      lastReport = now;
    }
    await effects.sleep(1000);
  }
}
