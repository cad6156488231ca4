import { isDeepStrictEqual } from "node:util";
import type { ClusterApi, NodeView } from "../cluster/kube-api";
import { drainBlockersAnnotation, drainPhaseAnnotation } from "../drain/annotations";
import { drainWithSlot } from "../drain/drain-with-slot";
import { formatSeconds } from "../drain/duration";
import { resolveDrainOptions } from "../drain/options";
import { fingerprintOf, parseHostKey } from "../host/host-key";
import { aptSourceStep } from "../host/apt-source";
import { droppedMirrorsStep } from "../host/converge-steps";
import { prepareSteps } from "../host/prepare-steps";
import { outputTail, runHostSteps } from "../host/run-steps";
import type { RemoteShell } from "../host/ssh-session";
import { restartKubeletScript, upgradeSteps } from "../host/upgrade-steps";
import { nodeLog } from "../node-log";
import { defaultJoinTimeoutSeconds, WorkerNodeError, type WorkerNodeEffects } from "./create";
import { sameHostKey } from "./diff";
import { parseDurationSeconds } from "./duration";
import type { WorkerNodeInputs } from "./inputs";
import { planNodeMetadata } from "./node-metadata";
import type { WorkerNodeOutputs } from "./outputs";
import { proveNodeIsOurs } from "./ownership";
import { formatVersion, normalizeVersion, parseKubernetesVersion, parseServerVersion, skewProblem, versionChangeProblem } from "./version";

/** The join-only inputs as given, for the next diff (see diff.ts). */
export function joinInputsOf(inputs: WorkerNodeInputs): NonNullable<WorkerNodeOutputs["joinInputs"]> {
  return {
    ...(inputs.nodeName !== undefined ? { nodeName: inputs.nodeName } : {}),
    ...(inputs.joinTimeout !== undefined ? { joinTimeout: inputs.joinTimeout } : {}),
    ...(inputs.kubeadm !== undefined ? { kubeadm: inputs.kubeadm } : {}),
  };
}

/**
 * The release the node should run after this update, refused (before anything is touched) when the
 * change is a downgrade, skips a minor, or breaks the skew policy against the control plane as it
 * is now. Preview checked the same; the cluster may have changed since.
 */
async function targetVersion(olds: WorkerNodeOutputs, news: WorkerNodeInputs, cluster: ClusterApi): Promise<string> {
  if (news.kubernetesVersion === undefined) return olds.kubernetesVersion;
  const target = normalizeVersion(news.kubernetesVersion);
  if (target === normalizeVersion(olds.kubernetesVersion)) return olds.kubernetesVersion;
  const from = parseKubernetesVersion(olds.kubernetesVersion);
  const to = parseKubernetesVersion(target);
  if (!from || !to) throw new WorkerNodeError(`node ${olds.nodeName}: cannot upgrade from ${olds.kubernetesVersion} to ${news.kubernetesVersion}: not Kubernetes releases`);
  const apiServer = parseServerVersion(await cluster.serverVersion());
  const problem = versionChangeProblem(from, to) ?? (apiServer ? skewProblem(to, apiServer) : undefined);
  if (problem) throw new WorkerNodeError(`node ${olds.nodeName}: kubernetesVersion ${problem}. Nothing was changed.`);
  return formatVersion(to);
}

/** Polls until the Node is Ready and its kubelet reports `version`; fails after `timeoutSeconds` saying which of the two it lacked. */
async function waitForKubeletVersion(cluster: ClusterApi, name: string, version: string, timeoutSeconds: number, effects: WorkerNodeEffects, log: (l: string) => void): Promise<NodeView> {
  const deadline = effects.now().getTime() + timeoutSeconds * 1000;
  let lastReport = effects.now().getTime();
  for (;;) {
    const node = await cluster.getNode(name);
    const reported = node ? normalizeVersion(node.kubeletVersion) : undefined;
    if (node?.ready && reported === version) return node;
    const now = effects.now().getTime();
    const state = node ? `Ready: ${node.readyDetail}, kubelet ${node.kubeletVersion || "not reported"}` : "the Node is gone";
    if (now >= deadline) {
      throw new WorkerNodeError(
        `Node ${name} did not report Ready with kubelet v${version} within ${formatSeconds(timeoutSeconds)} after the kubelet restart (${state}). ` +
          "It stays cordoned; check the kubelet on the host (journalctl -u kubelet), then run pulumi up again, or raise joinTimeout.",
      );
    }
    if (now - lastReport >= 15_000) {
      log(`waiting for Ready at kubelet v${version} (${state})`);
      lastReport = now;
    }
    await effects.sleep(2000);
  }
}

/**
 * kubeadm's worker upgrade, on a node that drainWithSlot has cordoned and drained: kubeadm, `kubeadm
 * upgrade node`, kubelet and kubectl (held), kubelet restart, Ready at the new version, uncordon.
 */
async function upgradeDrainedNode(shell: RemoteShell, cluster: ClusterApi, olds: WorkerNodeOutputs, news: WorkerNodeInputs, version: string, leaveCordoned: boolean, effects: WorkerNodeEffects): Promise<NodeView> {
  const log = nodeLog(effects, olds.nodeName);
  const waitSeconds = news.joinTimeout === undefined ? defaultJoinTimeoutSeconds : (parseDurationSeconds(news.joinTimeout) as number);
  await runHostSteps(shell, upgradeSteps({ kubernetesVersion: version, packages: news.packages ?? {}, ignorePreflightErrors: news.kubeadm?.ignorePreflightErrors ?? [] }), log);
  const restarted = await shell.runScript(restartKubeletScript, { timeoutSeconds: 120 });
  if (restarted.code !== 0) throw new WorkerNodeError(`host ${shell.address}: restarting the kubelet failed:${outputTail(restarted)}`);
  log(`kubelet restarted, waiting for Ready at v${version}`);
  await waitForKubeletVersion(cluster, olds.nodeName, version, waitSeconds, effects, log);
  const node = await cluster.patchNode(olds.nodeName, {
    ...(leaveCordoned ? {} : { unschedulable: false }),
    annotations: { [drainPhaseAnnotation]: null, [drainBlockersAnnotation]: null },
  });
  log(leaveCordoned ? `upgraded to v${version}; left cordoned as it was before` : `upgraded to v${version} and uncordoned`);
  return node;
}

