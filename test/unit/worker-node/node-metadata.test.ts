import type { NodeView } from "../../../providers/cluster/kube-api";
import { planNodeMetadata } from "../../../providers/worker-node/node-metadata";

function node(overrides: Partial<NodeView>): NodeView {
  return {
    name: "lab-host-1", uid: "u", labels: {}, annotations: {}, taints: [], unschedulable: false, ready: true,
    readyDetail: "True", kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://1.6.20", machineId: "m",
    ...overrides,
  };
}
const managed = (labels: string[], taints: string[]) => ({
  "kubeadm-workers.io/managed-labels": JSON.stringify(labels),
  "kubeadm-workers.io/managed-taints": JSON.stringify(taints),
});

test.each<{ description: string; current: NodeView; labels: Record<string, string>; taints: { key: string; value?: string; effect: "NoSchedule" | "NoExecute" }[]; expected: unknown }>([
  {
    description: "adds declared labels and records them as ours",
    current: node({ labels: { "kubernetes.io/hostname": "lab-host-1" } }),
    labels: { tier: "web" }, taints: [],
    expected: { labels: { tier: "web" }, annotations: managed(["tier"], []) },
  },
  {
    description: "removes a label we set before and no longer declare, keeps others' labels",
    current: node({ labels: { tier: "web", team: "ops", "kubernetes.io/hostname": "x" }, annotations: managed(["team", "tier"], []) }),
    labels: { tier: "web" }, taints: [],
    expected: { labels: { team: null }, annotations: { "kubeadm-workers.io/managed-labels": '["tier"]' } },
  },
  {
    description: "changes a label value",
    current: node({ labels: { tier: "web" }, annotations: managed(["tier"], []) }),
    labels: { tier: "api" }, taints: [],
    expected: { labels: { tier: "api" } },
  },
  {
    description: "replaces our taint and keeps the node controller's",
    current: node({
      taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }, { key: "dedicated", value: "web", effect: "NoSchedule" }],
      annotations: managed([], ["dedicated:NoSchedule"]),
    }),
    labels: {}, taints: [{ key: "dedicated", value: "api", effect: "NoSchedule" as const }],
    expected: {
      taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }, { key: "dedicated", value: "api", effect: "NoSchedule" }],
    },
  },
  {
    description: "drops a taint we no longer declare",
    current: node({ taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }], annotations: managed([], ["dedicated:NoSchedule"]) }),
    labels: {}, taints: [],
    expected: { taints: [], annotations: { "kubeadm-workers.io/managed-taints": "[]" } },
  },
  {
    description: "adopts a taint already present from registration without duplicating it",
    current: node({ taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }] }),
    labels: {}, taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" as const }],
    expected: { annotations: managed([], ["dedicated:NoSchedule"]) },
  },
])("$description", ({ current, labels, taints, expected }) => {
  expect(planNodeMetadata(current, labels, taints)).toEqual(expected);
});

test("returns nothing when the node already matches", () => {
  const current = node({
    labels: { tier: "web" },
    taints: [{ key: "dedicated", effect: "NoSchedule" }],
    annotations: managed(["tier"], ["dedicated:NoSchedule"]),
  });
  expect(planNodeMetadata(current, { tier: "web" }, [{ key: "dedicated", effect: "NoSchedule" }])).toBeUndefined();
});
