import { endpointAnnotation, hostAnnotation, ownerAnnotation } from "../review/departing";
import type { ClusterInputs, ConnectionInputs, ContainerdInputs, DrainInputs, JoinInputs, PackagesInputs, Taint, WorkerNodeInputs } from "./inputs";

/**
 * What a WorkerNode records in state. `delete` and `update` receive these, not the inputs, so
 * everything they need is here; `connection` and `cluster` hold credentials and are marked secret
 * by the resource class (additionalSecretOutputs).
 */
export interface WorkerNodeOutputs {
  readonly nodeName: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The host key every later connection must present (pinned, or recorded on first use). */
  readonly hostKey: string;
  readonly hostKeyFingerprint: string;
  readonly apiServerEndpoint: string;
  readonly caCertHash: string;
  readonly kubernetesVersion: string;
  readonly kubeletVersion: string;
  readonly containerdVersion: string;
  readonly machineId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly reset: boolean;
  readonly drain: DrainInputs;
  readonly containerd: ContainerdInputs;
  readonly packages: PackagesInputs;
  readonly connection: ConnectionInputs;
  readonly cluster: ClusterInputs;
  /** Join-only inputs as given; absent in state written before it existed. */
  readonly joinInputs?: JoinInputs;
  /** `<project>/<stack>/<resource>` written on the Node (the scale-in report finds it there). */
  readonly owner?: string;
  /** Which inputs were given, for read to rebuild them (see given-inputs.ts); absent in older state. */
  readonly givenInputs?: GivenInputs;
  /**
   * Taken over by `adopt` (never joined by us): its Node carries our owner and host annotations
   * (adopt writes those), but no machine-id or managed-labels annotation until an update.
   */
  readonly adopted?: boolean;
  /** The Node as the last create, update or refresh saw it. */
  readonly nodeStatus?: NodeStatusSummary;
  /**
   * Managed labels and taints that differ from the declared ones, as the last refresh found them
   * (empty: none); the next `pulumi up` restores them.
   */
  readonly drift?: readonly string[];
}

/** The optional inputs given and the host keys as pinned: the rest of the inputs is in the outputs. */
export interface GivenInputs {
  readonly keys: readonly string[];
  readonly hostKey?: string;
  readonly bastionHostKey?: string;
}

/** What `kubectl get node -o yaml` tells an operator, without the timestamps that change every minute. */
export interface NodeStatusSummary {
  readonly ready: boolean;
  readonly conditions: readonly { readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }[];
  readonly capacity: Readonly<Record<string, string>>;
  readonly allocatable: Readonly<Record<string, string>>;
  readonly unschedulable: boolean;
  /** Cordoned by someone else (no drain of ours on it): reported, never undone. */
  readonly cordonedByOthers: boolean;
  readonly kubeletVersion: string;
  readonly containerRuntimeVersion: string;
}

/** Node annotations through which a later run (and a human) recognises a node as ours. */
export const annotations = {
  machineId: "kubeadm-workers.io/machine-id",
  managedLabels: "kubeadm-workers.io/managed-labels",
  managedTaints: "kubeadm-workers.io/managed-taints",
} as const;

/**
 * The annotations through which a preview finds this resource's Node and what would replace it
 * (stacks/scale-in-review.ts): its owner, its host and, for a node we joined, the API endpoint it
 * joined through (an adopted node's is unknown: another tool joined it).
 */
export function ownershipAnnotations(inputs: Pick<WorkerNodeInputs, "owner" | "connection">, joinedThrough?: string): Record<string, string> {
  if (!inputs.owner) return {};
  return { [ownerAnnotation]: inputs.owner, [hostAnnotation]: inputs.connection.host, ...(joinedThrough ? { [endpointAnnotation]: joinedThrough } : {}) };
}
