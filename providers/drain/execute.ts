import type { ClusterApi, EvictionOutcome } from "../cluster/kube-api";
import { drainAnnotations, drainOwnersAnnotation, type DrainPhase } from "./annotations";
import { describeBlockedPods } from "./blockers";
import { checkCapacity } from "./capacity";
import { planDrain } from "./classify";
import { judgeEvictionFailure } from "./eviction-errors";
import { deletedLongAgo, evictionWaves, kubeletSilence, strandedOnSilentNode } from "./eviction-order";
import { budgetGate, maxPdbWaitMs, type BudgetGate, type GatedPod } from "./budget-gate";
import { pdbsCovering, type PdbBudget } from "./eviction-turns";
import type { DrainOptions } from "./options";
import {
  formatDrainProgress,
  formatDrainTimeout,
  formatReplacementProgress,
  type PendingPod,
  type UnreadyOwner,
} from "./progress";
import {
  formatOwnersAnnotation,
  isStillShort,
  mergeBaselines,
  ownersOf,
  parseOwnersAnnotation,
  readyTarget,
  unschedulableOf,
  type OwnerBaseline,
  type PendingPodView,
} from "./replacements";
import { roomCandidates } from "./scale-in";
import { isDaemonSetOwner, isFinished, refOf, type DrainEffects, type DrainPod, type ObjectRef } from "./types";
import { nodeLog } from "../node-log";

export type { DrainEffects } from "./types";

export class DrainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DrainError";
  }
}

/** Longest pause between two eviction attempts of a pod when no PDB watch can tell us sooner. */
const maxRetryDelayMs = maxPdbWaitMs;
const progressEveryMs = 5_000;

interface PodState extends GatedPod {
  done: boolean;
}

async function setPhase(cluster: ClusterApi, node: string, phase: DrainPhase, blockers: readonly string[]): Promise<void> {
  await cluster.patchNode(node, { annotations: drainAnnotations(phase, blockers) });
}

/** Names the PDBs that select the pod, for the Eviction API's 500 on a pod covered by several. */
async function namesOfPdbsCovering(cluster: ClusterApi, pod: DrainPod): Promise<string[]> {
  const pdbs = await cluster.listPdbs(pod.namespace).catch(() => []);
  return pdbsCovering(pod, pdbs).map(refOf).sort();
}

/**
 * The PDBs of the pods' namespaces with what each allows now, one list per namespace. None for
 * plain deletes (no PDB applies) or when a list is refused: then the Eviction API's 429s are all the
 * drain goes by for that namespace, as it did before it read budgets.
 */
async function budgetsOf(cluster: ClusterApi, pods: readonly DrainPod[], options: DrainOptions, log: (line: string) => void): Promise<PdbBudget[]> {
  if (options.disableEviction) return [];
  const budgets: PdbBudget[] = [];
  for (const namespace of new Set(pods.map((pod) => pod.namespace))) {
    try {
      budgets.push(...(await cluster.listPdbs(namespace)));
    } catch (error) {
      log(`warning: could not list the PodDisruptionBudgets of namespace ${namespace} (${(error as Error).message}); evicting its pods without knowing their budgets, retrying what the API refuses`);
    }
  }
  return budgets;
}

/** Readiness of each owner now: the baseline for owners not recorded by an earlier attempt. */
async function readinessBaselines(cluster: ClusterApi, pods: readonly DrainPod[]): Promise<OwnerBaseline[]> {
  const baselines: OwnerBaseline[] = [];
  for (const owner of ownersOf(pods)) {
    const readiness = await cluster.ownerReadiness(owner.namespace, owner.kind, owner.name);
    if (readiness) baselines.push({ ...owner, readyBefore: readiness.ready });
  }
  return baselines;
}

/**
 * Drains a cordoned node: plan (refusing, before any eviction, on blockers or lack of capacity),
 * record the owners' readiness, evict in waves (the cluster's critical pods last) through the
 * Eviction API, retry PDB refusals as soon as the PDB allows (watched, not slept on), wait until the
 * pods are gone (UID-aware) and their owners are back to their readiness from before the drain.
 * Phase and blockers are written on the Node as it goes. `deadline` (default: timeoutSeconds from
 * now) lets a caller count the wait for a drain slot into the same timeout.
 */
