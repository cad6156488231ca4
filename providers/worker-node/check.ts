// check: the pure validation of every input, plus the version rules that need to know what runs.
// The control plane's version is the one fact read at preview: one GET /version per cluster per
// provider process (cached by the caller), only when a version is being set, and never any SSH.
import type { NodeView } from "../cluster/kube-api";
import { hostAnnotation, ownerAnnotation } from "../review/departing";
import { claimedByAnotherProblem } from "./adopt-rules";
import { adoptionWrites } from "./adoption-writes";
import type { WorkerNodeInputs } from "./inputs";
import { unknownValue, validateWorkerNodeInputs, type CheckFailure } from "./validate";
import { normalizeVersion, parseKubernetesVersion, parseServerVersion, skewProblem, versionChangeProblem } from "./version";

/** Reads the API server's gitVersion for a kubeconfig (undefined: the default loading). */
export type ServerVersionReader = (kubeconfig: string | undefined) => Promise<string>;

/**
 * One read per kubeconfig for the whole process (every WorkerNode of a deployment shares it), so a
 * preview of any number of nodes asks each cluster once. A failed read is forgotten, to be retried.
 */
export function oneReadPerCluster(read: ServerVersionReader): ServerVersionReader {
  const reads = new Map<string, Promise<string>>();
  return (kubeconfig) => {
    const key = kubeconfig ?? "";
    let version = reads.get(key);
    if (!version) {
      version = read(kubeconfig);
      version.catch(() => reads.delete(key));
      reads.set(key, version);
    }
    return version;
  };
}

function known(value: unknown): value is string {
  return typeof value === "string" && value !== unknownValue;
}

/**
 * The version rules of a set kubernetesVersion: against the previous inputs (no downgrade, no skip
 * of a minor) and against the control plane (the skew policy). Nothing is read when the version is
 * unset, unchanged, not known yet, or already refused by validation.
 */
async function versionFailures(olds: Partial<WorkerNodeInputs>, news: WorkerNodeInputs, readServerVersion: ServerVersionReader): Promise<CheckFailure[]> {
  if (!known(news.kubernetesVersion)) return [];
  const requested = parseKubernetesVersion(news.kubernetesVersion);
  if (!requested) return [];
  const previous = known(olds.kubernetesVersion) ? parseKubernetesVersion(olds.kubernetesVersion) : undefined;
  if (previous) {
    const problem = versionChangeProblem(previous, requested);
    if (problem) return [{ property: "kubernetesVersion", reason: problem }];
    if (normalizeVersion(olds.kubernetesVersion as string) === normalizeVersion(news.kubernetesVersion)) return [];
  }
  const kubeconfig = news.cluster?.kubeconfig;
  if (kubeconfig === unknownValue || (news.cluster as unknown) === unknownValue) return [];
  let gitVersion: string;
  try {
    gitVersion = await readServerVersion(kubeconfig);
  } catch (error) {
    return [
      {
        property: "kubernetesVersion",
        reason: `could not be checked against the control plane's version (the skew policy): reading it failed: ${(error as Error).message}. Check cluster.kubeconfig and that the API server answers`,
      },
    ];
  }
  const apiServer = parseServerVersion(gitVersion);
  const skew = apiServer ? skewProblem(requested, apiServer) : undefined;
  return skew ? [{ property: "kubernetesVersion", reason: skew }] : [];
}

/** Reads a Node by name (undefined: there is none), for the adoption preview. */
export type NodeReader = (kubeconfig: string | undefined, name: string) => Promise<NodeView | undefined>;

/**
 * What a preview says about an entry that will adopt its host: only for a resource not in the
 * state yet (no old inputs). With a known nodeName the Node is looked up (one GET, no SSH): absent,
 * the preview fails; present, the line names its state. Without one the name is the hostname,
 * which only the host knows: create checks it.
 */
export async function adoptionPreview(olds: Partial<WorkerNodeInputs>, news: WorkerNodeInputs, readNode: NodeReader): Promise<{ notes: string[]; failures: CheckFailure[] }> {
  if (news.adopt !== true || olds.connection !== undefined) return { notes: [], failures: [] };
  const host = known(news.connection?.host) ? news.connection.host : "(not known yet)";
  const writes = news.owner ? `${adoptionWrites({ [ownerAnnotation]: news.owner, [hostAnnotation]: host })}; nothing on the host changes` : "nothing on the host or the Node is written";
  const unchanged = `no package, containerd, join, label, taint or cordon step; ${writes}`;
  if (!known(news.nodeName) || !known(news.cluster?.kubeconfig ?? "")) {
    return { notes: [`${host}: adopt: create takes over the Node of this host as it runs, once it proves it is a Ready Node of this cluster with this host's machine-id: ${unchanged}`], failures: [] };
  }
  const name = news.nodeName;
  let node: NodeView | undefined;
  try {
    node = await readNode(news.cluster?.kubeconfig, name);
  } catch (error) {
    return { notes: [`${name}: adopt: Node ${name} could not be read (${(error as Error).message}); create checks it before adopting`], failures: [] };
  }
  if (!node) {
    return { notes: [], failures: [{ property: "adopt", reason: `there is no Node named ${name} in the cluster: adopt takes over a node that already runs; check nodeName, or remove adopt to join host ${host}` }] };
  }
  const claimed = claimedByAnotherProblem({ nodeName: name, host, node, ...(news.owner ? { owner: news.owner } : {}) });
  if (claimed) return { notes: [], failures: [{ property: "adopt", reason: claimed }] };
  const state = `${node.ready ? "Ready" : `not Ready (${node.readyDetail})`}, kubelet ${node.kubeletVersion}, machine-id ${node.machineId || "(none)"}${node.unschedulable ? ", cordoned" : ""}`;
  return { notes: [`${name}: adopt: Node ${name} (${state}) on host ${host} is taken over as it runs: ${unchanged}`], failures: [] };
}

/**
 * Every input problem at once; the version rules and the adoption preview only once the inputs
 * are otherwise valid. The returned inputs carry the normalized version ("v1.36.3" becomes "1.36.3").
 */
export async function checkWorkerNode(
  olds: Partial<WorkerNodeInputs>,
  news: WorkerNodeInputs,
  readServerVersion: ServerVersionReader,
  readNode?: NodeReader,
): Promise<{ inputs: WorkerNodeInputs; failures: CheckFailure[]; notes: string[] }> {
  const failures = validateWorkerNodeInputs(news as unknown as Record<string, unknown>);
  if (failures.length > 0) return { inputs: news, failures, notes: [] };
  const inputs = known(news.kubernetesVersion) ? { ...news, kubernetesVersion: normalizeVersion(news.kubernetesVersion) } : news;
  const adoption = readNode ? await adoptionPreview(olds ?? {}, inputs, readNode) : { notes: [], failures: [] };
  return { inputs, failures: [...(await versionFailures(olds ?? {}, inputs, readServerVersion)), ...adoption.failures], notes: adoption.notes };
}
