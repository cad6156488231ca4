import type { NodeView } from "../../../providers/cluster/kube-api";
import { notReadyMessage } from "../../../providers/worker-node/not-ready";

const node: NodeView = {
  name: "worker-1", uid: "u", labels: {}, annotations: {}, taints: [], unschedulable: false, ready: false,
  readyDetail: "False (KubeletNotReady: container runtime is down)", kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://2.1.4", machineId: "m-1",
  conditions: [
    { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available" },
    { type: "Ready", status: "False", reason: "KubeletNotReady", message: "container runtime is down" },
    { type: "PIDPressure", status: "Unknown" },
  ],
};
const logs = "  last lines of the kubelet log on 10.0.0.21:22 (journalctl -u kubelet -n 30):\n    E1130 runtime down";

test("a registered Node that is not Ready: its conditions, Ready first, then the host's logs", () => {
  expect(notReadyMessage("worker-1", node, 600, logs)).toBe(
    [
      "Node worker-1 registered but was not Ready within joinTimeout (10m); its conditions:",
      "    Ready=False (KubeletNotReady: container runtime is down)",
      "    MemoryPressure=False (KubeletHasSufficientMemory: kubelet has sufficient memory available)",
      "    PIDPressure=Unknown",
      logs,
      "Check the kubelet and the container runtime on the host, or raise joinTimeout.",
    ].join("\n"),
  );
});

test("a Node without conditions yet", () => {
  expect(notReadyMessage("worker-1", { ...node, conditions: [], readyDetail: "no Ready condition yet" }, 90, logs)).toMatch(
    /within joinTimeout \(1m30s\); its conditions:\n {4}none reported yet \(Ready: no Ready condition yet\)/,
  );
});

test("a Node that never registered", () => {
  expect(notReadyMessage("worker-1", undefined, 60, logs)).toMatch(/^Node worker-1 did not register within joinTimeout \(1m\) after kubeadm join\n {2}last lines of the kubelet log/);
});
