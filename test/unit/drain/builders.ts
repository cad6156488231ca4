// Small builders for drain test data: a healthy ReplicaSet pod and a Ready node, changed per case.
import type { ClusterNode, DrainPod, OwnerReference } from "../../../providers/drain/types";

const apiVersionOf: Record<string, string> = { ReplicaSet: "apps/v1", StatefulSet: "apps/v1", DaemonSet: "apps/v1", Job: "batch/v1" };

/** A controller reference as the API writes it; `apiVersion` defaults to the kind's Kubernetes group. */
export const controlledBy = (kind: string, name: string, apiVersion = apiVersionOf[kind] ?? "v1"): OwnerReference[] => [{ apiVersion, kind, name, controller: true }];

/** `ns/name` (or `name` in `default`), Running, owned by a ReplicaSet, no volumes. */
export function pod(ref: string, changes: Partial<DrainPod> = {}): DrainPod {
  const [namespace, name] = ref.includes("/") ? ref.split("/") : ["default", ref];
  return {
    namespace,
    name,
    phase: "Running",
    containers: [{ name: "app" }],
    ownerReferences: controlledBy("ReplicaSet", `${name}-rs`),
    ...changes,
  };
}

/** A pod asking for these requests (`{ cpu: "500m", memory: "256Mi" }`). */
export function podRequesting(ref: string, requests: Record<string, string>, changes: Partial<DrainPod> = {}): DrainPod {
  return pod(ref, { containers: [{ name: "app", requests }], ...changes });
}

/** A Ready, schedulable node with 2 cpu, 4Gi, 110 pods and nothing on it. */
export function node(name: string, changes: Partial<ClusterNode> = {}): ClusterNode {
  return {
    name,
    ready: true,
    labels: { "kubernetes.io/hostname": name },
    allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
    pods: [],
    ...changes,
  };
}
