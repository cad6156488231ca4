import type { ClusterApi, EvictionOutcome } from "../cluster/kube-api";
import { drainAnnotations, type DrainPhase } from "./annotations";
import { describeBlockedPods } from "./blockers";
import { checkCapacity } from "./capacity";
import { planDrain } from "./classify";
import type { DrainOptions } from "./options";
import { formatDrainProgress, formatDrainTimeout, type PendingPod, type StillBlocking, type UnreadyOwner } from "./progress";
import { isFinished, refOf, type DrainPod, type ObjectRef } from "./types";
import { nodeLog } from "../node-log";

export interface DrainEffects {
  now(): Date;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
}

export class DrainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DrainError";
  }
}

/** Longest pause between two eviction attempts of a pod when no PDB watch can tell us sooner. */
const maxRetryDelayMs = 10_000;
const minRetryDelayMs = 250;
const progressEveryMs = 5_000;

interface PodState {
  readonly pod: DrainPod;
  done: boolean;
  blockedBy?: StillBlocking;
  pdb?: ObjectRef;
}

async function setPhase(cluster: ClusterApi, node: string, phase: DrainPhase, blockers: readonly string[]): Promise<void> {
  await cluster.patchNode(node, { annotations: drainAnnotations(phase, blockers) });
}

function retryable(outcome: Extract<EvictionOutcome, { kind: "error" }>): boolean {
  // Network trouble and server errors pass; a refusal (403 in a terminating namespace is the one kubectl retries) may too.
  return outcome.status === undefined || outcome.status >= 500 || outcome.status === 403;
}

/**
 * Drains a cordoned node: plan (refusing, before any eviction, on blockers or lack of capacity),
 * evict everything at once through the Eviction API, retry PDB refusals as soon as the PDB allows
 * (watched, not slept on), wait until the pods are gone (UID-aware) and their owners are Ready
 * again elsewhere. Phase and blockers are written on the Node as it goes.
 */
