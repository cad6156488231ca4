// The provider's methods with their real effects. The serialized provider (provider.ts) loads this
// module from the installed package at run time, so a fix here reaches update, delete and refresh
// of stacks created with an older version.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { connectCluster } from "../cluster/kube-api";
import { refuseChangedHostKey } from "../host/host-key-check";
import { withRecordedHostKeys } from "../host/pinned-connection";
import { openSession } from "../host/ssh-session";
import { checkWorkerNode, oneReadPerCluster } from "./check";
import { createWorkerNode, type WorkerNodeEffects } from "./create";
import { adoptWorkerNode } from "./adopt";
import { deleteWorkerNode } from "./delete";
import { givenInputsOf } from "./given-inputs";
import { readWorkerNode } from "./read";
import { isEquivalentToRecorded } from "./diff";
import type { WorkerNodeInputs } from "./inputs";
import type { WorkerNodeOutputs } from "./outputs";
import { joinInputsOf, updateWorkerNode } from "./update";
import type { CheckFailure } from "./validate";
import { normalizeVersion, parseKubernetesVersion, versionChangeProblem } from "./version";

export const effects: WorkerNodeEffects = {
  connectCluster,
  openSession,
  randomBytes,
  now: () => new Date(),
  sleep: (ms) => sleep(ms),
  // Dynamic providers have no engine log channel: stdout lines show under the stack in the CLI.
  log: (line) => console.log(line),
};

const serverVersion = oneReadPerCluster((kubeconfig) => effects.connectCluster(kubeconfig).serverVersion());

/**
 * Runs at preview: validation, the version rules (one cached GET /version when a version is set),
 * and for a new adopting entry one GET of its Node; no SSH.
 */
export async function check(olds: Partial<WorkerNodeInputs>, news: WorkerNodeInputs): Promise<{ inputs: WorkerNodeInputs; failures: CheckFailure[] }> {
  const { notes, ...checked } = await checkWorkerNode(olds, news, serverVersion, (kubeconfig, name) => effects.connectCluster(kubeconfig).getNode(name));
  notes.forEach((note) => effects.log(note));
  return checked;
}

/**
 * "No change" when the new inputs describe what the node already is (see diff.ts); otherwise the
 * engine diffs the inputs, so `preview --diff` shows each property and replaceOnChanges applies.
 * A version the node cannot move to in place fails the preview here, against the version recorded
 * at the last up (check only sees the previous inputs, where the version may have been unset).
 */
export function diff(_id: string, olds: WorkerNodeOutputs, news: WorkerNodeInputs): Promise<{ changes?: boolean }> {
  if (isEquivalentToRecorded(olds, news)) return Promise.resolve({ changes: false });
  const from = olds.kubernetesVersion ? parseKubernetesVersion(olds.kubernetesVersion) : undefined;
  const to = typeof news.kubernetesVersion === "string" ? parseKubernetesVersion(news.kubernetesVersion) : undefined;
  const problem = from && to ? versionChangeProblem(from, to) : undefined;
  if (problem) {
    return Promise.reject(new Error(`node ${olds.nodeName}: kubernetesVersion ${normalizeVersion(news.kubernetesVersion as string)} refused: ${problem}`));
  }
  return Promise.resolve({});
}

/** Joins the host, or with `adopt` records a host that already is a Node of the cluster, touching nothing. */
export async function create(inputs: WorkerNodeInputs): Promise<{ id: string; outs: WorkerNodeOutputs }> {
  const created = inputs.adopt === true ? await adoptWorkerNode(inputs, effects) : await createWorkerNode(inputs, effects);
  return { ...created, outs: { ...created.outs, joinInputs: joinInputsOf(inputs), givenInputs: givenInputsOf(inputs) } };
}

/** `pulumi refresh`: the node as the cluster has it, with read-only API calls (no SSH). */
export function read(id: string, olds: WorkerNodeOutputs): Promise<{ id: string; props?: WorkerNodeOutputs; inputs?: WorkerNodeInputs }> {
  return readWorkerNode(id, olds, effects);
}

export async function update(_id: string, olds: WorkerNodeOutputs, news: WorkerNodeInputs): Promise<{ outs: WorkerNodeOutputs }> {
  await refuseChangedHostKey(withRecordedHostKeys(news.connection, { ...olds.connection, hostKey: olds.hostKey }), openSession, `update of worker ${olds.nodeName}`);
  return updateWorkerNode(olds, news, effects);
}

export async function remove(_id: string, olds: WorkerNodeOutputs): Promise<void> {
  // Without a reset the host is never dialled, so its key cannot matter.
  if (olds.reset !== false) await refuseChangedHostKey(olds.connection, openSession, `delete of worker ${olds.nodeName}`);
  return deleteWorkerNode(olds, effects);
}
