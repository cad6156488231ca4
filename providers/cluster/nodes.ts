// Node calls: read, patch (labels, annotations, taints, cordon), delete, and every Node with its pods
// as the room evicted pods could go to (paginated: a constant number of lists, however large the cluster).
import * as k8s from "@kubernetes/client-node";
import type { ClusterNode, DrainPod } from "../drain/types";
import type { Taint } from "../worker-node/inputs";
import type { ApiContext } from "./api-calls";
import { toClusterNode, toNodeView, type NodeView } from "./node-view";
import { forEachPage, listAll, listPageSize, listUnder } from "./paged-list";
import { toDrainPod } from "./pod-view";

export interface NodePatch {
  /** Labels to set; a null value removes the label. */
  readonly labels?: Readonly<Record<string, string | null>>;
  readonly annotations?: Readonly<Record<string, string | null>>;
  /** The whole taint list (taints are a list, so they are replaced, not merged). */
  readonly taints?: readonly Taint[];
  readonly unschedulable?: boolean;
}

export interface NodeApi {
  getNode(name: string): Promise<NodeView | undefined>;
  patchNode(name: string, patch: NodePatch): Promise<NodeView>;
  /** Deletes a Node; an absent one is not an error. */
  deleteNode(name: string): Promise<void>;
  /** The Node whose kubelet reports this machine-id (status.nodeInfo.machineID), whatever its name; one paginated list. */
  findNodeByMachineId(machineId: string): Promise<NodeView | undefined>;
  /** The cordoned Nodes (a field selector: the few being drained or cordoned, not the cluster's). */
  listCordonedNodes(): Promise<NodeView[]>;
  /** Schedulable candidates for evicted pods: every Node but the excluded ones, each with its pods. */
  listNodesWithPods(exclude: ReadonlySet<string>): Promise<ClusterNode[]>;
}

/** A JSON merge patch of the Node: only the fields the patch names. */
function mergePatchOf(patch: NodePatch): { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } {
  const body: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } = {};
  if (patch.labels || patch.annotations) {
    body.metadata = { ...(patch.labels ? { labels: patch.labels } : {}), ...(patch.annotations ? { annotations: patch.annotations } : {}) };
  }
  if (patch.taints || patch.unschedulable !== undefined) {
    body.spec = {
      ...(patch.taints ? { taints: patch.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) } : {}),
      ...(patch.unschedulable !== undefined ? { unschedulable: patch.unschedulable } : {}),
    };
  }
  return body;
}

export function nodeApi({ config, calls }: ApiContext): NodeApi {
  const core = config.makeApiClient(k8s.CoreV1Api);
  return {
    async getNode(name) {
      const node = await calls.unlessAbsent(`reading Node ${name}`, () => core.readNode({ name }));
      return node && toNodeView(node);
    },
    async patchNode(name, patch) {
      const node = await calls.call(`patching Node ${name}`, () =>
        core.patchNode({ name, body: mergePatchOf(patch) }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch)),
      );
      return toNodeView(node);
    },
    async deleteNode(name) {
      await calls.unlessAbsent(`deleting Node ${name}`, () => core.deleteNode({ name }));
    },
    async findNodeByMachineId(machineId) {
      const nodes = await calls.call("listing Nodes", () => listAll((cont) => core.listNode({ limit: listPageSize, _continue: cont })));
      const found = nodes.find((n) => n.status?.nodeInfo?.machineID === machineId);
      return found && toNodeView(found);
    },
    async listCordonedNodes() {
      const nodes = await calls.call("listing cordoned Nodes", () => listAll((cont) => core.listNode({ fieldSelector: "spec.unschedulable=true", limit: listPageSize, _continue: cont })));
      return nodes.map(toNodeView);
    },
    async listNodesWithPods(exclude) {
      // Pods are kept as summaries, page by page: the raw list of a large cluster never builds up.
      const podsByNode = new Map<string, DrainPod[]>();
      const running = "status.phase!=Succeeded,status.phase!=Failed";
      const [nodes] = await Promise.all([
        calls.call("listing Nodes", () => listAll((cont) => core.listNode({ limit: listPageSize, _continue: cont }))),
        calls.call("listing running pods", () =>
          forEachPage(
            (cont) => core.listPodForAllNamespaces({ fieldSelector: running, limit: listPageSize, _continue: cont }),
            (pods) => {
              for (const pod of pods) {
                const nodeName = pod.spec?.nodeName;
                if (nodeName && !exclude.has(nodeName)) listUnder(podsByNode, nodeName).push(toDrainPod(pod));
              }
            },
          ),
        ),
      ]);
      return nodes.filter((n) => !exclude.has(n.metadata?.name ?? "")).map((n) => toClusterNode(n, podsByNode.get(n.metadata?.name ?? "") ?? []));
    },
  };
}
