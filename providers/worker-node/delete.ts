import type { ClusterApi } from "../cluster/kube-api";
import { drainAnnotations } from "../drain/annotations";
import { acquireDrainSlot } from "../drain/budget";
import { drainNode } from "../drain/execute";
import { resolveDrainOptions } from "../drain/options";
import { resetHost } from "../host/join";
import { WorkerNodeError, type WorkerNodeEffects } from "./create";
import { annotations, type WorkerNodeOutputs } from "./outputs";
import { nodeLog } from "../node-log";

/**
 * Scale in: cordon, take a drain slot, drain (never breaking a PodDisruptionBudget), remove the
 * Node, reset the host. A failure leaves the node cordoned and the resource in state, so the next
 * `pulumi up` resumes where it stopped.
 */
export async function deleteWorkerNode(olds: WorkerNodeOutputs, effects: WorkerNodeEffects): Promise<void> {
  const log = nodeLog(effects, olds.nodeName);
  const resolved = resolveDrainOptions(olds.drain ?? {});
  if (!resolved.ok) throw new WorkerNodeError(`drain options in state are invalid: ${resolved.failures.join("; ")}`);
  const options = resolved.options;
  const cluster: ClusterApi = effects.connectCluster(olds.cluster.kubeconfig);
  const node = await cluster.getNode(olds.nodeName);
  if (!node) {
    log("Node already gone from the cluster");
  } else if (node.annotations[annotations.machineId] && olds.machineId && node.annotations[annotations.machineId] !== olds.machineId) {
    // The name now belongs to another machine (re-joined by hand?): draining it would hit the wrong host.
    log(`warning: Node ${olds.nodeName} now belongs to machine ${node.annotations[annotations.machineId]}, not ${olds.machineId}: left untouched`);
  } else {
    // Cordon before waiting for a slot: every departing node is then unschedulable, so no drain
    // counts another departing node as room for its pods.
    if (!node.unschedulable) {
      await cluster.patchNode(olds.nodeName, { unschedulable: true, annotations: drainAnnotations("cordoned", []) });
      log("cordoned");
    }
    const deadline = new Date(effects.now().getTime() + options.timeoutSeconds * 1000);
    const release = await acquireDrainSlot(cluster, olds.nodeName, options.maxConcurrentDrains, deadline, { ...effects, log });
    try {
      log(`draining (slot taken, timeout ${options.timeoutSeconds}s)`);
      await drainNode(cluster, olds.nodeName, options, effects);
      await cluster.patchNode(olds.nodeName, { annotations: drainAnnotations("deleting-node", []) });
      await cluster.deleteNode(olds.nodeName);
      log("Node deleted");
    } finally {
      await release();
    }
  }
  if (olds.reset === false) return;
  let shell;
  try {
    shell = await effects.openSession(olds.connection, {});
  } catch (error) {
    // A drained node whose host is gone or unreachable must still leave the cluster and the state.
    log(`warning: host ${olds.host} not reset, it could not be reached: ${(error as Error).message}`);
    return;
  }
  try {
    await resetHost(shell);
    log(`host ${shell.address} reset`);
  } finally {
    await shell.close();
  }
}
