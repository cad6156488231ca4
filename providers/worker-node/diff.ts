// The provider's diff rule: the recorded outputs against the new inputs (pure), and, when they say
// "no change", whether the Node still carries an abandoned scale-in (abandoned-scale-in.ts).
//
// Left to itself the engine compares old and new inputs, so `v1.36.3` → `1.36.3`, or setting
// kubernetesVersion to the release an unset one resolved to at join, reads as a change. The rule
// answers "no change" only when every new input provably describes what the node already is;
// otherwise it leaves the diff to the engine, which then shows each changed property in
// `preview --diff` and applies replaceOnChanges.
import { isDeepStrictEqual } from "node:util";
import { fingerprintOf, isFingerprint, parseHostKey } from "../host/host-key";
import type { ConnectionInputs, SshEndpointInputs, WorkerNodeInputs } from "./inputs";
import type { WorkerNodeOutputs } from "./outputs";
import { abandonedScaleInNote, type CachedMarkedNodes } from "./abandoned-scale-in";
import { replacingChanges } from "./delete-purpose";
import { containerdSupportProblem } from "./runtime-support";
import { compareVersions, normalizeVersion, parseKubernetesVersion, versionChangeProblem, type KubernetesVersion } from "./version";

/** The key under which Pulumi passes the serialized provider to every method. */
const providerKey = "__provider";

/** A pinned host key (line or SHA256 fingerprint) that names the recorded key line. */
export function sameHostKey(pinned: string | undefined, recorded: string | undefined): boolean {
  if (pinned === undefined) return true; // unset: the key recorded on first use is enforced
  if (recorded === undefined) return false;
  try {
    const recordedFingerprint = fingerprintOf(parseHostKey(recorded).blob);
    const pinnedFingerprint = isFingerprint(pinned) ? pinned.trim() : fingerprintOf(parseHostKey(pinned).blob);
    return pinnedFingerprint === recordedFingerprint;
  } catch {
    return false;
  }
}

function sameEndpoint(news: SshEndpointInputs | undefined, recorded: SshEndpointInputs | undefined): boolean {
  if (news === undefined || recorded === undefined) return news === recorded;
  const { hostKey: newKey, port: newPort, user: newUser, ...newRest } = news;
  const { hostKey: recordedKey, port: recordedPort, user: recordedUser, ...recordedRest } = recorded;
  return (
    (newPort ?? 22) === (recordedPort ?? 22) &&
    (newUser ?? "root") === (recordedUser ?? "root") &&
    sameHostKey(newKey, recordedKey) &&
    isDeepStrictEqual(withoutAbsent(newRest), withoutAbsent(recordedRest))
  );
}

function sameConnection(news: ConnectionInputs, recorded: ConnectionInputs): boolean {
  const { proxy: newProxy, ...newEndpoint } = news;
  const { proxy: recordedProxy, ...recordedEndpoint } = recorded;
  return sameEndpoint(newEndpoint, recordedEndpoint) && sameEndpoint(newProxy, recordedProxy);
}

/** Drops keys whose value is undefined or null, which Pulumi does not distinguish from absent ones. */
function withoutAbsent<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

function sameOrEmpty(news: unknown, recorded: unknown, empty: unknown): boolean {
  return isDeepStrictEqual(news ?? empty, recorded ?? empty);
}

type Rule = (news: WorkerNodeInputs, olds: WorkerNodeOutputs) => boolean;

/** The endpoint given now is the one recorded, or names the endpoint an unset one resolved to at join. */
export function sameApiServerEndpoint(news: WorkerNodeInputs, olds: WorkerNodeOutputs): boolean {
  const given = news.cluster?.apiServerEndpoint;
  return given === olds.cluster?.apiServerEndpoint || (given !== undefined && given === olds.apiServerEndpoint);
}

