// A Node as the provider reads it: the API object mapped onto the narrow domain types, once, for the
// provider's calls and for the preview's read-only snapshot alike.
import type * as k8s from "@kubernetes/client-node";
import type { ClusterNode } from "../drain/types";
import type { Taint, TaintEffect } from "../worker-node/inputs";

export interface NodeView {
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
  readonly ready: boolean;
  /** Reason and message of the Ready condition, for messages. */
  readonly readyDetail: string;
  readonly kubeletVersion: string;
  readonly containerRuntimeVersion: string;
  readonly machineId: string;
  /** Every condition the kubelet reports (Ready, MemoryPressure…), for messages. */
  readonly conditions?: readonly NodeCondition[];
  /** status.capacity and status.allocatable, as quantities (cpu "4", memory "8Gi"). */
  readonly capacity?: Readonly<Record<string, string>>;
  readonly allocatable?: Readonly<Record<string, string>>;
  /** metadata.resourceVersion: changes with every write to the Node. */
  readonly resourceVersion?: string;
}

export interface NodeCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

/** A resource list (`cpu: 500m`) with every quantity as the string the API wrote. */
export function quantities(list: Record<string, unknown> | undefined): Record<string, string> | undefined {
  return list ? Object.fromEntries(Object.entries(list).map(([k, v]) => [k, String(v)])) : undefined;
}

function toTaint(t: k8s.V1Taint): Taint {
  return { key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect as TaintEffect };
}

export function toNodeView(node: k8s.V1Node): NodeView {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  return {
    name: node.metadata?.name ?? "",
    uid: node.metadata?.uid ?? "",
    labels: node.metadata?.labels ?? {},
    annotations: node.metadata?.annotations ?? {},
    taints: (node.spec?.taints ?? []).map(toTaint),
    unschedulable: node.spec?.unschedulable === true,
    ready: ready?.status === "True",
    readyDetail: ready ? `${ready.status}${ready.reason ? ` (${ready.reason}${ready.message ? `: ${ready.message}` : ""})` : ""}` : "no Ready condition yet",
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? "",
    containerRuntimeVersion: node.status?.nodeInfo?.containerRuntimeVersion ?? "",
    machineId: node.status?.nodeInfo?.machineID ?? "",
    conditions: (node.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
    capacity: quantities(node.status?.capacity) ?? {},
    allocatable: quantities(node.status?.allocatable) ?? {},
    resourceVersion: node.metadata?.resourceVersion ?? "",
  };
}

/** A Node as a place evicted pods could go, with what the scale-in report reads of it too. */
export interface ClusterNodeView extends ClusterNode {
  readonly annotations: Readonly<Record<string, string>>;
  readonly kubeletVersion: string;
}

export function toClusterNode(node: k8s.V1Node, pods: ClusterNode["pods"]): ClusterNodeView {
  const view = toNodeView(node);
  return {
    name: view.name,
    unschedulable: view.unschedulable,
    annotations: view.annotations,
    ready: view.ready,
    labels: view.labels,
    taints: view.taints,
    kubeletVersion: view.kubeletVersion,
    allocatable: quantities(node.status?.allocatable) ?? {},
    pods,
  };
}
