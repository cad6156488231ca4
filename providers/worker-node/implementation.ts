// The provider's methods. The serialized provider (provider.ts) loads this module from the installed
// package at run time, so a fix here reaches update, delete and refresh of stacks created with an
// older version. check and diff are pure apart from one cached version read; everything that
// touches hosts or the cluster lives in operations.ts, loaded on its first call, so the provider
// process of a preview never loads the SSH or Kubernetes client.
import type * as KubeApi from "../cluster/kube-api";
import { checkWorkerNode, oneReadPerCluster } from "./check";
import { isEquivalentToRecorded } from "./diff";
import type { WorkerNodeInputs } from "./inputs";
import type * as Operations from "./operations";
import type { WorkerNodeOutputs } from "./outputs";
import type { CheckFailure } from "./validate";
import { normalizeVersion, parseKubernetesVersion, versionChangeProblem } from "./version";

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
const operations = (): typeof Operations => require("./operations") as typeof Operations;
const cluster = (kubeconfig: string | undefined): KubeApi.ClusterApi => (require("../cluster/kube-api") as typeof KubeApi).connectCluster(kubeconfig);
/* eslint-enable @typescript-eslint/no-require-imports */

const serverVersion = oneReadPerCluster((kubeconfig) => cluster(kubeconfig).serverVersion());

/**
 * Runs at preview: validation, the version rules (one cached GET /version when a version is set),
 * and for a new adopting entry one GET of its Node; no SSH.
 */
export async function check(olds: Partial<WorkerNodeInputs>, news: WorkerNodeInputs): Promise<{ inputs: WorkerNodeInputs; failures: CheckFailure[] }> {
  const { notes, ...checked } = await checkWorkerNode(olds, news, serverVersion, (kubeconfig, name) => cluster(kubeconfig).getNode(name));
  // Dynamic providers have no engine log channel: stdout lines show under the stack in the CLI.
  notes.forEach((note) => console.log(note));
  return checked;
}

/**
 * "No change" when the new inputs describe what the node already is (see diff.ts); otherwise the
 * engine diffs the inputs, so `preview --diff` shows each property and replaceOnChanges applies.
 * A version the node cannot move to in place fails the preview here, against the version recorded
 * at the last up (check only sees the previous inputs, where the version may have been unset).
 */
export function diff(_id: string, olds: WorkerNodeOutputs, news: WorkerNodeInputs): Promise<{ changes?: boolean }> {
  if (isEquivalentToRecorded(olds, news)) return Promise.resolve({ changes: false });
  const from = olds.kubernetesVersion ? parseKubernetesVersion(olds.kubernetesVersion) : undefined;
  const to = typeof news.kubernetesVersion === "string" ? parseKubernetesVersion(news.kubernetesVersion) : undefined;
  const problem = from && to ? versionChangeProblem(from, to) : undefined;
  if (problem) {
    return Promise.reject(new Error(`node ${olds.nodeName}: kubernetesVersion ${normalizeVersion(news.kubernetesVersion as string)} refused: ${problem}`));
  }
  return Promise.resolve({});
}

/** Joins the host, or with `adopt` records a host that already is a Node of the cluster, touching nothing. */
export function create(inputs: WorkerNodeInputs): Promise<{ id: string; outs: WorkerNodeOutputs }> {
  return operations().create(inputs);
}

/** `pulumi refresh`: the node as the cluster has it, with read-only API calls (no SSH). */
export function read(id: string, olds: WorkerNodeOutputs): Promise<{ id: string; props?: WorkerNodeOutputs; inputs?: WorkerNodeInputs }> {
  return operations().read(id, olds);
}

export function update(id: string, olds: WorkerNodeOutputs, news: WorkerNodeInputs): Promise<{ outs: WorkerNodeOutputs }> {
  return operations().update(id, olds, news);
}

export function remove(id: string, olds: WorkerNodeOutputs): Promise<void> {
  return operations().remove(id, olds);
}