/**
 * In-place changes: a Kubernetes upgrade (kubeadm's rolling worker procedure, one drain slot at a
 * time), containerd or package source changes by re-running the idempotent host steps, a re-pinned
 * host key (verified on a connection, then recorded), labels and taints through the API. Identity
 * changes never get here: the resource class makes them replacements.
 */
export async function updateWorkerNode(olds: WorkerNodeOutputs, news: WorkerNodeInputs, effects: WorkerNodeEffects): Promise<{ outs: WorkerNodeOutputs }> {
  const log = nodeLog(effects, olds.nodeName);
  const cluster = effects.connectCluster(news.cluster.kubeconfig);
  const version = await targetVersion(olds, news, cluster);
  const upgrading = version !== olds.kubernetesVersion;
  // A host key given now is a deliberate re-pin, proved on a connection below; otherwise the one
  // recorded at create must match.
  const repinned = !sameHostKey(news.connection.hostKey, olds.hostKey);
  const connection = { ...news.connection, hostKey: news.connection.hostKey ?? olds.hostKey };
  const containerd = news.containerd ?? {};
  const packages = news.packages ?? {};
  const hostChanged = !isDeepStrictEqual(containerd, olds.containerd ?? {}) || !isDeepStrictEqual(packages, olds.packages ?? {});
  let hostKey = olds.hostKey;
  let kubeletVersion = olds.kubeletVersion;

  if (hostChanged || repinned || upgrading) {
    const shell = await effects.openSession(connection, {});
    try {
      hostKey = shell.hostKey;
      if (repinned) log(`host key re-pinned: ${fingerprintOf(parseHostKey(hostKey).blob)}`);
      if (hostChanged) {
        const dropped = Object.keys(olds.containerd?.registryMirrors ?? {}).filter((registry) => !(registry in (containerd.registryMirrors ?? {})));
        await runHostSteps(
          shell,
          [
            // The node's packages stay at the version it runs: a new version is installed only by the
            // upgrade below, on a drained node.
            ...(isDeepStrictEqual(packages, olds.packages ?? {}) ? [] : [aptSourceStep(packages, olds.kubernetesVersion)]),
            ...(dropped.length > 0 ? [droppedMirrorsStep(dropped)] : []),
            ...prepareSteps({ kubernetesVersion: olds.kubernetesVersion, containerd, packages }),
          ],
          log,
        );
      }
      if (upgrading) {
        const node = await proveNodeIsOurs(cluster, { nodeName: olds.nodeName, machineId: olds.machineId, caCertHash: olds.caCertHash });
        if (!node) throw nodeGone(olds, cluster);
        const resolved = resolveDrainOptions(news.drain ?? {});
        if (!resolved.ok) throw new WorkerNodeError(`drain options are invalid: ${resolved.failures.join("; ")}`);
        // A cordon without our drain phase is someone else's: it stays after the upgrade.
        const leaveCordoned = node.unschedulable && node.annotations[drainPhaseAnnotation] === undefined;
        if (node.ready && normalizeVersion(node.kubeletVersion) === version && !node.unschedulable) {
          // An earlier up finished the upgrade but failed before recording it: nothing to drain again.
          log(`already at v${version}, Ready and schedulable`);
          kubeletVersion = node.kubeletVersion;
        } else {
          log(`upgrading from v${olds.kubernetesVersion} to v${version} in place (kubeadm's worker procedure)`);
          const upgraded = await drainWithSlot(cluster, olds.nodeName, resolved.options, effects, () =>
            upgradeDrainedNode(shell, cluster, olds, news, version, leaveCordoned, effects),
          );
          kubeletVersion = upgraded.kubeletVersion;
        }
      }
    } finally {
      await shell.close();
    }
  }

  const node = await cluster.getNode(olds.nodeName);
  if (!node) throw nodeGone(olds, cluster);
  const patch = planNodeMetadata(node, news.labels ?? {}, news.taints ?? []);
  if (patch) {
    await cluster.patchNode(olds.nodeName, patch);
    log(`labels and taints updated`);
  }
  return {
    outs: {
      ...olds,
      hostKey,
      hostKeyFingerprint: hostKey === olds.hostKey ? olds.hostKeyFingerprint : fingerprintOf(parseHostKey(hostKey).blob),
      kubernetesVersion: version,
      kubeletVersion,
      labels: { ...(news.labels ?? {}) },
      taints: [...(news.taints ?? [])],
      reset: news.reset ?? true,
      drain: { ...(news.drain ?? {}) },
      containerd: { ...containerd },
      packages: { ...packages },
      connection: { ...connection, hostKey },
      cluster: { ...news.cluster },
      joinInputs: joinInputsOf(news),
    },
  };
}

function nodeGone(olds: WorkerNodeOutputs, cluster: ClusterApi): WorkerNodeError {
  return new WorkerNodeError(
    `Node ${olds.nodeName} is no longer in the cluster (${cluster.server}): someone removed it. ` +
      "Run `pulumi refresh` to drop it from state and `pulumi up` to join the host again.",
  );
}
