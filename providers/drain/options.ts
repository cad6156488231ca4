// The drain's one options object, modelled on kubectl's drain.Helper: every field has a documented
// default and meaning, and resolveDrainOptions() is the only way to build one, so the rest of the
// code never has to guess what an absent value means.
import { unknownNameReason } from "../closest-name";

/** How a node is drained when its WorkerNode is removed. */
export interface DrainOptions {
  /**
   * Delete pods that no controller would recreate (naked pods, and pods whose DaemonSet is gone).
   * They are gone for good. kubectl's `--force`.
   * @default false
   */
  readonly force: boolean;
  /**
   * Evict pods that use emptyDir volumes; the data in those volumes is lost. kubectl's
   * `--delete-emptydir-data`.
   * @default false
   */
  readonly deleteEmptyDirData: boolean;
  /**
   * Leave DaemonSet pods on the node. Always true: the DaemonSet controller tolerates the cordon and
   * would recreate an evicted pod at once, and every node runs some (kube-proxy, the CNI), so kubectl's
   * `false` (refuse when any DaemonSet pod exists) would make every scale-in fail. Kept as a field
   * so kubectl users find the flag they know. DaemonSet pods go away with the Node.
   * @default true
   */
  readonly ignoreDaemonSets: true;
  /**
   * Delete pods instead of evicting them. Plain DELETE ignores PodDisruptionBudgets; never used
   * unless set. kubectl's `--disable-eviction`.
   * @default false
   */
  readonly disableEviction: boolean;
  /**
   * Grace period given to each pod. `undefined` uses each pod's own terminationGracePeriodSeconds
   * (kubectl's `--grace-period=-1`).
   * @default undefined
   */
  readonly gracePeriodSeconds: number | undefined;
  /**
   * Time for the whole drain of one node: ONE deadline from the moment the scale-in starts waiting
   * for a drain slot, through cordon, evictions, pods gone and replacements Ready (the slot wait is
   * part of it, so a queue of nodes behind maxConcurrentDrains: 1 needs room for theirs). Unlike
   * kubectl there is no "0 = forever": an endless wait inside `pulumi up` is the failure mode users
   * report most (kubectl#172, cluster-api#2331).
   * @default 600
   */
  readonly timeoutSeconds: number;
  /**
   * Pods whose deletion started longer ago than this are skipped instead of waited for (they are
   * stuck on finalizers or an unreachable kubelet). 0 waits for every pod. kubectl's
   * `--skip-wait-for-delete-timeout`.
   * @default 0
   */
  readonly skipWaitForDeleteTimeoutSeconds: number;
  /**
   * After the evicted pods are gone, wait until their owners are Ready elsewhere again before the
   * Node is deleted.
   * @default true
   */
  readonly waitForReplacements: boolean;
  /**
   * Refuse to evict anything when the evicted pods would not fit on the nodes that remain.
   * @default true
   */
  readonly checkCapacity: boolean;
  /**
   * After the pods are gone, how long to wait until no VolumeAttachment names the node before the
   * Node is deleted (Cluster API's and kubespray's order): a Node deleted with volumes attached can
   * leave them attached to a machine that no longer exists.
   * @default 300
   */
  readonly volumeDetachTimeoutSeconds: number;
  /**
   * How many nodes of the cluster may drain at the same time (the Lease semaphore's size).
   * @default 1
   */
  readonly maxConcurrentDrains: number;
}

export const defaultDrainOptions: DrainOptions = Object.freeze({
  force: false,
  deleteEmptyDirData: false,
  ignoreDaemonSets: true,
  disableEviction: false,
  gracePeriodSeconds: undefined,
  timeoutSeconds: 600,
  skipWaitForDeleteTimeoutSeconds: 0,
  waitForReplacements: true,
  checkCapacity: true,
  volumeDetachTimeoutSeconds: 300,
  maxConcurrentDrains: 1,
});

export type ResolvedDrainOptions =
  | { readonly ok: true; readonly options: DrainOptions }
  | { readonly ok: false; readonly failures: readonly string[] };

type Rule = (value: unknown) => string | undefined;

const show = (value: unknown): string =>
  typeof value === "string" || (typeof value === "object" && value !== null) ? JSON.stringify(value) : String(value);

const boolean: Rule = (value) => (typeof value === "boolean" ? undefined : `must be true or false, got ${show(value)}`);

const integerAtLeast =
  (minimum: number, wording: string): Rule =>
  (value) =>
    typeof value === "number" && Number.isSafeInteger(value) && value >= minimum
      ? undefined
      : `must be ${wording}, got ${show(value)}`;

const rules: Record<keyof DrainOptions, Rule> = {
  force: boolean,
  deleteEmptyDirData: boolean,
  ignoreDaemonSets: (value) =>
    value === true
      ? undefined
      : `must be true, got ${show(value)}: DaemonSet pods are always left in place (their controller would ` +
        "recreate them at once) and go away with the Node",
  disableEviction: boolean,
  // 0 would let the API forget a pod before its containers stopped; unset means the pod's own period.
  gracePeriodSeconds: integerAtLeast(1, "an integer >= 1 (leave it unset to use each pod's own grace period)"),
  timeoutSeconds: integerAtLeast(1, "a positive integer"),
  skipWaitForDeleteTimeoutSeconds: integerAtLeast(0, "an integer >= 0 (0 waits for every pod)"),
  waitForReplacements: boolean,
  checkCapacity: boolean,
  volumeDetachTimeoutSeconds: integerAtLeast(1, "a positive integer"),
  maxConcurrentDrains: integerAtLeast(1, "a positive integer"),
};

/** Every option `drain` may set. */
export const drainOptionNames = Object.keys(rules) as (keyof DrainOptions)[];

/**
 * Fills the defaults into the `drain` settings a user gave (from stack config, so anything JSON) and
 * checks each field. Failures name the field and the rule, e.g.
 * `drain.timeoutSeconds must be a positive integer, got -1`, so `pulumi preview` can refuse bad input.
 */
export function resolveDrainOptions(input: unknown): ResolvedDrainOptions {
  if (input === undefined || input === null) return { ok: true, options: defaultDrainOptions };
  if (typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, failures: [`drain must be an object of drain options, got ${show(input)}`] };
  }
  const given = input as Record<string, unknown>;
  const failures: string[] = [];
  for (const field of Object.keys(given).sort()) {
    if (!(drainOptionNames as string[]).includes(field)) {
      failures.push(`drain.${field} ${unknownNameReason(field, drainOptionNames, "a drain option")}`);
    }
  }
  const merged: Record<string, unknown> = { ...defaultDrainOptions };
  for (const field of drainOptionNames) {
    const value = given[field];
    if (value === undefined) continue;
    const broken = rules[field](value);
    if (broken) failures.push(`drain.${field} ${broken}`);
    merged[field] = value;
  }
  return failures.length > 0 ? { ok: false, failures } : { ok: true, options: merged as unknown as DrainOptions };
}
