import { patientCluster } from "../cluster/patient-cluster";
import { isDeepStrictEqual } from "node:util";
import { aptSourceStep } from "../host/apt-source";
import { containerdAptSource, needsContainerd2, type HostOs } from "../host/containerd";
import { droppedMirrorsStep } from "../host/converge-steps";
import { fingerprintOf, parseHostKey } from "../host/host-key";
import { pinConnection, recordedBastionKeyFor, withBastionKeyMet, withRecordedHostKeys, type PresentedHostKeys } from "../host/pinned-connection";
import { prepareHost } from "../host/prepare-host";
import type { HostStep } from "../host/prepare-steps";
import { aptSourceStepOf } from "../host/shell-files";
import { nodeLog } from "../node-log";
import { clusterRuntime } from "./cluster-runtime";
import type { WorkerNodeEffects } from "./create";
import { sameHostKey } from "./diff";
import { givenInputsOf } from "./given-inputs";
import type { ContainerdInputs, WorkerNodeInputs } from "./inputs";
import { summarizeNode } from "./node-status";
import { planNodeMetadata } from "./node-metadata";
import { annotations, ownershipAnnotations, type WorkerNodeOutputs } from "./outputs";
import { proveNodeIsOurs, refuseAnotherOwnersNode } from "./ownership";
import { uncordonIfAbandoned } from "../drain/abandoned";
import { nodeGone, refuseUnsupportedRuntime, targetVersion, upgradeNode } from "./upgrade";

/** containerd's apt source (used from Kubernetes 1.36: older releases keep the distribution's containerd). */
function containerdSourceChanged(recorded: ContainerdInputs, wanted: ContainerdInputs): boolean {
  return recorded.aptRepository !== wanted.aptRepository || recorded.aptDistribution !== wanted.aptDistribution || recorded.aptKey !== wanted.aptKey;
}

/** The join-only inputs as given, for the next diff (see diff.ts). */
export function joinInputsOf(inputs: WorkerNodeInputs): NonNullable<WorkerNodeOutputs["joinInputs"]> {
  return {
    ...(inputs.nodeName !== undefined ? { nodeName: inputs.nodeName } : {}),
    ...(inputs.joinTimeout !== undefined ? { joinTimeout: inputs.joinTimeout } : {}),
    ...(inputs.kubeadm !== undefined ? { kubeadm: inputs.kubeadm } : {}),
  };
}

/**
 * In-place changes: a Kubernetes upgrade (kubeadm's rolling worker procedure, one drain slot at a
 * time), containerd or package source changes by re-running the idempotent host steps, a re-pinned
 * host key (verified on a connection, then recorded), labels and taints through the API. Identity
 * changes never get here: the resource class makes them replacements. `met`: the keys the pre-update
 * host key check met (operations.ts), which a bastion met there for the first time must present again.
 */
