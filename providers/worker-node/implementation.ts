// The provider's methods. The serialized provider (provider.ts) loads this module from the installed
// package at run time, so a fix here reaches update, delete and refresh of stacks created with an
// older version. check and diff are pure apart from cached reads (the version, when one is set; the
// Nodes a drain of ours marked, when a diff finds the inputs unchanged); everything that touches
// hosts or the cluster lives in operations.ts, loaded on its first call, so the provider process of
// a preview never loads the SSH client, and loads the Kubernetes client only for those reads.
import type * as KubeApi from "../cluster/kube-api";
import { checkWorkerNode, oneReadPerCluster } from "./check";
import type * as MarkedNodes from "../cluster/marked-nodes";
import { markedNodesOncePerCluster } from "./abandoned-scale-in";
import { DeletePurposes } from "./delete-purpose";
import { diffWorkerNode } from "./diff";
import type { WorkerNodeInputs } from "./inputs";
import type * as Operations from "./operations";
import type { WorkerNodeOutputs } from "./outputs";
import type { CheckFailure } from "./validate";

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
const operations = (): typeof Operations => require("./operations") as typeof Operations;
const cluster = (kubeconfig: string | undefined): KubeApi.ClusterApi => (require("../cluster/kube-api") as typeof KubeApi).connectCluster(kubeconfig);

const serverVersion = oneReadPerCluster((kubeconfig) => cluster(kubeconfig).serverVersion());
/** Read only by a diff that finds the inputs unchanged; 15 s, as the scale-in report's reads. */
const markedNodes = markedNodesOncePerCluster(
  (kubeconfig) => (require("../cluster/marked-nodes") as typeof MarkedNodes).readNodesMarkedByDrains(kubeconfig, 15_000),
  (line) => console.log(line),
);
/* eslint-enable @typescript-eslint/no-require-imports */
/** Noted by each diff, read by the delete the engine runs after it in this process (delete-purpose.ts). */
const deletePurposes = new DeletePurposes();

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
 * See diff.ts diffWorkerNode: pure, but for one cached read per cluster of the Nodes a drain of
 * ours marked. Notes whether the resource's next delete is a replacement's.
 */
export function diff(id: string, olds: WorkerNodeOutputs, news: WorkerNodeInputs): Promise<{ changes?: boolean }> {
  deletePurposes.noteDiff(id, olds, news);
  return diffWorkerNode(olds, news, markedNodes, (line) => console.log(line));
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
  return operations().remove(id, olds, deletePurposes.purposeOf(id));
}
