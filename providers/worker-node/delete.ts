import type { ClusterApi } from "../cluster/kube-api";
import { drainNode } from "../drain/execute";
import { resetHost } from "../host/join";
import type { WorkerNodeEffects } from "./create";
import { annotations, type WorkerNodeOutputs } from "./outputs";

/**
 * Scale in: cordon, drain (never breaking a PodDisruptionBudget), remove the Node, reset the host.
 * A failure leaves the node cordoned and the resource in state, so the next `pulumi up` resumes.
 */
export async function deleteWorkerNode(olds: WorkerNodeOutputs, effects: WorkerNodeEffects): Promise<void> {
  const log = (line: string): void => effects.log(`${olds.nodeName}: ${line}`);
  const cluster: ClusterApi = effects.connectCluster(olds.cluster.kubeconfig);
  const node = await cluster.getNode(olds.nodeName);
  if (!node) {
    log("Node already gone from the cluster");
  } else if (node.annotations[annotations.machineId] && olds.machineId && node.annotations[annotations.machineId] !== olds.machineId) {
    // The name now belongs to another machine (re-joined by hand?): draining it would hit the wrong host.
    log(`warning: Node ${olds.nodeName} now belongs to machine ${node.annotations[annotations.machineId]}, not ${olds.machineId}: left untouched`);
  } else {
    if (!node.unschedulable) {
      await cluster.patchNode(olds.nodeName, { unschedulable: true });
      log("cordoned");
    }
    await drainNode(cluster, olds.nodeName, effects);
    await cluster.deleteNode(olds.nodeName);
    log("Node deleted");
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