export async function updateWorkerNode(olds: WorkerNodeOutputs, news: WorkerNodeInputs, effects: WorkerNodeEffects, met?: PresentedHostKeys): Promise<{ outs: WorkerNodeOutputs }> {
  const log = nodeLog(effects, olds.nodeName);
  const cluster = patientCluster(effects.connectCluster(news.cluster.kubeconfig), effects, log);
  // Before the host or any Node is touched: the kubeconfig given now must reach the cluster the node
  // joined, and its Node must be this machine (a Node of the same name elsewhere is not ours). A Node
  // its kubelet registered again has no annotation of ours yet (it is restored below), so here, as
  // for an adopted node, its machineID decides; drain and delete still want both.
  let node = await proveNodeIsOurs(cluster, { ...olds, adopted: true });
  if (!node) throw nodeGone(olds, cluster);
  refuseAnotherOwnersNode(olds, node, "update");
  const version = await targetVersion(olds, news, cluster);
  const upgrading = version !== olds.kubernetesVersion;
  if (upgrading) refuseUnsupportedRuntime(olds, node, version);
  // A host key given now is a deliberate re-pin, proved on a connection below; otherwise the one
  // recorded at create (the bastion's too) must match.
  const repinned = !sameHostKey(news.connection.hostKey, olds.hostKey);
  const recorded = { ...olds.connection, hostKey: olds.hostKey };
  const recordedBastionKey = recordedBastionKeyFor(news.connection, recorded);
  // A bastion added, moved or pinned to another key now is met on a connection below, and the key
  // it presents is recorded as create records it (pinned if given, else trusted on first use):
  // otherwise every later connection would trust whatever answers at that address.
  const newBastion = news.connection.proxy !== undefined && (recordedBastionKey === undefined || !sameHostKey(news.connection.proxy.hostKey, recordedBastionKey));
  const connection = withBastionKeyMet(withRecordedHostKeys(news.connection, recorded), met?.bastionHostKey);
  const containerd = news.containerd ?? {};
  const packages = news.packages ?? {};
  const hostChanged = !isDeepStrictEqual(containerd, olds.containerd ?? {}) || !isDeepStrictEqual(packages, olds.packages ?? {});
  // What the outputs record for each hop: the key lines this update's connection met, else those recorded.
  let keys: PresentedHostKeys = { hostKey: olds.hostKey, ...(recordedBastionKey !== undefined ? { bastionHostKey: recordedBastionKey } : {}) };

  if (hostChanged || repinned || upgrading || newBastion) {
    const shell = await effects.openSession(connection, {});
    try {
      keys = shell;
      const { hostKey } = shell;
      if (repinned) log(`host key re-pinned: ${fingerprintOf(parseHostKey(hostKey).blob)}`);
      if (hostChanged) {
        const dropped = Object.keys(olds.containerd?.registryMirrors ?? {}).filter((registry) => !(registry in (containerd.registryMirrors ?? {})));
        // The node's packages stay at the version it runs: a new version is installed only by the
        // upgrade below, on a drained node. A changed source is written even so (the install steps
        // have nothing to do on a host that has the packages), its old one and key replaced.
        const converge = (os: HostOs): HostStep[] => [
          ...(isDeepStrictEqual(packages, olds.packages ?? {}) ? [] : [aptSourceStep(packages, olds.kubernetesVersion)]),
          ...(containerdSourceChanged(olds.containerd ?? {}, containerd) && needsContainerd2(olds.kubernetesVersion) ? [aptSourceStepOf(containerdAptSource(containerd, os))] : []),
          ...(dropped.length > 0 ? [droppedMirrorsStep(dropped)] : []),
        ];
        await prepareHost(shell, { kubernetesVersion: olds.kubernetesVersion, containerd, packages, ...(await clusterRuntime(cluster)) }, log, converge);
      }
      // (the Node as the upgrade left it: uncordoned, at the new kubelet version)
      if (upgrading) node = await upgradeNode(shell, cluster, olds, news, version, effects);
    } finally {
      await shell.close();
    }
  }

  const patch = planNodeMetadata(node, news.labels ?? {}, news.taints ?? [], olds);
  if (patch) {
    await cluster.patchNode(olds.nodeName, patch);
    log(`labels and taints updated`);
  }
  // A Node its kubelet registered again after a delete lost our machine-id annotation: it is this
  // machine (the kubelet says so), and delete needs the annotation to prove it. Adopted nodes never had one.
  const sameMachine = !olds.adopted && !!olds.machineId && node.machineId === olds.machineId;
  const ownership = { ...ownershipAnnotations(news, olds.adopted ? undefined : olds.apiServerEndpoint), ...(sameMachine ? { [annotations.machineId]: olds.machineId } : {}) };
  if (Object.entries(ownership).some(([key, value]) => node.annotations[key] !== value)) {
    await cluster.patchNode(olds.nodeName, { annotations: ownership });
  }
  // The entry is back after a scale-in that did not finish: the node is a worker again.
  await uncordonIfAbandoned(cluster, olds.nodeName, log);
  // What a refresh found drifted is what this update restored.
  const { drift: _restored, ...kept } = olds;
  const { hostKey } = keys;
  return {
    outs: {
      ...kept,
      hostKey,
      hostKeyFingerprint: hostKey === olds.hostKey ? olds.hostKeyFingerprint : fingerprintOf(parseHostKey(hostKey).blob),
      kubernetesVersion: version,
      kubeletVersion: upgrading ? node.kubeletVersion : olds.kubeletVersion,
      labels: { ...(news.labels ?? {}) },
      taints: [...(news.taints ?? [])],
      reset: news.reset ?? true,
      drain: { ...(news.drain ?? {}) },
      containerd: { ...containerd },
      packages: { ...packages },
      connection: pinConnection(connection, keys),
      cluster: { ...news.cluster },
      joinInputs: joinInputsOf(news),
      givenInputs: givenInputsOf(news),
      nodeStatus: summarizeNode(node),
      ...(news.owner ? { owner: news.owner } : {}),
    },
  };
}
