import { patientCluster } from "../cluster/patient-cluster";
import { drainAnnotations } from "../drain/annotations";
import { drainWithSlot } from "../drain/drain-with-slot";
import { resolveDrainOptions } from "../drain/options";
import { waitForVolumesDetached } from "../drain/volumes";
import { resetHost } from "../host/join";
import { WorkerNodeError, type WorkerNodeEffects } from "./create";
import type { WorkerNodeOutputs } from "./outputs";
import { proveNodeIsOurs, refuseAnotherOwnersNode } from "./ownership";
import { nodeLog } from "../node-log";

/**
 * Scale in, or the first half of a replacement: prove the node is ours, take a drain slot, cordon,
 * drain (never breaking a PodDisruptionBudget), wait for its volumes to detach, remove the Node,
 * release the slot, reset the host. The purpose (delete-purpose.ts) tells the other drains of the
 * `up` whether the node comes back, so whether it is room while it waits for its slot. A failure leaves the node cordoned and the resource in state, so the next `pulumi up`
 * resumes where it stopped; an ownership mismatch touches nothing at all.
 */
export async function deleteWorkerNode(olds: WorkerNodeOutputs, effects: WorkerNodeEffects, purpose: "remove" | "replace" = "remove"): Promise<void> {
  const log = nodeLog(effects, olds.nodeName);
  const resolved = resolveDrainOptions(olds.drain ?? {});
  if (!resolved.ok) throw new WorkerNodeError(`drain options in state are invalid: ${resolved.failures.join("; ")}`);
  const options = resolved.options;
  // The kubeconfig recorded at create; without one, the default loading (as create did), whose
  // cluster must still prove to be the node's by its CA below.
  const cluster = patientCluster(effects.connectCluster(olds.cluster?.kubeconfig), effects, log);
  if (!olds.cluster?.kubeconfig) log(`no kubeconfig recorded: using KUBECONFIG / ~/.kube/config (${cluster.server}), checked against the recorded cluster CA`);
  const node = await proveNodeIsOurs(cluster, olds);
  refuseAnotherOwnersNode(olds, node, "remove");
  if (!node) {
    log(`Node already gone from the cluster (${cluster.server}, CA ${olds.caCertHash.slice(0, 19)}… as recorded)`);
  } else {
    await drainWithSlot(cluster, olds.nodeName, options, effects, purpose, async (steady, slot) => {
      await waitForVolumesDetached(steady, olds.nodeName, options.volumeDetachTimeoutSeconds, effects);
      // The delete cannot be undone: only with the slot still ours (a re-run resumes from here).
      await slot.stillHeld("the Node was deleted");
      await steady.patchNode(olds.nodeName, { annotations: drainAnnotations("deleting-node", []) });
      await steady.deleteNode(olds.nodeName);
      log("Node deleted");
    });
  }
  if (olds.reset === false) return;
  let shell;
  try {
    shell = await effects.openSession(olds.connection, {});
  } catch (error) {
    // A drained node whose host is gone or unreachable must still leave the cluster and the state.
    // The warning is all the user learns of a host left joined: it says what to do, and why.
    const nodeFate = node ? "was drained and deleted" : "was already gone from the cluster";
    log(
      `warning: host ${olds.host} not reset, it could not be reached: ${(error as Error).message.replace(/\.$/, "")}. Node ${olds.nodeName} ${nodeFate}, so this delete completes; ` +
        "but when it is back, the host still holds its join: the kubelet credentials (/etc/kubernetes/kubelet.conf) for a Node that no longer exists, which its kubelet may register again. " +
        `Reset it by hand: run \`kubeadm reset -f\` on ${olds.user}@${olds.host} (port ${olds.port}).`,
    );
    return;
  }
  try {
    // The pinned host key proves the host; its machine-id proves it was not rebuilt since it joined.
    const machineId = (await shell.run("cat /etc/machine-id")).stdout.trim();
    if (olds.machineId && machineId !== olds.machineId) {
      log(`warning: host ${shell.address} not reset: its machine-id is ${machineId || "(none)"}, not ${olds.machineId} as when it joined (rebuilt?)`);
      return;
    }
    await resetHost(shell);
    log(`host ${shell.address} reset`);
  } finally {
    await shell.close();
  }
}
