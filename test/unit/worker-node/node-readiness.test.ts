import type { NodeView } from "../../../providers/cluster/kube-api";
import { readinessGap } from "../../../providers/worker-node/node-readiness";

const node: NodeView = {
  name: "worker-1", uid: "u", labels: {}, annotations: {}, taints: [], unschedulable: false, ready: true, readyDetail: "True (KubeletReady)",
  kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://2.1.4", machineId: "m-1",
};

test.each<[string, Partial<NodeView>, string | undefined]>([
  ["Ready without lifecycle taints takes pods", {}, undefined],
  ["our own and others' taints do not hold it", { taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }] }, undefined],
  ["not Ready: the Ready condition says why", { ready: false, readyDetail: "False (KubeletNotReady: container runtime is down)" }, "Ready: False (KubeletNotReady: container runtime is down)"],
  [
    "Ready, but still tainted not-ready by the node lifecycle controller",
    { taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }] },
    "Ready, but the node lifecycle controller (kube-controller-manager) has not lifted node.kubernetes.io/not-ready:NoExecute yet",
  ],
  [
    "Ready, but still tainted unreachable (both effects named)",
    { taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }, { key: "node.kubernetes.io/unreachable", effect: "NoExecute" }] },
    "Ready, but the node lifecycle controller (kube-controller-manager) has not lifted node.kubernetes.io/unreachable:NoSchedule, node.kubernetes.io/unreachable:NoExecute yet",
  ],
])("%s", (_, change, gap) => {
  expect(readinessGap({ ...node, ...change })).toBe(gap);
});
