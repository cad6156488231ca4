// Before any drain, Node delete or host reset: prove that the cluster reached is the one the node
// joined and that its Node is this machine. A kubeconfig that now points elsewhere (an ambient
// KUBECONFIG, a restored backup, a re-keyed cluster) or a node name reused by another machine must
// never make delete drain, remove or reset something that is not ours.
import { caCertHash, splitPemBundle } from "../cluster/ca-hash";
import type { ClusterApi, NodeView } from "../cluster/kube-api";
import { ownerAnnotation } from "../review/departing";
import { annotations } from "./outputs";

export class OwnershipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OwnershipError";
  }
}

const howToProceed =
  "Nothing was drained, deleted or reset. If the recorded cluster is right, point cluster.kubeconfig (or KUBECONFIG) at it and run again; " +
  "if the node was rebuilt or joined elsewhere on purpose, clean it up by hand and drop the resource with `pulumi state delete <urn>`.";

/**
 * Resolves with the Node when it is ours, undefined when it is gone from the right cluster (then
 * resetting the host is still safe: the CA proves the cluster, the pinned host key proves the host),
 * and throws, naming both values, on any mismatch: the cluster's CA (kube-public/cluster-info)
 * against the recorded caCertHash, the Node's status.nodeInfo.machineID and our machine-id
 * annotation against the recorded machineId. An adopted node never got our machine-id annotation
 * (adopt writes only the owner annotations): there it may be absent, and its machineID alone decides.
 */
export async function proveNodeIsOurs(
  cluster: ClusterApi,
  recorded: { nodeName: string; machineId: string; caCertHash: string; adopted?: boolean },
): Promise<NodeView | undefined> {
  const { nodeName } = recorded;
  if (!recorded.caCertHash) {
    throw new OwnershipError(`refusing to touch node ${nodeName}: no caCertHash was recorded when it joined, so the cluster at ${cluster.server} cannot be proven to be its cluster. ${howToProceed}`);
  }
  const published = splitPemBundle(await cluster.clusterInfoCaPem()).map(caCertHash);
  if (!published.includes(recorded.caCertHash)) {
    throw new OwnershipError(
      `refusing to touch node ${nodeName}: the cluster at ${cluster.server} publishes CA ${published.join(", ") || "(none)"} in kube-public/cluster-info, ` +
        `but the node joined the cluster with CA ${recorded.caCertHash}: the kubeconfig in use reaches another cluster. ${howToProceed}`,
    );
  }
  const node = await cluster.getNode(nodeName);
  if (!node) return undefined;
  const annotated = node.annotations[annotations.machineId] ?? "";
  const annotationAgrees = annotated === recorded.machineId || (recorded.adopted === true && annotated === "");
  if (!recorded.machineId || node.machineId !== recorded.machineId || !annotationAgrees) {
    throw new OwnershipError(
      `refusing to touch node ${nodeName}: it joined as machine ${recorded.machineId || "(none recorded)"}, but Node ${nodeName} on ${cluster.server} ` +
        `reports machine ${node.machineId || "(none)"} (status.nodeInfo.machineID) and carries ${annotations.machineId}=${annotated || "(none)"}: ` +
        `the name now belongs to another machine. ${howToProceed}`,
    );
  }
  return node;
}

/**
 * A Node two resources claimed before create refused that carries the owner that wrote last: the
 * other one must neither remove it nor write its own claim over it. Compared with the owner this
 * resource recorded (a stack renamed since still matches, and update then writes the new name).
 * State written before owners were, or a Node without the annotation, proves nothing and goes on.
 */
export function refuseAnotherOwnersNode(recorded: { nodeName: string; owner?: string }, node: NodeView | undefined, action: "remove" | "update"): void {
  const claimedBy = node?.annotations[ownerAnnotation];
  if (!node || !recorded.owner || claimedBy === undefined || claimedBy === recorded.owner) return;
  const { nodeName } = recorded;
  throw new OwnershipError(
    `refusing to ${action} node ${nodeName}: Node ${nodeName} is managed by ${claimedBy} (${ownerAnnotation}), not by this resource ${recorded.owner}. ` +
      `Nothing was drained, deleted or reset. The Node was not patched. If the node stays with ${claimedBy}, drop this resource from this stack with ` +
      "`pulumi state delete <urn>` (`pulumi stack --show-urns` lists them) and remove its entry; " +
      `if it is to be removed, remove its entry from the stack of ${claimedBy} instead.`,
  );
}
