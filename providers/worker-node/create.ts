import { patientCluster } from "../cluster/patient-cluster";
import { bootstrapTokenSecret, bootstrapTokenSecretName, formatBootstrapToken, newBootstrapToken } from "../cluster/bootstrap-token";
import { caCertHash, splitPemBundle } from "../cluster/ca-hash";
import { renderJoinConfiguration } from "../cluster/join-config";
import type { ClusterApi, NodeView } from "../cluster/kube-api";
import { drainingLabel, drainPhaseAnnotation, drainStateCleared } from "../drain/annotations";
import { nodeLog } from "../node-log";
import { fingerprintOf, parseHostKey } from "../host/host-key";
import { hostLogsReport } from "../host/host-logs";
import { kubeadmJoin, resetHost } from "../host/join";
import { evaluatePreflight, existingNodeProblems, parseFacts, preflightScript, type HostFacts } from "../host/preflight";
import { pinConnection } from "../host/pinned-connection";
import { prepareHost } from "../host/prepare-host";
import { HostStepError, outputTail } from "../host/run-steps";
import { SshError } from "../host/ssh-error";
import type { RemoteShell } from "../host/ssh-session";
import { clusterRuntime } from "./cluster-runtime";
import { parseDurationSeconds } from "./duration";
import type { ConnectionInputs, WorkerNodeInputs } from "./inputs";
import { planNodeMetadata } from "./node-metadata";
import { claimedByAnotherProblem, joinedByOthersProblem, registeredUnderAnotherNameProblem } from "./adopt-rules";
import { summarizeNode } from "./node-status";
import { readinessGap } from "./node-readiness";
import { notReadyMessage } from "./not-ready";
import { annotations, ownershipAnnotations, type WorkerNodeOutputs } from "./outputs";

/** The effects create needs, injected so the flow can be exercised against fakes and the lab alike. */
export interface WorkerNodeEffects {
  connectCluster(kubeconfig: string | undefined): ClusterApi;
  openSession(connection: ConnectionInputs, options: { secrets?: readonly string[] }): Promise<RemoteShell>;
  randomBytes(size: number): Buffer;
  now(): Date;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
}

export const defaultJoinTimeoutSeconds = 600;
export const bootstrapTokenTtlSeconds = 15 * 60;
const criSocket = "unix:///run/containerd/containerd.sock";

export class WorkerNodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WorkerNodeError";
  }
}

/** host:port of the API server a host should dial: given, else kubeadm's controlPlaneEndpoint, else the kubeconfig's. */
export async function resolveApiServerEndpoint(cluster: ClusterApi, given: string | undefined): Promise<string> {
  if (given) return given;
  const fromKubeadm = await cluster.kubeadmControlPlaneEndpoint().catch(() => undefined);
  if (fromKubeadm) return fromKubeadm.includes(":") ? fromKubeadm : `${fromKubeadm}:6443`;
  const url = new URL(cluster.server);
  return `${url.hostname.includes(":") ? `[${url.hostname}]` : url.hostname}:${url.port || "443"}`;
}

/**
 * The CA hash to pin, taken from cluster-info (what the host will discover) and, when the
 * kubeconfig names a CA, checked against it: a cluster-info that another CA signed is refused.
 * Over a connection that verified nothing (insecure-skip-tls-verify) cluster-info could come from
 * anyone in the middle, and the host would trust them: refused.
 */
export async function resolveCaCertHash(cluster: ClusterApi): Promise<string> {
  if (cluster.verifiesServer === false) {
    throw new WorkerNodeError(
      `the kubeconfig for ${cluster.server} sets insecure-skip-tls-verify: refusing to pin the CA that kube-public/cluster-info publishes over a connection that verified nothing. ` +
        "Set the cluster's certificate-authority-data (the CA in /etc/kubernetes/admin.conf on a control-plane host) and remove insecure-skip-tls-verify.",
    );
  }
  const published = splitPemBundle(await cluster.clusterInfoCaPem()).map(caCertHash);
  if (published.length === 0) throw new WorkerNodeError(`cluster-info of ${cluster.server} holds no CA certificate`);
  if (cluster.caPem) {
    const trusted = splitPemBundle(cluster.caPem).map(caCertHash);
    if (!published.some((hash) => trusted.includes(hash))) {
      throw new WorkerNodeError(
        `kube-public/cluster-info of ${cluster.server} publishes CA ${published.join(", ")}, but the kubeconfig trusts ${trusted.join(", ")}: ` +
          "refusing to pin a CA the kubeconfig does not trust. Check that the kubeconfig and cluster.apiServerEndpoint name the same cluster.",
      );
    }
  }
  return published[0];
}

