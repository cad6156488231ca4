// `pulumi refresh`: the node as the cluster has it. Read-only API calls (cluster-info and the Node),
// never SSH: a refresh must not touch hosts, and must not need them to answer.
import { cordonedBeforeDrainAnnotation, drainPhaseAnnotation } from "../drain/annotations";
import { hasDrainState } from "../drain/scale-in";
import type { NodeView } from "../cluster/kube-api";
import { nodeLog } from "../node-log";
import type { WorkerNodeEffects } from "./create";
import { inputsFromOutputs } from "./given-inputs";
import type { WorkerNodeInputs } from "./inputs";
import { observeManagedMetadata, summarizeNode } from "./node-status";
import type { WorkerNodeOutputs } from "./outputs";
import { proveNodeIsOurs } from "./ownership";

export interface ReadResult {
  /** Empty: the node is gone, and the engine drops the resource from the state. */
  readonly id: string;
  readonly props?: WorkerNodeOutputs;
  /** When labels or taints drifted (or stopped drifting): inputs that show it, so the next `up` restores them. */
  readonly inputs?: WorkerNodeInputs;
}

/**
 * The cluster is proved first (its cluster-info CA is the recorded one), so a kubeconfig that now
 * reaches another cluster fails the refresh instead of dropping every node from the state; a Node
 * of that name that is another machine fails it too, naming both machine-ids.
 */
export async function readWorkerNode(id: string, olds: WorkerNodeOutputs, effects: Pick<WorkerNodeEffects, "connectCluster" | "log">): Promise<ReadResult> {
  const log = nodeLog(effects, olds.nodeName);
  const cluster = effects.connectCluster(olds.cluster?.kubeconfig);
  // Reading needs no annotation of ours: a Node its kubelet registered again after a delete has
  // none, and its machine-id still proves it is this machine (what a refresh reports as drift).
  const node = await proveNodeIsOurs(cluster, { nodeName: olds.nodeName, machineId: olds.machineId, caCertHash: olds.caCertHash, adopted: true });
  if (!node) {
    log(`refresh: Node ${olds.nodeName} is gone from the cluster (${cluster.server}): dropped from the state; the next pulumi up joins host ${olds.host} again`);
    return { id: "" };
  }
  const observed = observeManagedMetadata({ labels: olds.labels ?? {}, taints: olds.taints ?? [] }, node);
  const status = summarizeNode(node);
  // The outputs keep the declared labels and taints (what the next refresh compares with) and list
  // the drift, which makes the provider's diff defer to the engine; the returned inputs carry the
  // labels and taints as found, so the engine's diff shows them against the program's and the next
  // `up` restores them. State from before givenInputs cannot be given such inputs: drift is reported only.
  const props: WorkerNodeOutputs = { ...olds, kubeletVersion: node.kubeletVersion, containerdVersion: node.containerRuntimeVersion, nodeStatus: status, drift: observed.drift };
  const restorable = inputsFromOutputs(olds) !== undefined;
  const restores = restorable ? "the next pulumi up restores it" : "state written by an older kubeadm-workers: the next pulumi up that changes this node restores it";
  for (const line of observed.drift) log(`refresh: ${line} (${restores})`);
  if (status.cordonedByOthers) log("refresh: cordoned by someone else; left cordoned (pulumi up does not uncordon it)");
  if (hasDrainState(node)) log(`refresh: ${unfinishedDrainLine(node)}`);
  if (!status.ready) log(`refresh: not Ready (${node.readyDetail})`);
  // Inputs go back only when drift is found, or was found by the last refresh and is gone now: any
  // other time the stored inputs are the program's own and stay as they are.
  const inputs = observed.drift.length > 0 || (olds.drift ?? []).length > 0 ? inputsFromOutputs({ ...props, labels: observed.labels, taints: observed.taints }) : undefined;
  return { id: olds.nodeName || id, props, ...(inputs ? { inputs } : {}) };
}

/**
 * A refresh cannot tell whether the entry is still in the program: both outcomes of the next `up`
 * are named (the diff of a re-added entry asks for the update that clears the marks, abandoned-scale-in.ts).
 */
function unfinishedDrainLine(node: NodeView): string {
  const theirs = node.annotations[cordonedBeforeDrainAnnotation] === "true";
  const phase = node.annotations[drainPhaseAnnotation];
  const cordon = node.unschedulable ? (theirs ? "cordoned by someone else before it" : "cordoned by it") : "not cordoned";
  const readded = node.unschedulable && !theirs ? "uncordons it and removes the marks" : "removes the marks";
  return `marked by a drain of ours that did not finish (${phase ? `drain phase ${phase}` : "drain state"}, ${cordon}): with its entry in the program the next pulumi up ${readded}; without it, the next pulumi up resumes the scale-in`;
}
