// VolumeAttachments: a drained node is removed only once no volume is attached to it any more.
import * as k8s from "@kubernetes/client-node";
import type { ApiContext } from "./api-calls";

export interface VolumeAttachmentApi {
  /** `name (volume <pv>)` of every VolumeAttachment whose spec.nodeName is the node. */
  volumeAttachmentsOn(node: string): Promise<string[]>;
}

export function volumeAttachmentApi({ config, calls }: ApiContext): VolumeAttachmentApi {
  const storage = config.makeApiClient(k8s.StorageV1Api);
  return {
    async volumeAttachmentsOn(node) {
      const list = await calls.call("listing VolumeAttachments", () => storage.listVolumeAttachment({}));
      return list.items
        .filter((attachment) => attachment.spec?.nodeName === node)
        .map((attachment) => `${attachment.metadata?.name ?? ""} (volume ${attachment.spec?.source?.persistentVolumeName ?? "inline"})`);
    },
  };
}