/**
 * Waits until the Node takes pods (Ready, node lifecycle taints lifted), at most until `deadline`
 * (joinTimeout after the join began). On timeout the error carries the Node's conditions and the
 * host's kubelet and containerd log lines.
 */
async function waitForReadyNode(
  cluster: ClusterApi,
  name: string,
  wait: { deadline: number; timeoutSeconds: number },
  shell: RemoteShell,
  effects: WorkerNodeEffects,
  log: (l: string) => void,
): Promise<NodeView> {
  let lastReport = 0;
  let last: NodeView | undefined;
  for (;;) {
    last = await cluster.getNode(name);
    const gap = last && readinessGap(last);
    if (last && !gap) return last;
    const now = effects.now().getTime();
    if (now >= wait.deadline) {
      throw new WorkerNodeError(notReadyMessage(name, last, wait.timeoutSeconds, await hostLogsReport(shell)));
    }
    if (now - lastReport >= 15_000) {
      log(gap ? `waiting for the Node to take pods (${gap})` : "waiting for the Node to register");
      lastReport = now;
    }
    await effects.sleep(2000);
  }
}

/** A Node is this host's when it carries this host's machine-id (ours by annotation, or the kubelet's). */
function ourNode(node: NodeView, facts: HostFacts): boolean {
  const id = facts.machine_id;
  return !!id && (node.annotations[annotations.machineId] === id || node.machineId === id);
}

/** Resets the host on the session at hand, or on a new one when that session is what failed. */
async function resetForRollback(shell: RemoteShell, connection: ConnectionInputs, effects: WorkerNodeEffects): Promise<void> {
  try {
    await resetHost(shell);
  } catch (error) {
    if (!(error instanceof SshError)) throw error;
    const fresh = await effects.openSession(pinConnection(connection, shell), {});
    try {
      await resetHost(fresh);
    } finally {
      await fresh.close();
    }
  }
}

/** What the state records for a node that is in the cluster now, joined or adopted. */
export function joinedNodeOutputs(
  inputs: WorkerNodeInputs,
  joined: { nodeName: string; shell: RemoteShell; apiServerEndpoint: string; caCertHash: string; kubernetesVersion: string; machineId: string; node: NodeView },
): WorkerNodeOutputs {
  const { node, shell } = joined;
  return {
    nodeName: joined.nodeName,
    host: inputs.connection.host,
    port: inputs.connection.port ?? 22,
    user: inputs.connection.user ?? "root",
    hostKey: shell.hostKey,
    hostKeyFingerprint: fingerprintOf(parseHostKey(shell.hostKey).blob),
    apiServerEndpoint: joined.apiServerEndpoint,
    caCertHash: joined.caCertHash,
    kubernetesVersion: joined.kubernetesVersion,
    kubeletVersion: node.kubeletVersion,
    containerdVersion: node.containerRuntimeVersion,
    machineId: joined.machineId,
    labels: { ...(inputs.labels ?? {}) },
    taints: [...(inputs.taints ?? [])],
    reset: inputs.reset ?? true,
    drain: { ...(inputs.drain ?? {}) },
    containerd: { ...(inputs.containerd ?? {}) },
    packages: { ...(inputs.packages ?? {}) },
    // Later connections (update, delete) must meet the same host key.
    connection: pinConnection(inputs.connection, shell),
    cluster: { ...inputs.cluster },
    ...(inputs.owner ? { owner: inputs.owner } : {}),
    nodeStatus: summarizeNode(node),
  };
}

/**
 * Scale out: joins the host and returns only once its Node is Ready with its labels and taints.
 * On any failure the host is reset, the token deleted and a Node we registered removed, so a
 * failed create leaves nothing half-joined (Pulumi then records no resource).
 */
