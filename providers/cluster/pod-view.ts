// A pod as the drain and the review read it: the API object mapped onto the narrow domain types.
import type * as k8s from "@kubernetes/client-node";
import type { PendingPodView } from "../drain/replacements";
import type { Container, DrainPod, PodPhase, Toleration } from "../drain/types";
import { quantities } from "./node-view";

function toContainer(c: k8s.V1Container): Container {
  const requests = quantities(c.resources?.requests);
  return {
    name: c.name,
    ...(requests ? { requests } : {}),
    ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
  };
}

export function toDrainPod(pod: k8s.V1Pod): DrainPod {
  const spec = pod.spec;
  const affinity = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const overhead = quantities(spec?.overhead);
  return {
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}),
    ...(pod.metadata?.deletionTimestamp ? { deletionTimestamp: new Date(pod.metadata.deletionTimestamp) } : {}),
    annotations: pod.metadata?.annotations ?? {},
    labels: pod.metadata?.labels ?? {},
    ownerReferences: (pod.metadata?.ownerReferences ?? []).map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name, ...(o.controller ? { controller: true } : {}) })),
    ...(spec?.priorityClassName ? { priorityClassName: spec.priorityClassName } : {}),
    volumes: (spec?.volumes ?? []).map((v) => ({ name: v.name, emptyDir: v.emptyDir !== undefined })),
    phase: (pod.status?.phase ?? "Unknown") as PodPhase,
    ready: pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
    containers: (spec?.containers ?? []).map(toContainer),
    initContainers: (spec?.initContainers ?? []).map(toContainer),
    ...(overhead ? { overhead } : {}),
    nodeSelector: spec?.nodeSelector ?? {},
    tolerations: (spec?.tolerations ?? []).map((t) => t as Toleration),
    ...(affinity ? { requiredNodeAffinity: affinity as DrainPod["requiredNodeAffinity"] } : {}),
  };
}

/** A Pending pod with its PodScheduled condition: why a replacement is not placed. */
export function toPendingPodView(pod: k8s.V1Pod, namespace: string): PendingPodView {
  const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
  return {
    namespace,
    name: pod.metadata?.name ?? "",
    ownerReferences: (pod.metadata?.ownerReferences ?? []).map((o) => ({ kind: o.kind, name: o.name, ...(o.controller ? { controller: true } : {}) })),
    ...(scheduled
      ? { scheduled: { status: scheduled.status, ...(scheduled.reason ? { reason: scheduled.reason } : {}), ...(scheduled.message ? { message: scheduled.message } : {}) } }
      : {}),
  };
}
