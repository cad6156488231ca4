// The Nodes a drain of ours marked, for the diff of a preview (worker-node/abandoned-scale-in.ts):
// read-only, two small lists however large the cluster, bounded in time.
import * as k8s from "@kubernetes/client-node";
import { drainingLabel } from "../drain/annotations";
import { describeApiError } from "./api-calls";
import { toNodeView, type NodeView } from "./node-view";
import { listAll, listPageSize } from "./paged-list";
import { boundedReads } from "./within-timeout";

export type MarkedNode = Pick<NodeView, "name" | "unschedulable" | "labels" | "annotations">;

/**
 * The Nodes carrying our draining label, and the cordoned Nodes (a field selector), whose
 * annotations may hold a drain of ours marked before the label existed. Both lists hold only the
 * few nodes being drained or cordoned, not the cluster's; a cluster that does not answer within
 * `timeoutMs` fails the read, naming the server.
 */
export async function readNodesMarkedByDrains(kubeconfig: string | undefined, timeoutMs: number): Promise<MarkedNode[]> {
  const { server, core, within } = boundedReads(kubeconfig, timeoutMs);
  const list = (selector: { labelSelector: string } | { fieldSelector: string }) => listAll((cont) => core.listNode({ ...selector, limit: listPageSize, _continue: cont }));
  let lists: k8s.V1Node[][];
  try {
    lists = await within(Promise.all([list({ labelSelector: drainingLabel }), list({ fieldSelector: "spec.unschedulable=true" })]));
  } catch (error) {
    throw new Error(`listing the Nodes marked by a drain on ${server} failed: ${describeApiError(error)}`, { cause: error });
  }
  const byName = new Map<string, MarkedNode>();
  for (const node of lists.flat()) {
    const { name, unschedulable, labels, annotations } = toNodeView(node);
    byName.set(name, { name, unschedulable, labels, annotations });
  }
  return [...byName.values()];
}