export async function createWorkerNode(inputs: WorkerNodeInputs, effects: WorkerNodeEffects): Promise<{ id: string; outs: WorkerNodeOutputs }> {
  let log = nodeLog(effects, inputs.nodeName ?? inputs.connection.host);
  // A join rides through a short API outage (a restarted API server or etcd) instead of failing on it.
  const cluster = patientCluster(effects.connectCluster(inputs.cluster.kubeconfig), effects, (line) => log(line));
  const joinTimeout = inputs.joinTimeout === undefined ? defaultJoinTimeoutSeconds : (parseDurationSeconds(inputs.joinTimeout) as number);
  const [serverVersion, apiServerEndpoint, caHash, runtime] = await Promise.all([
    inputs.kubernetesVersion ? Promise.resolve(inputs.kubernetesVersion) : cluster.serverVersion(),
    resolveApiServerEndpoint(cluster, inputs.cluster.apiServerEndpoint),
    resolveCaCertHash(cluster),
    clusterRuntime(cluster),
  ]);
  const kubernetesVersion = serverVersion.replace(/^v/, "").replace(/[-+].*$/, "");
  const token = newBootstrapToken((size) => effects.randomBytes(size));
  const tokenText = formatBootstrapToken(token);

  const shell = await effects.openSession(inputs.connection, { secrets: [tokenText, token.secret] });
  const hostKeyFingerprint = fingerprintOf(parseHostKey(shell.hostKey).blob);
  log(`connected to ${shell.address}, host key ${hostKeyFingerprint}${inputs.connection.hostKey ? " (pinned)" : " (recorded on first use)"}`);

  let tokenCreated = false;
  let joinStarted = false;
  let nodeName = inputs.nodeName ?? "";
  let nodeExistedBefore = true;
  let hostMachineId = "";
  try {
    const factsResult = await shell.runScript(preflightScript, { timeoutSeconds: 60 });
    if (factsResult.code !== 0) throw new WorkerNodeError(`host ${shell.address}: preflight could not gather facts:${outputTail(factsResult)}`);
    const facts = parseFacts(factsResult.stdout);
    nodeName = inputs.nodeName ?? facts.hostname ?? "";
    log = nodeLog(effects, nodeName);
    const problems = evaluatePreflight(facts, {
      ...(inputs.nodeName ? { nodeName: inputs.nodeName } : {}),
      apiServerEndpoint,
      caCertHash: caHash,
      kubernetesVersion,
      cgroupDriver: runtime.cgroupDriver,
      containerdUpgrade: inputs.containerd?.upgrade === true,
      ...(inputs.containerd?.package ? { containerdPackage: inputs.containerd.package } : {}),
    });
    const existing = await cluster.getNode(nodeName);
    nodeExistedBefore = existing !== undefined;
    hostMachineId = facts.machine_id ?? "";
    problems.push(
      ...existingNodeProblems(existing && { name: nodeName, labels: existing.labels, machineId: existing.machineId, thisHost: ourNode(existing, facts) }, facts),
    );
    const joinedByOthers = joinedByOthersProblem(nodeName, existing, facts);
    if (joinedByOthers && ourNode(existing as NodeView, facts)) problems.push(joinedByOthers);
    // Another resource's Node is never joined over or re-annotated: both would then own it.
    const claimed = claimedByAnotherProblem({ nodeName, host: inputs.connection.host, node: existing, ...(inputs.owner ? { owner: inputs.owner } : {}) });
    if (claimed) problems.push(claimed);
    // Join state of this cluster and no Node of this name: stale (reset below) only if no Node of
    // another name is this machine; one that is, is someone's running worker.
    if (!existing && facts.kubelet_conf === "yes" && facts.machine_id) {
      const registered = await cluster.findNodeByMachineId(facts.machine_id);
      const elsewhere = registeredUnderAnotherNameProblem({ nodeName, host: inputs.connection.host, registered, facts, ...(inputs.owner ? { owner: inputs.owner } : {}) });
      if (elsewhere) problems.push(elsewhere);
    }
    if (problems.length > 0) {
      throw new WorkerNodeError(`preflight of host ${shell.address} (node ${nodeName}) failed; nothing was changed on it:\n  - ${problems.join("\n  - ")}`);
    }
    log(`preflight passed (${facts.os_id} ${facts.os_version}, ${facts.arch})`);

    if (!existing && facts.kubelet_conf === "yes") {
      // Joined to this cluster before (preflight checked the server) but its Node is gone: what is
      // left on the host is stale and would make kubeadm join refuse. Reset before the host steps:
      // the reset removes /etc/cni/net.d, which stops containerd 2, and those steps start it again.
      log("stale join state of this cluster on the host and no Node for it: resetting before joining");
      await resetHost(shell);
    }
    await prepareHost(shell, { kubernetesVersion, containerd: inputs.containerd ?? {}, packages: inputs.packages ?? {}, ...runtime }, log);

    // joinTimeout covers the join and the wait for Ready together, as documented.
    let readyWait = { deadline: effects.now().getTime() + joinTimeout * 1000, timeoutSeconds: joinTimeout };
    if (existing && facts.kubelet_conf === "yes") {
      log("already joined: kubelet.conf present and the Node is this host's");
    } else {
      const secret = bootstrapTokenSecret(token, {
        expires: new Date(effects.now().getTime() + bootstrapTokenTtlSeconds * 1000),
        description: `kubeadm-workers join of ${nodeName}`,
      });
      await cluster.createSecret(secret);
      tokenCreated = true;
      log(`joining through ${apiServerEndpoint} (CA pinned ${caHash.slice(0, 19)}…)`);
      joinStarted = true;
      readyWait = { deadline: effects.now().getTime() + joinTimeout * 1000, timeoutSeconds: joinTimeout };
      await kubeadmJoin(
        shell,
        renderJoinConfiguration({
          apiServerEndpoint,
          token: tokenText,
          caCertHashes: [caHash],
          nodeName,
          criSocket,
          taints: inputs.taints ?? [],
          timeoutSeconds: joinTimeout,
          ignorePreflightErrors: inputs.kubeadm?.ignorePreflightErrors ?? [],
        }),
        joinTimeout,
      ).catch(async (error: unknown) => {
        // kubeadm's own output rarely says why the kubelet never came up; its log and the runtime's do.
        if (!(error instanceof HostStepError)) throw error;
        throw new HostStepError(`${error.message}\n${await hostLogsReport(shell)}`, error.step);
      });
    }

    let node = await waitForReadyNode(cluster, nodeName, readyWait, shell, effects, log);
    const patch = planNodeMetadata(node, inputs.labels ?? {}, inputs.taints ?? []);
    // A node we cordoned for a drain that never finished is a worker again; a cordon someone else
    // set (no drain phase of ours on it) is theirs to lift.
    const leftCordonedByUs = node.unschedulable && node.annotations[drainPhaseAnnotation] !== undefined;
    if (leftCordonedByUs) log("uncordoned: it was left cordoned by an unfinished drain");
    node = await cluster.patchNode(nodeName, {
      ...patch,
      ...(leftCordonedByUs ? { unschedulable: false } : {}),
      ...(node.labels[drainingLabel] !== undefined ? { labels: { ...(patch?.labels ?? {}), [drainingLabel]: null } } : {}),
      annotations: {
        ...(patch?.annotations ?? {}),
        ...(node.annotations[drainPhaseAnnotation] !== undefined ? drainStateCleared : {}),
        [annotations.machineId]: facts.machine_id ?? "",
        ...ownershipAnnotations(inputs, apiServerEndpoint),
      },
    });
    log(`Ready (kubelet ${node.kubeletVersion}, ${node.containerRuntimeVersion})`);

    return { id: nodeName, outs: joinedNodeOutputs(inputs, { nodeName, shell, apiServerEndpoint, caCertHash: caHash, kubernetesVersion, machineId: facts.machine_id ?? "", node }) };
  } catch (error) {
    const undone: string[] = [];
    if (joinStarted) {
      try {
        await resetForRollback(shell, inputs.connection, effects);
        undone.push("host reset (kubeadm reset -f)");
      } catch (resetError) {
        undone.push(`host NOT reset (${(resetError as Error).message}); run "kubeadm reset -f" on it`);
      }
      // Only a Node this create registered: absent before the join, and reporting this host's machine-id.
      const registered = nodeExistedBefore ? undefined : await cluster.getNode(nodeName).catch(() => undefined);
      if (registered && hostMachineId && registered.machineId === hostMachineId) {
        await cluster.deleteNode(nodeName).then(
          () => undone.push(`Node ${nodeName} removed`),
          (e: Error) => undone.push(`Node ${nodeName} NOT removed (${e.message})`),
        );
      }
    }
    throw new WorkerNodeError(`create of worker ${nodeName || inputs.connection.host} on ${shell.address} failed: ${(error as Error).message}${undone.length ? `\nundone: ${undone.join("; ")}` : ""}`, { cause: error });
  } finally {
    if (tokenCreated) {
      await cluster.deleteSecret("kube-system", bootstrapTokenSecretName(token.id)).catch((e: Error) => log(`warning: bootstrap token ${token.id} not deleted (${e.message}); it expires within 15 minutes`));
    }
    await shell.close();
  }
}
