// Narrow domain types for the drain core. The Kubernetes adapter maps API objects onto these, so the
// pure code never imports @kubernetes/client-node (ESM-only, huge generated types). Only the fields
// the drain decisions and the capacity check read are here.

/** A namespaced object, printed as `namespace/name` in every message. */
export interface ObjectRef {
  readonly namespace: string;
  readonly name: string;
}

/** metadata.ownerReferences[]; only the controller reference matters to the drain. */
export interface OwnerReference {
  /** `apps/v1` for a DaemonSet of Kubernetes; another group's kind of the same name is not one. */
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  /** True on the one reference that names the managing controller. */
  readonly controller?: boolean;
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

/** A resource list as the API writes it: resource name to quantity string (`cpu: "500m"`). */
export type ResourceQuantities = Readonly<Record<string, string>>;

export interface Container {
  readonly name: string;
  /** resources.requests; limits do not matter to scheduling. */
  readonly requests?: ResourceQuantities;
  /** Only on init containers: `Always` makes it a sidecar that runs for the pod's whole life. */
  readonly restartPolicy?: string;
}

export interface PodVolume {
  readonly name: string;
  /** True for an `emptyDir` volume, whose data lives on the node and dies with the pod. */
  readonly emptyDir: boolean;
}

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffect;
}

export interface Toleration {
  /** Empty or absent with operator `Exists` tolerates every taint. */
  readonly key?: string;
  /** @default "Equal" */
  readonly operator?: "Exists" | "Equal";
  readonly value?: string;
  /** Empty or absent matches every effect. */
  readonly effect?: TaintEffect | "";
}

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
  readonly values?: readonly string[];
}

/** One term of requiredDuringSchedulingIgnoredDuringExecution; the terms are ORed. */
export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[];
  /** Only `metadata.name` exists as a node field. */
  readonly matchFields?: readonly NodeSelectorRequirement[];
}

/** The parts of a pod spec the scheduler's resource, taint, selector and node affinity filters read. */
export interface PodSchedulingSpec {
  readonly phase: PodPhase;
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  /** spec.overhead, set by the RuntimeClass admission plugin. */
  readonly overhead?: ResourceQuantities;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  /** spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms */
  readonly requiredNodeAffinity?: readonly NodeSelectorTerm[];
}

/** A pod bound to the node being drained. */
export interface DrainPod extends ObjectRef, PodSchedulingSpec {
  readonly uid?: string;
  /** metadata.deletionTimestamp: set once someone asked to delete the pod. */
  readonly deletionTimestamp?: Date;
  readonly annotations?: Readonly<Record<string, string>>;
  /** metadata.labels: which PodDisruptionBudgets select the pod. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly volumes?: readonly PodVolume[];
  /** spec.priorityClassName: the cluster's own critical pods are evicted last. */
  readonly priorityClassName?: string;
  /** Its Ready condition is True: only such a pod counts as healthy in a PDB's budget. */
  readonly ready?: boolean;
}

/** A node that stays in the cluster, with the pods already bound to it. */
export interface ClusterNode {
  readonly name: string;
  /** spec.unschedulable (cordoned). */
  readonly unschedulable?: boolean;
  /** metadata.annotations: our drain phase marks a node that is leaving (see scale-in.ts). */
  readonly annotations?: Readonly<Record<string, string>>;
  /** The Ready condition is True. */
  readonly ready: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly Taint[];
  /** status.allocatable: at least `cpu`, `memory` and `pods`. */
  readonly allocatable: ResourceQuantities;
  /** Every pod bound to the node; finished ones (Succeeded/Failed) are ignored, as the scheduler does. */
  readonly pods: readonly PodSchedulingSpec[];
}

/** What the drain and its budget do besides calling the cluster: read the time, wait, say how it goes. */
export interface DrainEffects {
  now(): Date;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
}

export function refOf(object: ObjectRef): string {
  return `${object.namespace}/${object.name}`;
}

/** Orders objects by namespace, then name, so every list in a message is stable. */
export function byRef(a: ObjectRef, b: ObjectRef): number {
  return compareText(a.namespace, b.namespace) || compareText(a.name, b.name);
}

/** Plain code-unit order, independent of the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isFinished(pod: { readonly phase: PodPhase }): boolean {
  return pod.phase === "Succeeded" || pod.phase === "Failed";
}

/**
 * An owner reference to a Kubernetes DaemonSet, as kubectl's drain decides it since 1.34
 * (pkg/drain/filters.go isControllerRefDaemonSet, kubectl 1.36.3): kind `DaemonSet` and apiVersion
 * exactly `apps/v1`. A custom resource that happens to be called `DaemonSet` (e.g. OpenKruise's
 * `apps.kruise.io`), or a reference of another version, is a normal controller, so its pods are
 * evicted like any other controlled pod.
 */
export function isDaemonSetOwner(owner: OwnerReference | undefined): owner is OwnerReference {
  return owner?.kind === "DaemonSet" && owner.apiVersion === "apps/v1";
}
