import { defaultDrainOptions } from "../../../providers/drain/options";
import { formatScaleInReport, planScaleInReport, type ReviewPdb, type ScaleInFacts } from "../../../providers/review/scale-in-report";
import type { DrainPod } from "../../../providers/drain/types";
import { workloadOf } from "../../../providers/review/workload";
import { controlledBy, node, pod, podRequesting } from "../drain/builders";

const web = (i: number): DrainPod =>
  podRequesting(`shop/web-7d9f-${i}`, { cpu: "500m" }, { ownerReferences: controlledBy("ReplicaSet", "web-7d9f"), labels: { app: "web", "pod-template-hash": "7d9f" } });
const webPdb: ReviewPdb = { namespace: "shop", name: "web-pdb", selector: { matchLabels: { app: "web" } }, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2 };

const facts = (changes: Partial<ScaleInFacts> = {}): ScaleInFacts => ({
  departing: [{ resource: "worker-2", node: "node-2", action: "delete", pods: [web(1), web(2)] }],
  pdbs: [webPdb, { ...webPdb, name: "other", selector: { matchLabels: { app: "db" } } }],
  existingDaemonSets: new Set(["kube-system/cni"]),
  terminatingNamespaces: new Set(),
  remainingNodes: [node("node-1"), node("node-3")],
  now: new Date("2026-11-30T00:00:00Z"),
  ...changes,
});

describe("workload of a pod", () => {
  test("a ReplicaSet named after its pod-template-hash is a Deployment's", () => {
    expect(workloadOf(web(1))).toEqual({ kind: "Deployment", namespace: "shop", name: "web" });
  });
  test("a ReplicaSet without the hash label stays a ReplicaSet", () => {
    expect(workloadOf({ ...web(1), labels: {} })).toEqual({ kind: "ReplicaSet", namespace: "shop", name: "web-7d9f" });
  });
  test("a naked pod has none", () => {
    expect(workloadOf(pod("naked", { ownerReferences: [] }))).toBeUndefined();
  });
});

describe("scale-in report", () => {
  test("names the pods by workload, the PDB with the disruptions it allows, and the capacity verdict", () => {
    const text = formatScaleInReport(planScaleInReport(facts(), defaultDrainOptions));
    expect(text).toContain("worker-2 (node node-2, removed): 2 pods to evict");
    expect(text).toContain("Deployment shop/web: shop/web-7d9f-1, shop/web-7d9f-2");
    expect(text).toContain("PDB shop/web-pdb: allows 1 disruption now (3 healthy, 2 required; covers 2 pods here)");
    expect(text).not.toContain("shop/other");
    expect(text).toContain("Capacity: the 2 evicted pods fit on the 2 nodes that remain (judged with every departing node out at once).");
  });

  test("a naked pod is a blocker with the option that overrides it", () => {
    const naked = pod("shop/debug", { ownerReferences: [] });
    const report = planScaleInReport(facts({ departing: [{ resource: "worker-2", node: "node-2", action: "delete", pods: [web(1), naked] }] }), defaultDrainOptions);
    const text = formatScaleInReport(report);
    expect(text).toContain("BLOCKED: cannot drain node node-2: 1 pod blocks it:");
    expect(text).toContain("pods not managed by a controller, set drain.force: true to delete them for good: shop/debug");
  });

  test("a PDB that allows nothing says the drain will wait for it", () => {
    const text = formatScaleInReport(planScaleInReport(facts({ pdbs: [{ ...webPdb, disruptionsAllowed: 0, currentHealthy: 2 }] }), defaultDrainOptions));
    expect(text).toContain("PDB shop/web-pdb: allows no disruption now: the drain waits for it");
  });

  test("capacity is judged for every node removed for good together", () => {
    const big = (ref: string): DrainPod => podRequesting(ref, { cpu: "1500m" });
    const report = planScaleInReport(
      facts({
        departing: [
          { resource: "a", node: "node-a", action: "delete", pods: [big("x/one")] },
          { resource: "b", node: "node-b", action: "delete", pods: [big("x/two")] },
        ],
        remainingNodes: [node("node-1")],
      }),
      defaultDrainOptions,
    );
    expect(report.capacity.kind).toBe("short");
    expect(formatScaleInReport(report)).toContain("NOT ENOUGH ROOM");
  });

  test("DaemonSet pods are left in place and capacity can be switched off", () => {
    const ds = pod("kube-system/cni-x", { ownerReferences: controlledBy("DaemonSet", "cni") });
    const report = planScaleInReport(facts({ departing: [{ resource: "w", node: "n", action: "delete", pods: [ds] }] }), { ...defaultDrainOptions, checkCapacity: false });
    const text = formatScaleInReport(report);
    expect(text).toContain("w (node n, removed): 0 pods to evict");
    expect(text).toContain("left in place: 1 DaemonSet or mirror pod");
    expect(text).toContain("Capacity: not checked");
  });

  test("no departing node, no report", () => {
    expect(formatScaleInReport(planScaleInReport(facts({ departing: [] }), defaultDrainOptions))).toBe("");
  });
});

