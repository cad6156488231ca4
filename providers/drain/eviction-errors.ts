// What an eviction error means for the drain, decided the way kubectl's pkg/drain (evictPods) does:
// a 429 is a PodDisruptionBudget refusal and is retried; a 403 is retried only when its cause is
// NamespaceTerminating (the namespace controller is about to delete the pod anyway); everything
// else stops the drain at once with the cause, because retrying cannot fix a missing permission or
// a pod two PodDisruptionBudgets select. Two additions, both transient by nature: no HTTP answer
// at all (connection reset) and 503/504 from the API server are retried until the deadline.
import { refOf, type ObjectRef } from "./types";

/** The parts of a failed eviction (a Kubernetes Status) the verdict reads. */
export interface EvictionFailure {
  /** HTTP status; undefined when no answer came (connection refused, reset, TLS). */
  readonly status: number | undefined;
  /** Status.reason, e.g. `Forbidden`, `InternalError`. */
  readonly reason?: string;
  /** Status.details.causes[].reason, e.g. `NamespaceTerminating`. */
  readonly causes?: readonly string[];
  /** Status.message (or the transport error's message). */
  readonly message: string;
}

export type EvictionVerdict =
  /** Try again after a pause (within the drain's deadline). */
  | { readonly action: "retry"; readonly why: string }
  /** Stop evicting this pod and wait for it to go: it is being deleted already. */
  | { readonly action: "wait-for-deletion" }
  /** Stop the drain now. `multiplePdbs`: the caller names the PDBs that select the pod. */
  | { readonly action: "fail"; readonly message: string; readonly multiplePdbs?: true };

export const namespaceTerminatingCause = "NamespaceTerminating";

/** The authorizer's words when RBAC denies the eviction (k8s.io/apiserver's forbidden message). */
const rbacRefusal = /cannot create resource "pods\/eviction"/;

/** The API server's words for a pod covered by more than one PDB (pkg/registry/core/pod/storage/eviction.go). */
const multiplePdbsText = /more than one PodDisruptionBudget/i;

export function judgeEvictionFailure(failure: EvictionFailure, pod: ObjectRef & { readonly deletionTimestamp?: Date }): EvictionVerdict {
  const { status } = failure;
  if (status === 403 && (failure.causes ?? []).includes(namespaceTerminatingCause)) {
    return pod.deletionTimestamp ? { action: "wait-for-deletion" } : { action: "retry", why: `namespace ${pod.namespace} is terminating` };
  }
  // RBAC's refusal reads `... cannot create resource "pods/eviction" ...`; any other 403 (an
  // admission webhook, a policy) is reported in the API's words, not as a missing permission.
  if (status === 403 && !rbacRefusal.test(failure.message)) {
    return { action: "fail", message: `eviction of pod ${refOf(pod)} was refused (HTTP 403${failure.reason ? ` ${failure.reason}` : ""}): ${failure.message}` };
  }
  if (status === 403) {
    return {
      action: "fail",
      message:
        `eviction of pod ${refOf(pod)} was refused (HTTP 403): the kubeconfig's identity lacks permission to create ` +
        `pods/eviction (verb "create", resource "pods", subresource "eviction") in namespace ${pod.namespace}. ` +
        "Grant it (a ClusterRole with pods/eviction create, as cluster-admin has) or use a kubeconfig that has it. " +
        `The API said: ${failure.message}`,
    };
  }
  if (status === 500 && multiplePdbsText.test(failure.message)) {
    return {
      action: "fail",
      multiplePdbs: true,
      message:
        `pod ${refOf(pod)} is selected by more than one PodDisruptionBudget, which the Eviction API refuses (HTTP 500) and no retry fixes. ` +
        "Change the PDBs' selectors so that at most one selects it, or set drain.disableEviction: true to delete pods without the PDB check.",
    };
  }
  if (status === undefined) return { action: "retry", why: `no answer from the API server (${failure.message})` };
  if (status === 503 || status === 504) return { action: "retry", why: `API server unavailable (HTTP ${status})` };
  return { action: "fail", message: `eviction of pod ${refOf(pod)} failed (HTTP ${status}${failure.reason ? ` ${failure.reason}` : ""}): ${failure.message}` };
}
