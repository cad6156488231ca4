import type { NodeView } from "../../../providers/cluster/kube-api";
import type { Taint } from "../../../providers/worker-node/inputs";
import { observeManagedMetadata, summarizeNode } from "../../../providers/worker-node/node-status";

function node(extra: Partial<NodeView> = {}): NodeView {
  return {
    name: "web-1", uid: "u", labels: { tier: "web", "kubernetes.io/hostname": "web-1" }, annotations: {}, taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }],
    unschedulable: false, ready: true, readyDetail: "True", kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://2.1.4", machineId: "m-1", ...extra,
  };
}

const declared = { labels: { tier: "web" }, taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }] as Taint[] };

describe("observeManagedMetadata: drift of the labels and taints we manage", () => {
  test.each<[string, Partial<NodeView>, { labels: Record<string, string>; taints: Taint[]; drift: string[] }]>([
    ["none", {}, { labels: { tier: "web" }, taints: declared.taints, drift: [] }],
    ["a label someone else added is not ours: no drift", { labels: { tier: "web", team: "x" } }, { labels: { tier: "web" }, taints: declared.taints, drift: [] }],
    ["a managed label changed", { labels: { tier: "edge" } }, { labels: { tier: "edge" }, taints: declared.taints, drift: ['label tier is "edge", declared "web"'] }],
    ["a managed label removed", { labels: {} }, { labels: {}, taints: declared.taints, drift: ['label tier is missing, declared "web"'] }],
    ["a managed taint removed", { taints: [] }, { labels: { tier: "web" }, taints: [], drift: ["taint dedicated=web:NoSchedule is missing"] }],
    [
      "a managed taint with another value",
      { taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }] },
      { labels: { tier: "web" }, taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }], drift: ["taint dedicated=batch:NoSchedule differs, declared dedicated=web:NoSchedule"] },
    ],
    [
      "a taint someone else added beside ours is not reported",
      { taints: [...declared.taints, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }] },
      { labels: { tier: "web" }, taints: declared.taints, drift: [] },
    ],
  ])("%s", (_, extra, expected) => {
    expect(observeManagedMetadata(declared, node(extra))).toEqual(expected);
  });
});

describe("summarizeNode: the status a refresh records", () => {
  test("conditions, capacity and allocatable, versions; a cordon without our drain is someone else's", () => {
    const summary = summarizeNode(
      node({
        unschedulable: true,
        conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }, { type: "MemoryPressure", status: "False" }],
        capacity: { cpu: "2", memory: "4025880Ki", pods: "110" },
        allocatable: { cpu: "2", memory: "3923480Ki", pods: "110" },
      }),
    );
    expect(summary).toEqual({
      ready: true,
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }, { type: "MemoryPressure", status: "False" }],
      capacity: { cpu: "2", memory: "4025880Ki", pods: "110" },
      allocatable: { cpu: "2", memory: "3923480Ki", pods: "110" },
      unschedulable: true,
      cordonedByOthers: true,
      kubeletVersion: "v1.36.3",
      containerRuntimeVersion: "containerd://2.1.4",
    });
  });

  test("a cordon of our unfinished drain is not someone else's", () => {
    expect(summarizeNode(node({ unschedulable: true, annotations: { "kubeadm-workers.io/drain-phase": "timed-out" } })).cordonedByOthers).toBe(false);
  });
});
