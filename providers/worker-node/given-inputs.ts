// Pulumi hands `read` the outputs only, but a refresh that finds drift must also return the inputs:
// the engine diffs the next program's inputs against those, so only inputs that show the drift make
// the next `up` restore it. The outputs hold every input value (credentials in the secret
// `connection` and `cluster`); what they cannot tell is which optional inputs were given at all
// (unset and default differ in a diff) and the host keys as pinned (a fingerprint, or none, where
// the outputs record the key line). GivenInputs records exactly that.
import type { WorkerNodeInputs } from "./inputs";
import type { GivenInputs, WorkerNodeOutputs } from "./outputs";

type OptionalInput = Exclude<keyof WorkerNodeInputs, "connection" | "cluster">;

/** Every optional input, and where its given value is found in the outputs. */
const fromOutputs: Record<OptionalInput, (outs: WorkerNodeOutputs) => unknown> = {
  nodeName: (o) => o.joinInputs?.nodeName,
  kubernetesVersion: (o) => o.kubernetesVersion,
  containerd: (o) => o.containerd,
  packages: (o) => o.packages,
  labels: (o) => o.labels,
  taints: (o) => o.taints,
  joinTimeout: (o) => o.joinInputs?.joinTimeout,
  reset: (o) => o.reset,
  kubeadm: (o) => o.joinInputs?.kubeadm,
  drain: (o) => o.drain,
  owner: (o) => o.owner,
  adopt: (o) => o.adopted === true,
};

function isOptionalInput(key: string): key is OptionalInput {
  return key in fromOutputs;
}

/** What create and update record: the optional inputs given, and the host keys as given (public keys, never credentials). */
export function givenInputsOf(inputs: WorkerNodeInputs): GivenInputs {
  const keys = Object.entries(inputs)
    .filter(([key, value]) => isOptionalInput(key) && value !== undefined && value !== null)
    .map(([key]) => key)
    .sort();
  const { hostKey } = inputs.connection;
  const bastionHostKey = inputs.connection.proxy?.hostKey;
  return { keys, ...(hostKey !== undefined ? { hostKey } : {}), ...(bastionHostKey !== undefined ? { bastionHostKey } : {}) };
}

/**
 * The inputs the outputs describe, as the program gave them; undefined for state written before
 * givenInputs existed (then a refresh reports drift but cannot make the next `up` restore it).
 */
export function inputsFromOutputs(outs: WorkerNodeOutputs): WorkerNodeInputs | undefined {
  const given = outs.givenInputs;
  if (!given || !outs.connection || !outs.joinInputs) return undefined;
  const { hostKey: _recorded, proxy, ...endpoint } = outs.connection;
  let bastion;
  if (proxy) {
    const { hostKey: _recordedBastion, ...bastionEndpoint } = proxy;
    bastion = { ...bastionEndpoint, ...(given.bastionHostKey !== undefined ? { hostKey: given.bastionHostKey } : {}) };
  }
  const connection = { ...endpoint, ...(given.hostKey !== undefined ? { hostKey: given.hostKey } : {}), ...(bastion ? { proxy: bastion } : {}) };
  const optional: Record<string, unknown> = {};
  for (const key of given.keys) {
    if (!isOptionalInput(key)) continue;
    const value = fromOutputs[key](outs);
    if (value !== undefined && value !== null) optional[key] = value;
  }
  return { connection, cluster: { ...(outs.cluster ?? {}) }, ...optional };
}
