// kubeadm's worker upgrade ("Upgrading Linux nodes"), run by update when kubernetesVersion changes.
import type { ClusterApi, NodeView } from "../cluster/kube-api";
import { drainPhaseAnnotation, drainStateCleared } from "../drain/annotations";
import { drainWithSlot, type SlotCheck } from "../drain/drain-with-slot";
import { formatSeconds } from "../drain/duration";
import { resolveDrainOptions } from "../drain/options";
import { outputTail, runHostSteps } from "../host/run-steps";
import type { RemoteShell } from "../host/ssh-session";
import { restartKubeletScript, upgradeSteps } from "../host/upgrade-steps";
import { nodeLog } from "../node-log";
import { defaultJoinTimeoutSeconds, WorkerNodeError, type WorkerNodeEffects } from "./create";
import { parseDurationSeconds } from "./duration";
import type { WorkerNodeInputs } from "./inputs";
import type { WorkerNodeOutputs } from "./outputs";
import { proveNodeIsOurs } from "./ownership";
import { readinessGap } from "./node-readiness";
import { containerdSupportProblem } from "./runtime-support";
import { formatVersion, normalizeVersion, parseKubernetesVersion, parseServerVersion, skewProblem, versionChangeProblem } from "./version";

/**
 * The release the node should run after this update, refused (before anything is touched) when the
 * change is a downgrade, skips a minor, or breaks the skew policy against the control plane as it
 * is now. Preview checked the same; the cluster may have changed since.
 */
export async function targetVersion(olds: WorkerNodeOutputs, news: WorkerNodeInputs, cluster: ClusterApi): Promise<string> {
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

/**
 * Refuses, before the host is contacted or the node drained, an upgrade to a release the container
 * runtime the Node reports now does not support (containerd 1.x for Kubernetes >= 1.36). Preview
 * refused it from the version recorded at the last up; the Node tells what runs today.
 */
export function refuseUnsupportedRuntime(olds: WorkerNodeOutputs, node: NodeView, version: string): void {
  const to = parseKubernetesVersion(version);
  const problem = to && containerdSupportProblem(node.containerRuntimeVersion, to);
  if (problem) throw new WorkerNodeError(`node ${olds.nodeName}: kubernetesVersion ${version} refused: ${problem}. Nothing was changed.`);
}

/** Polls until the Node takes pods (Ready, lifecycle taints lifted) and its kubelet reports `version`; fails after `timeoutSeconds` saying what it lacked. */
async function waitForKubeletVersion(cluster: ClusterApi, name: string, version: string, timeoutSeconds: number, effects: WorkerNodeEffects, log: (l: string) => void): Promise<NodeView> {
  const deadline = effects.now().getTime() + timeoutSeconds * 1000;
  let lastReport = effects.now().getTime();
  for (;;) {
    const node = await cluster.getNode(name);
    const reported = node ? normalizeVersion(node.kubeletVersion) : undefined;
    const gap = node && readinessGap(node);
    if (node && !gap && reported === version) return node;
    const now = effects.now().getTime();
    const state = node ? `${gap ?? `Ready: ${node.readyDetail}`}, kubelet ${node.kubeletVersion || "not reported"}` : "the Node is gone";
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
async function upgradeDrainedNode(
  shell: RemoteShell,
  cluster: ClusterApi,
  slot: SlotCheck,
  olds: WorkerNodeOutputs,
  news: WorkerNodeInputs,
  version: string,
  leaveCordoned: boolean,
  effects: WorkerNodeEffects,
): Promise<NodeView> {
  const log = nodeLog(effects, olds.nodeName);
  const waitSeconds = news.joinTimeout === undefined ? defaultJoinTimeoutSeconds : (parseDurationSeconds(news.joinTimeout) as number);
  await runHostSteps(shell, upgradeSteps({ kubernetesVersion: version, packages: news.packages ?? {}, ignorePreflightErrors: news.kubeadm?.ignorePreflightErrors ?? [] }), log);
  const restarted = await shell.runScript(restartKubeletScript, { timeoutSeconds: 120 });
  if (restarted.code !== 0) throw new WorkerNodeError(`host ${shell.address}: restarting the kubelet failed:${outputTail(restarted)}`);
  log(`kubelet restarted, waiting for Ready at v${version}`);
  await waitForKubeletVersion(cluster, olds.nodeName, version, waitSeconds, effects, log);
  // Uncordoning ends this node's turn: only with the slot still ours (lost, another drain may have
  // cordoned a node meanwhile; a re-run takes a slot again and finds the node already upgraded).
  await slot.stillHeld("the uncordon");
  const node = await cluster.patchNode(olds.nodeName, {
    ...(leaveCordoned ? {} : { unschedulable: false }),
    annotations: { ...drainStateCleared },
  });
  log(leaveCordoned ? `upgraded to v${version}; left cordoned as it was before` : `upgraded to v${version} and uncordoned`);
  return node;
}

/**
 * Upgrades the node to `version` in place: proves the cluster and the Node are the ones joined,
 * then, holding a drain slot, cordons and drains it and runs the upgrade. A node an earlier `up`
 * already upgraded (Ready at the version, schedulable) is not drained again.
 */
export async function upgradeNode(shell: RemoteShell, cluster: ClusterApi, olds: WorkerNodeOutputs, news: WorkerNodeInputs, version: string, effects: WorkerNodeEffects): Promise<NodeView> {
  const log = nodeLog(effects, olds.nodeName);
  const node = await proveNodeIsOurs(cluster, { nodeName: olds.nodeName, machineId: olds.machineId, caCertHash: olds.caCertHash, adopted: olds.adopted === true });
  if (!node) throw nodeGone(olds, cluster);
  const resolved = resolveDrainOptions(news.drain ?? {});
  if (!resolved.ok) throw new WorkerNodeError(`drain options are invalid: ${resolved.failures.join("; ")}`);
  if (node.ready && normalizeVersion(node.kubeletVersion) === version && !node.unschedulable) {
    log(`already at v${version}, Ready and schedulable`);
    return node;
  }
  // A cordon without our drain phase is someone else's: it stays after the upgrade.
  const leaveCordoned = node.unschedulable && node.annotations[drainPhaseAnnotation] === undefined;
  log(`upgrading from v${olds.kubernetesVersion} to v${version} in place (kubeadm's worker procedure)`);
  return drainWithSlot(cluster, olds.nodeName, resolved.options, effects, "upgrade", (steady, slot) => upgradeDrainedNode(shell, steady, slot, olds, news, version, leaveCordoned, effects));
}

export function nodeGone(olds: WorkerNodeOutputs, cluster: ClusterApi): WorkerNodeError {
  // Refresh runs the provider stored with the node; one stored before refresh existed (it records
  // no givenInputs either) returns the state unchanged, so only removing the resource helps there.
  const drop = olds.givenInputs
    ? "Run `pulumi refresh` (it drops the node from the state)"
    : "Its state predates refresh support (a refresh would keep it): drop it with `pulumi state delete <urn>` (`pulumi stack --show-urns` lists them)";
  return new WorkerNodeError(`Node ${olds.nodeName} is no longer in the cluster (${cluster.server}): someone removed it. ${drop}, then run \`pulumi up\` to join the host again.`);
}
