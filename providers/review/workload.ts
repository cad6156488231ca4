// The workload a pod belongs to, as a reviewer names it: the Deployment behind a ReplicaSet, else
// the controller itself. Pure: a ReplicaSet created by a Deployment is named
// "<deployment>-<pod-template-hash>", and the pod carries that hash as a label, so no API read is
// needed to find the Deployment.
import type { DrainPod } from "../drain/types";

export interface Workload {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export const podTemplateHashLabel = "pod-template-hash";

export function workloadOf(pod: DrainPod): Workload | undefined {
  const controller = pod.ownerReferences?.find((owner) => owner.controller === true);
  if (!controller) return undefined;
  const hash = pod.labels?.[podTemplateHashLabel];
  if (controller.kind === "ReplicaSet" && hash && controller.name.endsWith(`-${hash}`)) {
    return { kind: "Deployment", namespace: pod.namespace, name: controller.name.slice(0, -(hash.length + 1)) };
  }
  return { kind: controller.kind, namespace: pod.namespace, name: controller.name };
}

export function workloadKey(workload: Workload): string {
  return `${workload.kind} ${workload.namespace}/${workload.name}`;
}
