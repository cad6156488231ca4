// The provider's methods with their real effects. The serialized provider (provider.ts) loads this
// module from the installed package at run time, so a fix here reaches update, delete and refresh
// of stacks created with an older version.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { connectCluster } from "../cluster/kube-api";
import { refuseChangedHostKey } from "../host/host-key-check";
import { withRecordedHostKeys } from "../host/pinned-connection";
import { openSession } from "../host/ssh-session";
import { createWorkerNode, type WorkerNodeEffects } from "./create";
import type { WorkerNodeInputs } from "./inputs";
import type { WorkerNodeOutputs } from "./outputs";
import { updateWorkerNode } from "./update";
import { validateWorkerNodeInputs, type CheckFailure } from "./validate";
import { deleteWorkerNode } from "./delete";

export const effects: WorkerNodeEffects = {
  connectCluster,
  openSession,
  randomBytes,
  now: () => new Date(),
  sleep: (ms) => sleep(ms),
  // Dynamic providers have no engine log channel: stdout lines show under the stack in the CLI.
  log: (line) => console.log(line),
};

/** Runs at preview too: validation only, no I/O, every problem at once. */
export function check(_olds: unknown, news: WorkerNodeInputs): Promise<{ inputs: WorkerNodeInputs; failures: CheckFailure[] }> {
  return Promise.resolve({ inputs: news, failures: validateWorkerNodeInputs(news as unknown as Record<string, unknown>) });
}

export function create(inputs: WorkerNodeInputs): Promise<{ id: string; outs: WorkerNodeOutputs }> {
  return createWorkerNode(inputs, effects);
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
