// Everything the stack program checks before any WorkerNode exists: the config keys it knows, the
// shape and name of each entry, clashes between entries, and each entry's WorkerNode inputs. Pure:
// the program reads the config and throws the list, so a preview names every problem at once.
import { unknownNameReason } from "../providers/closest-name";
import { unknownValue, validateWorkerNodeInputs } from "../providers/worker-node/validate";
import { findClashes } from "./clashes";
import { demoWorkloadProblems } from "./demo-workload-config";
import { entryLabel, entryShapeProblems, shown, type NodeEntry } from "./entries";
import { kubernetesPluginVersionProblems } from "./kubernetes-plugin-version";

/** Every key the program reads from the stack's config namespace. */
export const stackConfigKeys = [
  "nodes",
  "sshPrivateKey",
  "sshUser",
  "kubeconfig",
  "apiServerEndpoint",
  "kubernetesVersion",
  "packages",
  "containerd",
  "joinTimeout",
  "drain",
  "kubeadm",
  "leastPrivilege",
  "demoWorkload",
  "kubernetesPluginVersion",
] as const;

/** The stack config as the program reads it (secrets only as keys that are set). */
export interface StackSettings {
  /** The config namespace: the project's name. */
  readonly namespace?: string;
  /** Every key set in the namespace, without the `namespace:` prefix. */
  readonly configKeys: readonly string[];
  readonly nodes: unknown;
  readonly sshUser?: unknown;
  readonly apiServerEndpoint?: unknown;
  readonly kubernetesVersion?: unknown;
  readonly packages?: unknown;
  readonly containerd?: unknown;
  readonly joinTimeout?: unknown;
  readonly drain?: unknown;
  readonly kubeadm?: unknown;
  readonly leastPrivilege?: unknown;
  readonly demoWorkload?: unknown;
  readonly kubernetesPluginVersion?: unknown;
}

function kind(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : JSON.stringify(value);
}

function configKeyProblems({ namespace = "kubeadm-workers", configKeys }: StackSettings): string[] {
  const known: readonly string[] = stackConfigKeys;
  return configKeys
    .filter((key) => !known.includes(key))
    .sort()
    .map((key) => `${namespace}:${shown(key)} ${unknownNameReason(key, known, "a config key of this stack", { prefix: `${namespace}:` })}`);
}

/**
 * The WorkerNode inputs the program builds for an entry, as far as they are known at preview. The
 * private key is a secret, checked by each resource's own check; here it only counts as present.
 */
export function entryInputs(entry: Readonly<Record<string, unknown>>, settings: StackSettings, privateKey: string = unknownValue): Record<string, unknown> {
  return {
    connection: { host: entry.host, port: entry.port, user: entry.user ?? settings.sshUser, hostKey: entry.hostKey, privateKey },
    cluster: { apiServerEndpoint: settings.apiServerEndpoint },
    nodeName: entry.nodeName,
    kubernetesVersion: settings.kubernetesVersion,
    labels: entry.labels,
    taints: entry.taints,
    adopt: entry.adopt,
    containerd: settings.containerd,
    packages: settings.packages,
    joinTimeout: settings.joinTimeout,
    drain: settings.drain,
    kubeadm: settings.kubeadm,
  };
}

/** leastPrivilege: a boolean, and the stack's kubeconfig to create the identity with. */
function leastPrivilegeProblems({ leastPrivilege, configKeys, namespace = "kubeadm-workers" }: StackSettings): string[] {
  if (leastPrivilege === undefined || leastPrivilege === false) return [];
  if (leastPrivilege !== true) return [`${namespace}:leastPrivilege must be true or false, got ${kind(leastPrivilege)}`];
  if (!configKeys.includes("kubeconfig")) {
    return [`${namespace}:leastPrivilege needs ${namespace}:kubeconfig (an admin kubeconfig, set with --secret): the stack creates the provider's identity with it`];
  }
  return [];
}

/** Every problem of the stack config, config keys first, then each entry's shape, clashes, and each entry's inputs. */
export function stackProblems(settings: StackSettings): string[] {
  const keys = [
    ...configKeyProblems(settings),
    ...leastPrivilegeProblems(settings),
    ...demoWorkloadProblems(settings.demoWorkload, settings.configKeys, settings.namespace),
    ...kubernetesPluginVersionProblems(settings.kubernetesPluginVersion, settings.namespace),
  ];
  if (!Array.isArray(settings.nodes)) return [...keys, `nodes must be a list of entries ({ name, host, … }), got ${kind(settings.nodes)}`];
  const nodes = (settings.nodes as unknown[]).map((entry) => (typeof entry === "object" && entry !== null && !Array.isArray(entry) ? (entry as Record<string, unknown>) : undefined));
  const shapes = (settings.nodes as unknown[]).flatMap((entry, i) => entryShapeProblems(entry, i));
  const clashes = findClashes(nodes as (NodeEntry | undefined)[]);
  const inputs = nodes.flatMap((entry, index) =>
    entry ? validateWorkerNodeInputs(entryInputs(entry, settings)).map((f) => `${entryLabel(entry, index)}: ${f.property} ${f.reason}`) : [],
  );
  return [...keys, ...shapes, ...clashes, ...inputs];
}
