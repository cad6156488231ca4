// When a joined or upgraded Node takes pods: the kubelet reports Ready, and the node lifecycle
// controller has lifted the taints it keeps on a Node it has not yet seen Ready. Between the two,
// the Node still tells the scheduler, and anything that reads its taints, that it is not ready.
// Pure: the waits in create.ts and upgrade.ts poll it.
import type { NodeView } from "../cluster/kube-api";
import { taintText } from "./inputs";

/** The taints kube-controller-manager's node lifecycle controller sets and lifts with the Ready condition. */
export const nodeLifecycleTaintKeys: readonly string[] = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

/** Why the lifecycle taints on a Ready Node are still there; undefined when none is. */
export function lifecycleTaintsHeld(node: NodeView): string | undefined {
  const held = node.taints.filter((t) => nodeLifecycleTaintKeys.includes(t.key));
  return held.length === 0 ? undefined : `the node lifecycle controller (kube-controller-manager) has not lifted ${held.map(taintText).join(", ")} yet`;
}

/** What still keeps pods off the Node, for waits and their messages; undefined when it takes pods. */
export function readinessGap(node: NodeView): string | undefined {
  if (!node.ready) return `Ready: ${node.readyDetail}`;
  const held = lifecycleTaintsHeld(node);
  return held && `Ready, but ${held}`;
}
