import { isDeepStrictEqual } from "node:util";
import { prepareHost } from "../host/prepare-host";
import { clusterRuntime } from "./cluster-runtime";
import { WorkerNodeError, type WorkerNodeEffects } from "./create";
import type { WorkerNodeInputs } from "./inputs";
import { planNodeMetadata } from "./node-metadata";
import type { WorkerNodeOutputs } from "./outputs";
import { nodeLog } from "../node-log";

/**
 * In-place changes: labels and taints through the API; containerd or package source changes by
 * re-running the (idempotent) host steps, which touch only what differs. Identity changes never
 * get here: the resource class makes them replacements.
 */
export async function updateWorkerNode(olds: WorkerNodeOutputs, news: WorkerNodeInputs, effects: WorkerNodeEffects): Promise<{ outs: WorkerNodeOutputs }> {
  const log = nodeLog(effects, olds.nodeName);
  const cluster = effects.connectCluster(news.cluster.kubeconfig);
  // A host key given now is a deliberate re-pin; otherwise the one recorded at create must match.
  const connection = { ...news.connection, hostKey: news.connection.hostKey ?? olds.hostKey };
  const containerd = news.containerd ?? {};
  const packages = news.packages ?? {};
  let hostKey = olds.hostKey;

  if (!isDeepStrictEqual(containerd, olds.containerd ?? {}) || !isDeepStrictEqual(packages, olds.packages ?? {})) {
    const shell = await effects.openSession(connection, {});
    try {
      hostKey = shell.hostKey;
      await prepareHost(shell, { kubernetesVersion: olds.kubernetesVersion, containerd, packages, ...(await clusterRuntime(cluster)) }, log);
    } finally {
      await shell.close();
    }
  }

  const node = await cluster.getNode(olds.nodeName);
  if (!node) {
    throw new WorkerNodeError(
      `Node ${olds.nodeName} is no longer in the cluster (${cluster.server}): someone removed it. ` +
        "Run `pulumi refresh` to drop it from state and `pulumi up` to join the host again.",
    );
  }
  const patch = planNodeMetadata(node, news.labels ?? {}, news.taints ?? []);
  if (patch) {
    await cluster.patchNode(olds.nodeName, patch);
    log(`labels and taints updated`);
  }
  return {
    outs: {
      ...olds,
      hostKey,
      labels: { ...(news.labels ?? {}) },
      taints: [...(news.taints ?? [])],
      reset: news.reset ?? true,
      drain: { ...(news.drain ?? {}) },
      containerd: { ...containerd },
      packages: { ...packages },
      connection: { ...connection, hostKey },
      cluster: { ...news.cluster },
    },
  };
}
