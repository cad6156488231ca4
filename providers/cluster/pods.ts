// Pod reads: the pods of a Node (to drain it), Pending pods of a namespace (why a replacement is not
// placed), and the namespaces being deleted (whose pods cannot be evicted).
import * as k8s from "@kubernetes/client-node";
import type { PendingPodView } from "../drain/replacements";
import type { DrainPod } from "../drain/types";
import type { ApiContext } from "./api-calls";
import { toDrainPod, toPendingPodView } from "./pod-view";

export interface PodApi {
  /** Every pod bound to the node, in any phase. */
  listPodsOnNode(name: string): Promise<DrainPod[]>;
  /** Pods of the namespace in phase Pending, with their PodScheduled condition. */
  listPendingPods(namespace: string): Promise<PendingPodView[]>;
  terminatingNamespaces(): Promise<Set<string>>;
}

export function podApi({ config, calls }: ApiContext): PodApi {
  const core = config.makeApiClient(k8s.CoreV1Api);
  return {
    async listPodsOnNode(name) {
      const list = await calls.call(`listing the pods of Node ${name}`, () => core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` }));
      return list.items.map(toDrainPod);
    },
    async listPendingPods(namespace) {
      const list = await calls.call(`listing Pending pods of namespace ${namespace}`, () =>
        core.listNamespacedPod({ namespace, fieldSelector: "status.phase=Pending" }),
      );
      return list.items.map((pod) => toPendingPodView(pod, namespace));
    },
    async terminatingNamespaces() {
      const list = await calls.call("listing namespaces", () => core.listNamespace({}));
      return new Set(list.items.filter((n) => n.metadata?.deletionTimestamp).map((n) => n.metadata?.name ?? ""));
    },
  };
}
