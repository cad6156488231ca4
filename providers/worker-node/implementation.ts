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
import { deleteWorkerNode } from "./delete";
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

/** Runs at preview: validation, and the version rules (one cached GET /version when a version is set); no SSH. */
export function check(olds: Partial<WorkerNodeInputs>, news: WorkerNodeInputs): Promise<{ inputs: WorkerNodeInputs; failures: CheckFailure[] }> {
  return checkWorkerNode(olds, news, serverVersion);
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

export async function create(inputs: WorkerNodeInputs): Promise<{ id: string; outs: WorkerNodeOutputs }> {
  const created = await createWorkerNode(inputs, effects);
  return { ...created, outs: { ...created.outs, joinInputs: joinInputsOf(inputs) } };
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