describe("capacity of a replacement (drained, removed, joined anew: the node comes back)", () => {
  const big = (ref: string): DrainPod => podRequesting(ref, { cpu: "1500m" });
  const replaced = (n: string) => ({ resource: n, node: `node-${n}`, action: "replace" as const, pods: [big(`x/${n}`)] });
  const withOwnPod = (n: string) => node(`node-${n}`, { pods: [big(`x/${n}`)] });

  test("every node replaced in one up: each one's pods fit on the others, judged in its own turn", () => {
    const report = planScaleInReport(facts({ departing: [replaced("a"), replaced("b")], remainingNodes: [withOwnPod("a"), withOwnPod("b"), node("node-c")] }), defaultDrainOptions);
    expect(report.capacity).toMatchObject({ kind: "fits", pods: 2 });
    const text = formatScaleInReport(report);
    expect(text).toContain("a (node node-a, replaced: drained, then joined anew)");
    expect(text).toContain("Capacity: the 2 evicted pods fit (judged with every node removed out at once, and each node upgraded or replaced out in its own turn).");
  });

  test("a node replaced is no room for its own pods", () => {
    const report = planScaleInReport(facts({ departing: [replaced("a")], remainingNodes: [withOwnPod("a"), node("node-b", { allocatable: { cpu: "1", memory: "8Gi", pods: "110" } })] }), defaultDrainOptions);
    expect(report.capacity.kind).toBe("short");
  });
});

describe("capacity of an in-place upgrade (the nodes come back)", () => {
  const oneWeb = (n: number) => ({ resource: `worker-${n}`, node: `node-${n}`, action: "upgrade" as const, pods: [web(n)] });
  const everyNode = [node("node-1"), node("node-2"), node("node-3")];

  test("every node upgraded in one up: each one's pods fit on the others, judged in its own turn", () => {
    const report = planScaleInReport(facts({ departing: [oneWeb(1), oneWeb(2), oneWeb(3)], remainingNodes: everyNode }), defaultDrainOptions);
    expect(report.capacity).toMatchObject({ kind: "fits", pods: 3 });
    expect(formatScaleInReport(report)).toContain("Capacity: the 3 evicted pods fit (judged with every node removed out at once, and each node upgraded or replaced out in its own turn).");
  });

  test("a node upgraded is no room for its own pods", () => {
    const big = podRequesting("shop/big", { cpu: "1500m" });
    const report = planScaleInReport(
      facts({ departing: [{ resource: "worker-1", node: "node-1", action: "upgrade", pods: [big] }], remainingNodes: [node("node-1", { allocatable: { cpu: "2", memory: "8Gi", pods: "110" } }), node("node-2", { allocatable: { cpu: "1", memory: "8Gi", pods: "110" } })] }),
      defaultDrainOptions,
    );
    expect(report.capacity.kind).toBe("short");
  });
});
