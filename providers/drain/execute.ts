import type { ClusterApi } from "../cluster/kube-api";
import type { WorkerNodeEffects } from "../worker-node/create";
import { planDrain } from "./classify";
import { defaultDrainOptions } from "./options";
import { refOf } from "./types";

/**
 * Drains a cordoned node. This first version evicts nothing: it removes a node only when no pod
 * would need evicting, and otherwise refuses, naming the pods.
 */
export async function drainNode(cluster: ClusterApi, nodeName: string, effects: WorkerNodeEffects): Promise<void> {
  const pods = await cluster.listPodsOnNode(nodeName);
  const daemonSets = new Set<string>();
  for (const pod of pods) {
    const owner = pod.ownerReferences?.find((o) => o.controller && o.kind === "DaemonSet");
    if (owner && (await cluster.daemonSetExists(pod.namespace, owner.name))) daemonSets.add(`${pod.namespace}/${owner.name}`);
  }
  const plan = planDrain(pods, { node: nodeName, existingDaemonSets: daemonSets, terminatingNamespaces: new Set(), now: effects.now() }, defaultDrainOptions);
  if (plan.blockingError) throw new Error(plan.blockingError);
  if (plan.toEvict.length > 0) {
    throw new Error(
      `Node ${nodeName} still runs ${plan.toEvict.length} pod(s) that would need evicting (${plan.toEvict.map(refOf).join(", ")}); ` +
        `the node stays cordoned: drain it (kubectl drain ${nodeName} --ignore-daemonsets) and run pulumi up again`,
    );
  }
}