/** For every input, when the new value describes what the recorded outputs say the node is. */
const equivalent: Record<keyof WorkerNodeInputs, Rule> = {
  connection: (n, o) => n.connection !== undefined && o.connection !== undefined && sameConnection(n.connection, o.connection),
  cluster: (n, o) => (n.cluster ?? {}).kubeconfig === (o.cluster ?? {}).kubeconfig && sameApiServerEndpoint(n, o),
  // Unset is the host's hostname: the same as before only if it was unset before too (the hostname
  // cannot be read at preview), or if it now names the Node explicitly.
  nodeName: (n, o) => (n.nodeName === undefined ? o.joinInputs !== undefined && o.joinInputs.nodeName === undefined : n.nodeName === o.nodeName),
  // Unset keeps the release the node runs; set, only a different release is a change.
  kubernetesVersion: (n, o) => n.kubernetesVersion === undefined || normalizeVersion(n.kubernetesVersion) === normalizeVersion(o.kubernetesVersion),
  containerd: (n, o) => sameOrEmpty(n.containerd, o.containerd, {}),
  packages: (n, o) => sameOrEmpty(n.packages, o.packages, {}),
  labels: (n, o) => sameOrEmpty(n.labels, o.labels, {}),
  taints: (n, o) => sameOrEmpty(n.taints, o.taints, []),
  drain: (n, o) => sameOrEmpty(n.drain, o.drain, {}),
  reset: (n, o) => (n.reset ?? true) === (o.reset ?? true),
  joinTimeout: (n, o) => o.joinInputs !== undefined && n.joinTimeout === o.joinInputs.joinTimeout,
  kubeadm: (n, o) => o.joinInputs !== undefined && sameOrEmpty(n.kubeadm, o.joinInputs.kubeadm, {}),
  // Recorded since the scale-in report reads it from the Node; state from before has none.
  owner: (n, o) => n.owner === o.owner,
  // Read by create only: once the node is in the state, adopting it or not changes nothing.
  adopt: () => true,
};

/**
 * True when applying `news` would change nothing on the node: every input equals, or is
 * equivalent to, what the outputs record. Unknown inputs (the preview placeholder), inputs this
 * rule does not know, state recorded before `joinInputs` existed, and drift found by a refresh are
 * never equivalent.
 */
export function isEquivalentToRecorded(olds: WorkerNodeOutputs, news: WorkerNodeInputs): boolean {
  const recorded = olds as unknown as Record<string, unknown>;
  const given = news as unknown as Record<string, unknown>;
  if (given[providerKey] !== recorded[providerKey]) return false;
  // A refresh found managed labels or taints changed on the Node: the engine's diff (against the
  // inputs that refresh returned) shows them, and the update restores them.
  if ((olds.drift ?? []).length > 0) return false;
  for (const [key, value] of Object.entries(given)) {
    if (key === providerKey || value === undefined || value === null) continue;
    if (!(key in equivalent)) return false;
  }
  return Object.values(equivalent).every((rule) => rule(news, olds));
}

/**
 * The provider's diff. "No change" when the new inputs describe what the node already is, unless
 * the Node still carries the marks of an abandoned scale-in: then an update (which clears them), and
 * a line saying why. Otherwise the engine diffs the inputs, so `preview --diff` shows each property
 * and replaceOnChanges applies. A version the node cannot move to in place fails here, against the
 * version recorded at the last up (check only sees the previous inputs, where it may have been unset).
 */
export async function diffWorkerNode(olds: WorkerNodeOutputs, news: WorkerNodeInputs, markedNodes: CachedMarkedNodes, log: (line: string) => void): Promise<{ changes?: boolean }> {
  if (isEquivalentToRecorded(olds, news)) {
    const nodes = await markedNodes(olds.cluster?.kubeconfig);
    const note = nodes && abandonedScaleInNote(olds.nodeName, nodes);
    if (!note) return { changes: false };
    log(note);
    return { changes: true };
  }
  const from = olds.kubernetesVersion ? parseKubernetesVersion(olds.kubernetesVersion) : undefined;
  const to = typeof news.kubernetesVersion === "string" ? parseKubernetesVersion(news.kubernetesVersion) : undefined;
  const problem = from && to ? (versionChangeProblem(from, to) ?? inPlaceRuntimeProblem(olds, news, from, to)) : undefined;
  if (problem) throw new Error(`node ${olds.nodeName}: kubernetesVersion ${normalizeVersion(news.kubernetesVersion as string)} refused: ${problem}`);
  return {};
}

/**
 * An in-place upgrade to a release the recorded containerd does not support (the update refuses it
 * again from the live Node, before the drain). A replacement is not judged here: the new join's
 * preflight judges the host, and `containerd.upgrade` lets it replace containerd.
 */
function inPlaceRuntimeProblem(olds: WorkerNodeOutputs, news: WorkerNodeInputs, from: KubernetesVersion, to: KubernetesVersion): string | undefined {
  if (compareVersions(to, from) <= 0 || replacingChanges(olds, news).length > 0) return undefined;
  return containerdSupportProblem(olds.containerdVersion, to);
}
