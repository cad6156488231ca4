// The controllers behind evicted pods: whether a ReplicaSet or StatefulSet is Ready again, and whether
// a pod's DaemonSet still exists (an orphaned DaemonSet pod is drained like an unmanaged one).
import * as k8s from "@kubernetes/client-node";
import type { ApiContext } from "./api-calls";

export interface WorkloadOwnerApi {
  /** Ready and desired replicas of a ReplicaSet or StatefulSet; undefined for other kinds or when gone. */
  ownerReadiness(namespace: string, kind: string, name: string): Promise<{ ready: number; desired: number } | undefined>;
  daemonSetExists(namespace: string, name: string): Promise<boolean>;
}

export function workloadOwnerApi({ config, calls }: ApiContext): WorkloadOwnerApi {
  const apps = config.makeApiClient(k8s.AppsV1Api);
  return {
    async ownerReadiness(namespace, kind, name) {
      const read =
        kind === "ReplicaSet" ? () => apps.readNamespacedReplicaSet({ name, namespace })
        : kind === "StatefulSet" ? () => apps.readNamespacedStatefulSet({ name, namespace })
        : undefined;
      const owner = read && (await calls.unlessAbsent(`reading ${kind} ${namespace}/${name}`, read));
      return owner && { ready: owner.status?.readyReplicas ?? 0, desired: owner.spec?.replicas ?? 1 };
    },
    async daemonSetExists(namespace, name) {
      const daemonSet = await calls.unlessAbsent(`reading DaemonSet ${namespace}/${name}`, () => apps.readNamespacedDaemonSet({ name, namespace }));
      return daemonSet !== undefined;
    },
  };
}
