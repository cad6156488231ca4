// Minimal stand-in written by the versions-upgrade branch with the signature drain-safety is
// building; the lead resolves the merge in favour of drain-safety's implementation.
import type { ClusterApi, NodeView } from "../cluster/kube-api";
import { caCertHash, splitPemBundle } from "../cluster/ca-hash";
import { annotations } from "./outputs";

export interface RecordedIdentity {
  readonly nodeName: string;
  readonly machineId: string;
  readonly caCertHash: string;
}

/**
 * Proves, before anything destructive, that the cluster reached is the one the node joined (its
 * cluster-info CA hash is the recorded one) and that the Node of that name is this machine. Throws
 * naming both values on a mismatch; resolves with the Node, or undefined when it is gone.
 */
export async function proveNodeIsOurs(cluster: ClusterApi, recorded: RecordedIdentity): Promise<NodeView | undefined> {
  if (recorded.caCertHash) {
    const published = splitPemBundle(await cluster.clusterInfoCaPem()).map(caCertHash);
    if (!published.includes(recorded.caCertHash)) {
      throw new Error(
        `${cluster.server} is not the cluster ${recorded.nodeName} joined: its cluster-info CA is ${published.join(", ") || "absent"}, ` +
          `the node joined the cluster with CA ${recorded.caCertHash}. Nothing was touched; check the kubeconfig.`,
      );
    }
  }
  const node = await cluster.getNode(recorded.nodeName);
  if (!node) return undefined;
  const claimed = node.annotations[annotations.machineId] || node.machineId;
  if (recorded.machineId && claimed && claimed !== recorded.machineId) {
    throw new Error(
      `Node ${recorded.nodeName} is machine ${claimed}, not ${recorded.machineId} which this resource joined: ` +
        "nothing was touched. If the host was re-installed, remove the entry and add it back.",
    );
  }
  return node;
}
