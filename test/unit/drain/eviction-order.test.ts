import { deletedLongAgo, evictionWaves } from "../../../providers/drain/eviction-order";
import { pod } from "./builders";

describe("evictionWaves: the cluster's critical pods last", () => {
  const app = pod("web/api-1");
  const dns = pod("kube-system/coredns-1", { priorityClassName: "system-cluster-critical" });
  const nodeCritical = pod("kube-system/agent-1", { priorityClassName: "system-node-critical" });
  const high = pod("web/important", { priorityClassName: "high-priority" });

  test.each([
    { description: "workloads first, critical after", pods: [dns, app, nodeCritical, high], waves: [["web/api-1", "web/important"], ["kube-system/coredns-1", "kube-system/agent-1"]] },
    { description: "only workloads: one wave", pods: [app, high], waves: [["web/api-1", "web/important"]] },
    { description: "only critical: one wave", pods: [dns], waves: [["kube-system/coredns-1"]] },
    { description: "nothing: no wave", pods: [], waves: [] },
  ])("$description", ({ pods, waves }) => {
    expect(evictionWaves(pods).map((wave) => wave.map((p) => `${p.namespace}/${p.name}`))).toEqual(waves);
  });
});

describe("deletedLongAgo (kubectl's shouldSkipPod)", () => {
  const now = new Date("2026-11-30T10:00:00Z");
  const ago = (seconds: number) => ({ deletionTimestamp: new Date(now.getTime() - seconds * 1000) });
  test.each([
    { description: "not deleting", pod: {}, skip: 10, expected: false },
    { description: "skip 0 waits for every pod", pod: ago(3600), skip: 0, expected: false },
    { description: "exactly the timeout is still waited for (strictly greater)", pod: ago(10), skip: 10, expected: false },
    { description: "10.9 s counts as 10 whole seconds", pod: ago(10.9), skip: 10, expected: false },
    { description: "past the timeout is given up on", pod: ago(11), skip: 10, expected: true },
  ])("$description", ({ pod: given, skip, expected }) => {
    expect(deletedLongAgo(given, now, skip)).toBe(expected);
  });
});