export async function drainNode(cluster: ClusterApi, node: string, options: DrainOptions, effects: DrainEffects, deadline?: Date): Promise<void> {
  const log = nodeLog(effects, node);
  const deadlineMs = deadline?.getTime() ?? effects.now().getTime() + options.timeoutSeconds * 1000;
  const remaining = (): number => deadlineMs - effects.now().getTime();

  const [pods, terminatingNamespaces, nodeView] = await Promise.all([cluster.listPodsOnNode(node), cluster.terminatingNamespaces(), cluster.getNode(node)]);
  // Every DaemonSet pod of the node names its DaemonSet; each one is read once.
  const daemonSets = new Map<string, ObjectRef>();
  for (const pod of pods) {
    const owner = pod.ownerReferences?.find((o) => o.controller);
    if (isDaemonSetOwner(owner)) daemonSets.set(`${pod.namespace}/${owner.name}`, { namespace: pod.namespace, name: owner.name });
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
    // Nodes that are leaving too (our drain phase, even while waiting for a slot) are no room.
    const remainingNodes = roomCandidates(await cluster.listNodesWithPods(new Set([node])), node);
    const capacity = checkCapacity(movers, remainingNodes);
    if (!capacity.fits) {
      await setPhase(cluster, node, "blocked", capacity.unplaced.map((u) => refOf(u.pod)));
      throw new DrainError(
        `cannot drain node ${node}: its pods would not fit on the nodes that remain, so nothing was evicted ` +
          `(nodes waiting to be removed are not counted as room; nodes waiting to be upgraded or replaced are, until their turn):\n${capacity.message}\n` +
          "Add capacity first, or set drain.checkCapacity: false if you know better than this estimate.",
      );
    }
  }

  // The owners' readiness before the first eviction; an earlier attempt's record wins, so a resumed
  // drain waits for the same set with the same targets.
  const baselines = options.waitForReplacements
    ? mergeBaselines(parseOwnersAnnotation(nodeView?.annotations[drainOwnersAnnotation]), await readinessBaselines(cluster, movers))
    : [];
  await cluster.patchNode(node, {
    annotations: { ...drainAnnotations("evicting", []), ...(baselines.length > 0 ? { [drainOwnersAnnotation]: formatOwnersAnnotation(baselines) } : {}) },
  });

  const states: PodState[] = plan.toEvict.map((pod) => ({ pod, done: false }));
  let fatal: string | undefined;
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

  const markDone = (state: PodState): void => {
    state.done = true;
    delete state.pdb;
    delete state.blockedBy;
    reportProgress();
  };

  /** Evicts one pod, each attempt when the gate gives it a turn (its PDB allows it), retrying refusals. */
  const evictOne = async (gate: BudgetGate, state: PodState): Promise<void> => {
    let delay = 500;
    while (remaining() > 0 && !fatal) {
      if (!(await gate.turn(state))) return;
      const outcome: EvictionOutcome = options.disableEviction
        ? await cluster.deletePod(state.pod, options.gracePeriodSeconds)
        : await cluster.evictPod(state.pod, options.gracePeriodSeconds);
      const refusedBy = outcome.kind === "pdb" && outcome.pdb ? { namespace: state.pod.namespace, name: outcome.pdb } : undefined;
      // A 429 means another actor spent the budget: the gate holds the next turn until the PDB allows again.
      const heldByGate = gate.attempted(state, refusedBy);
      if (outcome.kind === "evicted" || outcome.kind === "gone") return markDone(state);
      if (outcome.kind === "pdb") {
        state.pdb = refusedBy;
        state.blockedBy = { kind: "error", message: outcome.message };
        reportProgress();
        if (heldByGate) continue;
        const wait = Math.min(maxRetryDelayMs, remaining());
        if (state.pdb) await gate.waitForPdb(state.pdb, wait);
        else await effects.sleep(Math.min(delay, wait));
      } else {
        const verdict = judgeEvictionFailure(outcome, state.pod);
        if (verdict.action === "wait-for-deletion") return markDone(state);
        if (verdict.action === "fail") {
          const covering = verdict.multiplePdbs ? await namesOfPdbsCovering(cluster, state.pod) : [];
          const message = covering.length > 0 ? `${verdict.message} The PDBs selecting it: ${covering.join(", ")}.` : verdict.message;
          state.blockedBy = { kind: "error", message };
          fatal ??= message;
          return;
        }
        state.blockedBy = { kind: "error", message: verdict.why };
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

  // Pods leaving anyway (terminating, namespace going) are awaited with the first wave.
  const alreadyLeaving = plan.toAwait.filter((p) => !plan.toEvict.includes(p));
  const waves = evictionWaves(plan.toEvict);
  if (waves.length === 0) waves.push([]);
  reportProgress(true);
  for (const [index, wave] of waves.entries()) {
    if (index > 0) log(`evicting ${wave.length} critical pod(s) last (${wave.map(refOf).join(", ")})`);
    const waveStates = states.filter((s) => wave.includes(s.pod));
    const gate = budgetGate(cluster, await budgetsOf(cluster, wave, options, log), {
      remaining,
      stopped: () => fatal !== undefined,
      sleep: (ms) => effects.sleep(ms),
      changed: () => reportProgress(),
    });
    await Promise.all(waveStates.map((state) => evictOne(gate, state)));
    reportProgress(true);
    const notEvicted = waveStates.filter((s) => !s.done);
    if (fatal || notEvicted.length > 0) {
      if (fatal) {
        await setPhase(cluster, node, "blocked", [fatal]).catch(() => undefined);
        throw new DrainError(`drain of ${node} stopped: ${fatal}\nThe node stays cordoned; pods already evicted are not brought back.`);
      }
      const pending: PendingPod[] = [];
      for (const s of notEvicted) {
        const pdb = s.pdb ? await cluster.readPdb(s.pdb.namespace, s.pdb.name) : undefined;
        pending.push({ pod: s.pod, blockedBy: pdb ? { kind: "pdb", pdb } : (s.blockedBy ?? { kind: "error", message: "not evicted" }) });
      }
      await fail(pending);
    }
    await waitUntilGone([...wave, ...(index === 0 ? alreadyLeaving : [])]);
  }
  log(`all ${states.length} evicted pods are gone`);

  /**
   * Gone: not on this node any more, replaced by a pod of the same name with another UID, stuck in
   * deletion past skipWaitForDeleteTimeoutSeconds (kubectl's waitForDelete), or past its grace period
   * on a node whose kubelet has gone silent (its host is down: nothing there will confirm the end).
   */
  async function waitUntilGone(awaitedPods: readonly DrainPod[]): Promise<void> {
    const awaited = awaitedPods.filter((p) => p.uid);
    const given = new Set<string>();
    for (;;) {
      const now = effects.now();
      const [onNode, nodeNow] = await Promise.all([cluster.listPodsOnNode(node), cluster.getNode(node)]);
      const present = new Map(onNode.map((p) => [p.uid, p]));
      const silence = kubeletSilence(nodeNow?.conditions);
      const stranded: DrainPod[] = [];
      const left = awaited.filter((p) => {
        const current = present.get(p.uid);
        if (current === undefined || deletedLongAgo(current, now, options.skipWaitForDeleteTimeoutSeconds)) return false;
        if (!strandedOnSilentNode(current, now, silence)) return true;
        if (!given.has(p.uid as string)) stranded.push(p);
        return false;
      });
      if (stranded.length > 0) {
        stranded.forEach((p) => given.add(p.uid as string));
        log(`warning: the kubelet does not report (${silence}): ${stranded.length} evicted pods cannot be confirmed gone (${stranded.map(refOf).join(", ")}); not waiting for them, they go with the Node`);
      }
      if (left.length === 0) return;
      if (remaining() <= 0) await fail(left.map((pod) => ({ pod, blockedBy: { kind: "terminating" } })));
      await effects.sleep(1000);
    }
  }

  if (!options.waitForReplacements || baselines.length === 0) return;
  await setPhase(cluster, node, "waiting-for-replacements", []);
  let lastReport = 0;
  for (;;) {
    const unready: UnreadyOwner[] = [];
    for (const baseline of baselines) {
      const readiness = await cluster.ownerReadiness(baseline.namespace, baseline.kind, baseline.name);
      const target = readyTarget(baseline, readiness);
      if (readiness && target !== undefined && isStillShort(baseline, readiness)) {
        unready.push({ kind: baseline.kind, namespace: baseline.namespace, name: baseline.name, readyReplicas: readiness.ready, desiredReplicas: target });
      }
    }
    if (unready.length === 0) break;
    // Say why a replacement waits, when the scheduler has said it cannot place it.
    const pendingByNamespace = new Map<string, PendingPodView[]>();
    for (const namespace of new Set(unready.map((o) => o.namespace))) {
      pendingByNamespace.set(namespace, await cluster.listPendingPods(namespace).catch(() => []));
    }
    const explained = unready.map((o) => {
      const unschedulable = unschedulableOf(o, pendingByNamespace.get(o.namespace) ?? []);
      return unschedulable.length > 0 ? { ...o, unschedulable } : o;
    });
    if (remaining() <= 0) await fail([], explained);
    const now = effects.now().getTime();
    if (now - lastReport >= progressEveryMs) {
      effects.log(formatReplacementProgress(node, explained));
      lastReport = now;
    }
    await effects.sleep(1000);
  }
  log(`replacements Ready elsewhere for ${baselines.length} workload(s)`);
}
