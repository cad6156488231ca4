// Removing a pod: through the Eviction API, which honours PodDisruptionBudgets, or by a plain DELETE
// when the user asked for it; either answer is mapped onto one outcome the drain decides on.
import * as k8s from "@kubernetes/client-node";
import type { ObjectRef } from "../drain/types";
import { describeApiError, statusBody, statusOf, type ApiContext } from "./api-calls";

export type EvictionOutcome =
  | { readonly kind: "evicted" }
  /** 404: nothing left to evict. */
  | { readonly kind: "gone" }
  /** 429: a PodDisruptionBudget refused; `pdb` is its name when the API said which. */
  | { readonly kind: "pdb"; readonly pdb: string | undefined; readonly message: string }
  | {
      readonly kind: "error";
      readonly status: number | undefined;
      /** Status.reason and Status.details.causes[].reason (e.g. NamespaceTerminating). */
      readonly reason?: string;
      readonly causes?: readonly string[];
      readonly message: string;
    };

export interface EvictionApi {
  /** POST .../pods/<name>/eviction: the API server checks the PodDisruptionBudgets. */
  evictPod(pod: ObjectRef, gracePeriodSeconds: number | undefined): Promise<EvictionOutcome>;
  /** Plain DELETE, which ignores PodDisruptionBudgets: only when the user asked (drain.disableEviction). */
  deletePod(pod: ObjectRef, gracePeriodSeconds: number | undefined): Promise<EvictionOutcome>;
}

async function removePod(action: () => Promise<unknown>): Promise<EvictionOutcome> {
  try {
    await action();
    return { kind: "evicted" };
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return { kind: "gone" };
    if (status === 429) {
      const body = JSON.stringify((error as k8s.ApiException<unknown>).body ?? "");
      const pdb = /disruption budget ([a-z0-9]([-a-z0-9.]*[a-z0-9])?)/i.exec(body)?.[1];
      return { kind: "pdb", pdb, message: describeApiError(error) };
    }
    const body = statusBody(error);
    return {
      kind: "error",
      status,
      ...(body?.reason ? { reason: body.reason } : {}),
      causes: (body?.details?.causes ?? []).flatMap((c) => (c.reason ? [c.reason] : [])),
      message: body?.message ?? describeApiError(error),
    };
  }
}

export function evictionApi({ config }: ApiContext): EvictionApi {
  const core = config.makeApiClient(k8s.CoreV1Api);
  return {
    evictPod(pod, gracePeriodSeconds) {
      return removePod(() =>
        core.createNamespacedPodEviction({
          name: pod.name,
          namespace: pod.namespace,
          body: {
            apiVersion: "policy/v1",
            kind: "Eviction",
            metadata: { name: pod.name, namespace: pod.namespace },
            ...(gracePeriodSeconds !== undefined ? { deleteOptions: { gracePeriodSeconds } } : {}),
          },
        }),
      );
    },
    deletePod(pod, gracePeriodSeconds) {
      return removePod(() => core.deleteNamespacedPod({ name: pod.name, namespace: pod.namespace, ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}) }));
    },
  };
}
