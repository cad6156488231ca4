// Coordination Leases: the drain budget's semaphore slots, written with optimistic concurrency.
import * as k8s from "@kubernetes/client-node";
import { statusOf, type ApiContext } from "./api-calls";

export interface LeaseView {
  readonly namespace: string;
  readonly name: string;
  readonly holder: string;
  readonly durationSeconds: number;
  readonly renewTime: Date;
  readonly resourceVersion?: string;
}

export interface LeaseApi {
  readLease(namespace: string, name: string): Promise<LeaseView | undefined>;
  /** Creates the Lease, or replaces it at the given resourceVersion; false when someone else won the race (409). */
  writeLease(lease: LeaseView, resourceVersion?: string): Promise<boolean>;
  deleteLease(namespace: string, name: string): Promise<void>;
}

export function leaseApi({ config, calls }: ApiContext): LeaseApi {
  const coordination = config.makeApiClient(k8s.CoordinationV1Api);
  return {
    async readLease(namespace, name) {
      const lease = await calls.unlessAbsent(`reading Lease ${namespace}/${name}`, () => coordination.readNamespacedLease({ name, namespace }));
      return (
        lease && {
          namespace,
          name,
          holder: lease.spec?.holderIdentity ?? "",
          durationSeconds: lease.spec?.leaseDurationSeconds ?? 0,
          renewTime: lease.spec?.renewTime ? new Date(lease.spec.renewTime) : new Date(0),
          ...(lease.metadata?.resourceVersion ? { resourceVersion: lease.metadata.resourceVersion } : {}),
        }
      );
    },
    async writeLease(lease, resourceVersion) {
      const body: k8s.V1Lease = {
        metadata: { name: lease.name, namespace: lease.namespace, ...(resourceVersion ? { resourceVersion } : {}) },
        spec: {
          holderIdentity: lease.holder,
          leaseDurationSeconds: lease.durationSeconds,
          renewTime: new k8s.V1MicroTime(lease.renewTime.getTime()),
        },
      };
      try {
        if (resourceVersion) await coordination.replaceNamespacedLease({ name: lease.name, namespace: lease.namespace, body });
        else await coordination.createNamespacedLease({ namespace: lease.namespace, body });
        return true;
      } catch (error) {
        if (statusOf(error) === 409) return false;
        throw calls.failure(`writing Lease ${lease.namespace}/${lease.name}`, error);
      }
    },
    async deleteLease(namespace, name) {
      await calls.unlessAbsent(`deleting Lease ${namespace}/${name}`, () => coordination.deleteNamespacedLease({ name, namespace }));
    },
  };
}
