// Read-only snapshot of a cluster for the scale-in report that `pulumi preview` prints. Split from
// kube-api.ts by purpose: the preview must never write, so this module has no write call at all, and
// it reads with a constant number of paginated lists, however large the cluster.
import * as k8s from "@kubernetes/client-node";
import type { ClusterNode } from "../drain/types";
import type { ReviewPdb, ReviewPod } from "../review/scale-in-report";
import { toDrainPod } from "./kube-api";
import { loadKubeConfig } from "./request-count";

export interface ReviewNode extends ClusterNode {
  readonly annotations: Readonly<Record<string, string>>;
  readonly kubeletVersion: string;
}

export interface ClusterSnapshot {
  readonly server: string;
  readonly nodes: readonly ReviewNode[];
  /** Pods by the Node they are bound to (unbound pods left out). */
  readonly podsByNode: ReadonlyMap<string, readonly ReviewPod[]>;
  readonly pdbs: readonly ReviewPdb[];
  readonly existingDaemonSets: ReadonlySet<string>;
  readonly terminatingNamespaces: ReadonlySet<string>;
}

const pageSize = 500;

/** Every item of a list, page by page (kubectl's --chunk-size default), so one huge response never builds up. */
async function listAll<T>(page: (cont: string | undefined) => Promise<{ items: T[]; metadata?: { _continue?: string } }>): Promise<T[]> {
  const items: T[] = [];
  let cont: string | undefined;
  do {
    const list = await page(cont);
    items.push(...list.items);
    cont = list.metadata?._continue || undefined;
  } while (cont);
  return items;
}

function listFor<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function toReviewNode(node: k8s.V1Node): ReviewNode {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  return {
    name: node.metadata?.name ?? "",
    annotations: node.metadata?.annotations ?? {},
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? "",
    unschedulable: node.spec?.unschedulable === true,
    ready: ready?.status === "True",
    labels: node.metadata?.labels ?? {},
    taints: (node.spec?.taints ?? []).map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect as "NoSchedule" | "PreferNoSchedule" | "NoExecute" })),
    allocatable: Object.fromEntries(Object.entries(node.status?.allocatable ?? {}).map(([k, v]) => [k, String(v)])),
    pods: [],
  };
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
 * Five paginated lists (Nodes, Pods, PodDisruptionBudgets, DaemonSets, Namespaces), each bounded by
 * `timeoutMs`, so a cluster that does not answer makes the report say so instead of holding the preview.
 */
export async function readClusterSnapshot(kubeconfig: string | undefined, timeoutMs: number): Promise<ClusterSnapshot> {
  const config = loadKubeConfig(kubeconfig);
  const server = config.getCurrentCluster()?.server ?? "(no current cluster)";
  const core = config.makeApiClient(k8s.CoreV1Api);
  const policy = config.makeApiClient(k8s.PolicyV1Api);
  const apps = config.makeApiClient(k8s.AppsV1Api);
  const read = Promise.all([
    listAll((cont) => core.listNode({ limit: pageSize, _continue: cont })),
    listAll((cont) => core.listPodForAllNamespaces({ limit: pageSize, _continue: cont })),
    listAll((cont) => policy.listPodDisruptionBudgetForAllNamespaces({ limit: pageSize, _continue: cont })),
    listAll((cont) => apps.listDaemonSetForAllNamespaces({ limit: pageSize, _continue: cont })),
    listAll((cont) => core.listNamespace({ limit: pageSize, _continue: cont })),
  ]);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${server} within ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    const [nodes, pods, pdbs, daemonSets, namespaces] = await Promise.race([read, timeout]);
    const podsByNode = new Map<string, ReviewPod[]>();
    const runningByNode = new Map<string, ReviewPod["pod"][]>();
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName) continue;
      const drainPod = toDrainPod(pod);
      listFor(podsByNode, nodeName).push({ pod: drainPod, labels: pod.metadata?.labels ?? {} });
      if (pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed") listFor(runningByNode, nodeName).push(drainPod);
    }
    return {
      server,
      nodes: nodes.map(toReviewNode).map((node) => ({ ...node, pods: runningByNode.get(node.name) ?? [] })),
      podsByNode,
      pdbs: pdbs.map(toReviewPdb),
      existingDaemonSets: new Set(daemonSets.map((d) => `${d.metadata?.namespace ?? ""}/${d.metadata?.name ?? ""}`)),
      terminatingNamespaces: new Set(namespaces.filter((n) => n.metadata?.deletionTimestamp).map((n) => n.metadata?.name ?? "")),
    };
  } finally {
    clearTimeout(timer);
  }
}