export async function drainNode(
  cluster: ClusterApi,
  node: string,
  options: DrainOptions,
  effects: DrainEffects,
  departingNodes: ReadonlySet<string> = new Set(),
): Promise<void> {
  const log = nodeLog(effects, node);
  const deadline = effects.now().getTime() + options.timeoutSeconds * 1000;
  const remaining = (): number => deadline - effects.now().getTime();

  const [pods, terminatingNamespaces] = await Promise.all([cluster.listPodsOnNode(node), cluster.terminatingNamespaces()]);
  // Every DaemonSet pod of the node names its DaemonSet; each one is read once.
  const daemonSets = new Map<string, ObjectRef>();
  for (const pod of pods) {
    const owner = pod.ownerReferences?.find((o) => o.controller && o.kind === "DaemonSet");
    if (owner) daemonSets.set(`${pod.namespace}/${owner.name}`, { namespace: pod.namespace, name: owner.name });
  }
  const existingDaemonSets = new Set<string>();
  for (const [key, ref] of daemonSets) {
    if (await cluster.daemonSetExists(ref.namespace, ref.name)) existingDaemonSets.add(key);
  }
  const plan = planDrain(pods, { node, existingDaemonSets, terminatingNamespaces, now: effects.now() }, options);
  for (const warning of plan.warnings) log(`warning: ${warning}`);
  if (plan.blockingError) {
    await setPhase(cluster, node, "blocked", describeBlockedPods(plan.decisions));
    throw new DrainError(`${plan.blockingError}\nNothing was evicted; the node stays cordoned.`);
  }

  const movers = plan.toEvict.filter((p) => !isFinished(p));
  if (options.checkCapacity && movers.length > 0) {
    const remainingNodes = await cluster.listNodesWithPods(new Set([node, ...departingNodes]));
    const capacity = checkCapacity(movers, remainingNodes);
    if (!capacity.fits) {
      await setPhase(cluster, node, "blocked", capacity.unplaced.map((u) => refOf(u.pod)));
      throw new DrainError(
        `cannot drain node ${node}: its pods would not fit on the nodes that remain, so nothing was evicted:\n${capacity.message}\n` +
          "Add capacity first, or set drain.checkCapacity: false if you know better than this estimate.",
      );
    }
  }

  await setPhase(cluster, node, "evicting", []);
  const states: PodState[] = plan.toEvict.map((pod) => ({ pod, done: false }));
  const pdbWaits = new Map<string, Promise<void>>();
  let lastProgress = "";
  let lastProgressAt = 0;
  const reportProgress = (force = false): void => {
    const waiting = new Map<string, { pdb: ObjectRef; pods: number }>();
    for (const s of states) {
      if (s.done || !s.pdb) continue;
      const key = refOf(s.pdb);
      waiting.set(key, { pdb: s.pdb, pods: (waiting.get(key)?.pods ?? 0) + 1 });
    }
    const line = formatDrainProgress({ node, evictedPods: states.filter((s) => s.done).length, totalPods: states.length, waitingOnPdb: [...waiting.values()] });
    const now = effects.now().getTime();
    if (line !== lastProgress && (force || now - lastProgressAt >= progressEveryMs)) {
      effects.log(line);
      lastProgress = line;
      lastProgressAt = now;
    }
  };

  const waitForPdb = (pdb: ObjectRef, ms: number): Promise<void> => {
    // Pods behind one PDB share one watch instead of opening one each.
    const key = refOf(pdb);
    let wait = pdbWaits.get(key);
    if (!wait) {
      wait = cluster.waitForPdbToAllow(pdb.namespace, pdb.name, ms).finally(() => pdbWaits.delete(key));
      pdbWaits.set(key, wait);
    }
    return wait;
  };

  const evictOne = async (state: PodState): Promise<void> => {
    let delay = 500;
    while (remaining() > 0) {
      const outcome = options.disableEviction
        ? await cluster.deletePod(state.pod, options.gracePeriodSeconds)
        : await cluster.evictPod(state.pod, options.gracePeriodSeconds);
      if (outcome.kind === "evicted" || outcome.kind === "gone") {
        state.done = true;
        delete state.pdb;
        delete state.blockedBy;
        reportProgress();
        return;
      }
      if (outcome.kind === "pdb") {
        state.pdb = outcome.pdb ? { namespace: state.pod.namespace, name: outcome.pdb } : undefined;
        state.blockedBy = { kind: "error", message: outcome.message };
        reportProgress();
        const wait = Math.min(maxRetryDelayMs, remaining());
        // The watch answers as soon as the PDB allows a disruption; the floor keeps a PDB whose
        // status lags the eviction check (still being processed) from turning this into a busy loop.
        if (state.pdb) await Promise.all([waitForPdb(state.pdb, wait), effects.sleep(Math.min(minRetryDelayMs, wait))]);
        else await effects.sleep(Math.min(delay, wait));
      } else {
        state.blockedBy = { kind: "error", message: outcome.message };
        if (!retryable(outcome)) return;
        await effects.sleep(Math.min(delay, Math.max(remaining(), 0)));
      }
      delay = Math.min(delay * 2, maxRetryDelayMs);
    }
  };

  const fail = async (pending: PendingPod[], unreadyOwners: UnreadyOwner[] = []): Promise<never> => {
    const message = formatDrainTimeout({ node, timeoutSeconds: options.timeoutSeconds, pending, unreadyOwners });
    await setPhase(cluster, node, "timed-out", [
      ...pending.map((p) => refOf(p.pod)),
      ...unreadyOwners.map((o) => `${o.kind} ${refOf(o)} ${o.readyReplicas}/${o.desiredReplicas} ready`),
    ]).catch(() => undefined);
    throw new DrainError(message);
  };

  reportProgress(true);
  await Promise.all(states.map(evictOne));
  reportProgress(true);
  const notEvicted = states.filter((s) => !s.done);
  if (notEvicted.length > 0) {
    const pending: PendingPod[] = [];
    for (const s of notEvicted) {
      const pdb = s.pdb ? await cluster.readPdb(s.pdb.namespace, s.pdb.name) : undefined;
      pending.push({ pod: s.pod, blockedBy: pdb ? { kind: "pdb", pdb } : (s.blockedBy ?? { kind: "error", message: "not evicted" }) });
    }
    if (remaining() > 0) {
      // Stopped early on an error that retrying cannot fix.
      throw new DrainError(`drain of ${node} stopped: ${pending.map((p) => `${refOf(p.pod)}: ${p.blockedBy.kind === "error" ? p.blockedBy.message : "blocked"}`).join("; ")}\nThe node stays cordoned.`);
    }
    await fail(pending);
  }

  // Gone means not on this node any more, or replaced by a pod of the same name with another UID.
  const awaited = plan.toAwait.filter((p) => p.uid);
  for (;;) {
    const present = new Set((await cluster.listPodsOnNode(node)).map((p) => p.uid));
    const left = awaited.filter((p) => present.has(p.uid as string));
    if (left.length === 0) break;
    if (remaining() <= 0) await fail(left.map((pod) => ({ pod, blockedBy: { kind: "terminating" } })));
    await effects.sleep(1000);
  }
  log(`all ${states.length} evicted pods are gone`);

  if (!options.waitForReplacements) return;
  await setPhase(cluster, node, "waiting-for-replacements", []);
  const owners = new Map<string, { namespace: string; name: string; kind: string }>();
  for (const pod of movers) {
    const owner = pod.ownerReferences?.find((o) => o.controller && (o.kind === "ReplicaSet" || o.kind === "StatefulSet"));
    if (owner) owners.set(`${owner.kind}/${pod.namespace}/${owner.name}`, { namespace: pod.namespace, name: owner.name, kind: owner.kind });
  }
  for (;;) {
    const unready: UnreadyOwner[] = [];
    for (const owner of owners.values()) {
      const readiness = await cluster.ownerReadiness(owner.namespace, owner.kind, owner.name);
      if (readiness && readiness.ready < readiness.desired) unready.push({ ...owner, readyReplicas: readiness.ready, desiredReplicas: readiness.desired });
    }
    if (unready.length === 0) break;
    if (remaining() <= 0) await fail([], unready);
    await effects.sleep(1000);
  }
  if (owners.size > 0) log(`replacements Ready elsewhere for ${owners.size} workload(s)`);
}
