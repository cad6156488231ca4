// check: the pure validation of every input, plus the version rules that need to know what runs.
// The control plane's version is the one fact read at preview: one GET /version per cluster per
// provider process (cached by the caller), only when a version is being set, and never any SSH.
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

/**
 * Every input problem at once; the version rules only once the inputs are otherwise valid. The
 * returned inputs carry the normalized version ("v1.36.3" becomes "1.36.3").
 */
export async function checkWorkerNode(
  olds: Partial<WorkerNodeInputs>,
  news: WorkerNodeInputs,
  readServerVersion: ServerVersionReader,
): Promise<{ inputs: WorkerNodeInputs; failures: CheckFailure[] }> {
  const failures = validateWorkerNodeInputs(news as unknown as Record<string, unknown>);
  if (failures.length > 0) return { inputs: news, failures };
  const inputs = known(news.kubernetesVersion) ? { ...news, kubernetesVersion: normalizeVersion(news.kubernetesVersion) } : news;
  return { inputs, failures: await versionFailures(olds ?? {}, inputs, readServerVersion) };
}
