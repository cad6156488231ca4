import type { NodeView } from "../cluster/kube-api";
import { formatSeconds } from "../drain/duration";
import { lifecycleTaintsHeld } from "./node-readiness";

/** One condition as `Ready=False (KubeletNotReady: container runtime is down)`. */
function conditionLine(c: { type: string; status: string; reason?: string; message?: string }): string {
  const detail = [c.reason, c.message].filter(Boolean).join(": ");
  return `${c.type}=${c.status}${detail ? ` (${detail})` : ""}`;
}

/**
 * Why a join did not end Ready within joinTimeout: the Node's conditions when it registered (Ready
 * first), or the node lifecycle taints still on a Ready Node, and the host's kubelet and containerd
 * log lines that say why.
 */
export function notReadyMessage(nodeName: string, node: NodeView | undefined, timeoutSeconds: number, hostLogs: string): string {
  const within = formatSeconds(timeoutSeconds);
  const held = node?.ready ? lifecycleTaintsHeld(node) : undefined;
  if (held) {
    return (
      `Node ${nodeName} is Ready but did not take pods within joinTimeout (${within}): ${held}.\n${hostLogs}\n` +
      "Check kube-controller-manager (its node lifecycle controller lifts these taints once it sees the Node Ready), or raise joinTimeout."
    );
  }
  const head = node
    ? `Node ${nodeName} registered but was not Ready within joinTimeout (${within}); its conditions:\n${
        node.conditions && node.conditions.length > 0
          ? [...node.conditions].sort((a, b) => Number(b.type === "Ready") - Number(a.type === "Ready")).map((c) => `    ${conditionLine(c)}`).join("\n")
          : `    none reported yet (Ready: ${node.readyDetail})`
      }`
    : `Node ${nodeName} did not register within joinTimeout (${within}) after kubeadm join`;
  return `${head}\n${hostLogs}\nCheck the kubelet and the container runtime on the host, or raise joinTimeout.`;
}
