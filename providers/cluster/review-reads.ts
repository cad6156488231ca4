// Read-only snapshot of a cluster for the scale-in report that `pulumi preview` prints. Apart from the
// provider's calls (kube-api.ts) by purpose: the preview must never write, so this module imports no
// write call at all (only the shared object mappings), and it reads with a constant number of
// paginated lists, however large the cluster: the Nodes first, and the rest only when a node departs.
import * as k8s from "@kubernetes/client-node";
import type { DrainPod } from "../drain/types";
import type { ReviewPdb } from "../review/scale-in-report";
import { toClusterNode, type ClusterNodeView } from "./node-view";
import { listAll, listPageSize, listUnder } from "./paged-list";
import { toDrainPod } from "./pod-view";
import { boundedReads } from "./within-timeout";

export interface ClusterSnapshot {
  readonly server: string;
  readonly nodes: readonly ClusterNodeView[];
  /** Pods by the Node they are bound to, in any phase (unbound pods left out). */
  readonly podsByNode: ReadonlyMap<string, readonly DrainPod[]>;
  readonly pdbs: readonly ReviewPdb[];
  readonly existingDaemonSets: ReadonlySet<string>;
  readonly terminatingNamespaces: ReadonlySet<string>;
}

function toReviewPdb(pdb: k8s.V1PodDisruptionBudget): ReviewPdb {
  const selector = pdb.spec?.selector;
  return {
    namespace: pdb.metadata?.namespace ?? "",
    name: pdb.metadata?.name ?? "",
    selector: {
      ...(selector?.matchLabels ? { matchLabels: selector.matchLabels } : {}),
      ...(selector?.matchExpressions
        ? { matchExpressions: selector.matchExpressions.map((e) => ({ key: e.key, operator: e.operator as "In", ...(e.values ? { values: e.values } : {}) })) }
        : {}),
    },
    disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0,
    currentHealthy: pdb.status?.currentHealthy ?? 0,
    desiredHealthy: pdb.status?.desiredHealthy ?? 0,
  };
}

/**
 * The Nodes alone, without their pods: one paginated list, enough to find the departing nodes, so a
 * preview that removes nothing never reads the cluster's pods. Bounded by `timeoutMs`.
 */
export async function readClusterNodes(kubeconfig: string | undefined, timeoutMs: number): Promise<{ server: string; nodes: ClusterNodeView[] }> {
  const { server, core, within } = boundedReads(kubeconfig, timeoutMs);
  const nodes = await within(listAll((cont) => core.listNode({ limit: listPageSize, _continue: cont })));
  return { server, nodes: nodes.map((node) => toClusterNode(node, [])) };
}

/**
 * The rest of the snapshot for the `nodes` readClusterNodes read: four paginated lists (Pods,
 * PodDisruptionBudgets, DaemonSets, Namespaces), bounded by `timeoutMs`, so a cluster that does
 * not answer makes the report say so instead of holding the preview.
 */
export async function readClusterSnapshot(kubeconfig: string | undefined, timeoutMs: number, nodes: readonly ClusterNodeView[]): Promise<ClusterSnapshot> {
  const { server, config, core, within } = boundedReads(kubeconfig, timeoutMs);
  const policy = config.makeApiClient(k8s.PolicyV1Api);
  const apps = config.makeApiClient(k8s.AppsV1Api);
  const [pods, pdbs, daemonSets, namespaces] = await within(
    Promise.all([
      listAll((cont) => core.listPodForAllNamespaces({ limit: listPageSize, _continue: cont })),
      listAll((cont) => policy.listPodDisruptionBudgetForAllNamespaces({ limit: listPageSize, _continue: cont })),
      listAll((cont) => apps.listDaemonSetForAllNamespaces({ limit: listPageSize, _continue: cont })),
      listAll((cont) => core.listNamespace({ limit: listPageSize, _continue: cont })),
    ]),
  );
  const podsByNode = new Map<string, DrainPod[]>();
  const runningByNode = new Map<string, DrainPod[]>();
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) continue;
    const drainPod = toDrainPod(pod);
    listUnder(podsByNode, nodeName).push(drainPod);
    if (pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed") listUnder(runningByNode, nodeName).push(drainPod);
  }
  return {
    server,
    nodes: nodes.map((node) => ({ ...node, pods: runningByNode.get(node.name) ?? [] })),
    podsByNode,
    pdbs: pdbs.map(toReviewPdb),
    existingDaemonSets: new Set(daemonSets.map((d) => `${d.metadata?.namespace ?? ""}/${d.metadata?.name ?? ""}`)),
    terminatingNamespaces: new Set(namespaces.filter((n) => n.metadata?.deletionTimestamp).map((n) => n.metadata?.name ?? "")),
  };
}
