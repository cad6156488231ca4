// The provider's operations that touch hosts and the cluster (create, read, update, delete) with
// their real effects: the SSH and Kubernetes clients. implementation.ts loads this module on the
// first such call, so a preview, which only checks and diffs, never loads either client.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { connectCluster } from "../cluster/kube-api";
import { refuseChangedHostKey } from "../host/host-key-check";
import { withRecordedHostKeys } from "../host/pinned-connection";
import { openSession } from "../host/ssh-session";
import { createWorkerNode, type WorkerNodeEffects } from "./create";
import { adoptWorkerNode } from "./adopt";
import { deleteWorkerNode } from "./delete";
import { givenInputsOf } from "./given-inputs";
import { readWorkerNode } from "./read";
import type { WorkerNodeInputs } from "./inputs";
import type { WorkerNodeOutputs } from "./outputs";
import { joinInputsOf, updateWorkerNode } from "./update";

export const effects: WorkerNodeEffects = {
  connectCluster,
  openSession,
  randomBytes,
  now: () => new Date(),
  sleep: (ms) => sleep(ms),
  // Dynamic providers have no engine log channel: stdout lines show under the stack in the CLI.
  log: (line) => console.log(line),
};

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
  const met = await refuseChangedHostKey(withRecordedHostKeys(news.connection, { ...olds.connection, hostKey: olds.hostKey }), openSession, `update of worker ${olds.nodeName}`);
  return updateWorkerNode(olds, news, effects, met);
}

export async function remove(_id: string, olds: WorkerNodeOutputs, purpose: "remove" | "replace" = "remove"): Promise<void> {
  // Without a reset the host is never dialled, so its key cannot matter.
  if (olds.reset !== false) await refuseChangedHostKey(olds.connection, openSession, `delete of worker ${olds.nodeName}`);
  return deleteWorkerNode(olds, effects, purpose);
}
