import { checkCapacity } from "../../../providers/drain/capacity";
import type { ClusterNode, DrainPod } from "../../../providers/drain/types";
import { node, podRequesting } from "./builders";

const cpu = (amount: string) => ({ cpu: amount });
const gpuTaint = { key: "dedicated", value: "gpu", effect: "NoSchedule" as const };

/** A node whose free cpu is `free` out of 2 cores, used up by one running pod. */
const nodeWithFreeCpu = (name: string, free: number, changes: Partial<ClusterNode> = {}): ClusterNode =>
  node(name, { pods: [podRequesting(`x/on-${name}`, cpu(`${2000 - free}m`))], ...changes });

const reasonsOf = (pods: readonly DrainPod[], nodes: readonly ClusterNode[]) => {
  const result = checkCapacity(pods, nodes);
  return result.fits ? "fits" : result.unplaced.map((entry) => `${entry.pod.namespace}/${entry.pod.name}: ${entry.reason}`);
};

describe("checkCapacity", () => {
  test("places pods that fit and says where", () => {
    const result = checkCapacity([podRequesting("web/api-1", { cpu: "500m", memory: "256Mi" })], [node("k8s-node-1")]);
    expect(result).toEqual({ fits: true, placements: new Map([["web/api-1", "k8s-node-1"]]) });
  });

  test.each<{ description: string; pods: DrainPod[]; nodes: ClusterNode[]; expected: string | string[] }>([
    {
      description: "the pods running on a node use up its room",
      pods: [podRequesting("web/api-1", cpu("500m"))],
      nodes: [nodeWithFreeCpu("k8s-node-2", 200)],
      expected: ["web/api-1: no remaining node has 500m cpu free (largest free: 200m on k8s-node-2)"],
    },
    {
      description: "finished pods on a node use no room",
      pods: [podRequesting("web/api-1", cpu("500m"))],
      nodes: [node("k8s-node-2", { pods: [podRequesting("x/done", cpu("2"), { phase: "Succeeded" })] })],
      expected: "fits",
    },
    {
      description: "the evicted pods use up room as they are placed",
      pods: [podRequesting("web/a", cpu("1500m")), podRequesting("web/b", cpu("1"))],
      nodes: [node("k8s-node-1")],
      expected: ["web/b: no remaining node has 1 cpu free (largest free: 500m on k8s-node-1)"],
    },
    {
      description: "largest first fits what arrival order would not",
      // GIVEN room for 1 cpu on n-a and 600m on n-b; in the given order, 400m would take n-a first
      // and names sort the small pod first too, so only the size order can place both
      pods: [podRequesting("web/a-small", cpu("400m")), podRequesting("web/z-big", cpu("1"))],
      nodes: [nodeWithFreeCpu("n-a", 1000), nodeWithFreeCpu("n-b", 600)],
      expected: "fits",
    },
    {
      description: "memory is checked as well as cpu",
      pods: [podRequesting("db/pg-0", { cpu: "100m", memory: "8Gi" })],
      nodes: [node("k8s-node-1")],
      expected: ["db/pg-0: no remaining node has 8Gi memory free (largest free: 4Gi on k8s-node-1)"],
    },
    {
      description: "each resource fits somewhere but not together",
      pods: [podRequesting("web/api-1", { cpu: "1500m", memory: "3Gi" })],
      nodes: [
        node("n-cpu", { pods: [podRequesting("x/mem-hog", { memory: "3Gi" })] }),
        node("n-mem", { pods: [podRequesting("x/cpu-hog", { cpu: "1" })] }),
      ],
      expected: ["web/api-1: no remaining node has cpu 1500m, memory 3Gi free at the same time"],
    },
    {
      description: "a node at its pod limit takes nothing",
      pods: [podRequesting("web/api-1", {})],
      nodes: [node("k8s-node-1", { allocatable: { cpu: "2", memory: "4Gi", pods: "1" }, pods: [podRequesting("x/y", {})] })],
      expected: ["web/api-1: no remaining node has a free pod slot"],
    },
    {
      description: "a pod without requests fits any node with a slot",
      pods: [podRequesting("web/api-1", {})],
      nodes: [nodeWithFreeCpu("k8s-node-1", 0)],
      expected: "fits",
    },
    {
      description: "a resource the nodes do not have",
      pods: [podRequesting("ml/train-0", { "nvidia.com/gpu": "1" })],
      nodes: [node("k8s-node-1")],
      expected: ["ml/train-0: no remaining node has 1 nvidia.com/gpu free (largest free: 0 on k8s-node-1)"],
    },
    {
      description: "a tainted node is counted apart from the nodes without room",
      pods: [podRequesting("web/api-7f9", { cpu: "500m", memory: "256Mi" })],
      nodes: [nodeWithFreeCpu("k8s-node-2", 200), node("k8s-node-4", { taints: [gpuTaint] })],
      expected: [
        "web/api-7f9: no remaining node has 500m cpu free (largest free: 200m on k8s-node-2); 1 node excluded by taint dedicated=gpu:NoSchedule",
      ],
    },
    {
      description: "a pod tolerating the taint uses the tainted node",
      pods: [podRequesting("ml/train-0", cpu("500m"), { tolerations: [{ key: "dedicated", operator: "Exists" }] })],
      nodes: [nodeWithFreeCpu("k8s-node-2", 200), node("k8s-node-4", { taints: [gpuTaint] })],
      expected: "fits",
    },
    {
      description: "cordoned and NotReady nodes take nothing, however empty",
      pods: [podRequesting("web/api-1", cpu("100m"))],
      nodes: [node("n1", { unschedulable: true }), node("n2", { ready: false }), node("n3", { ready: false })],
      expected: ["web/api-1: 2 nodes NotReady; 1 node cordoned"],
    },
    {
      description: "nodes that do not match the nodeSelector are counted",
      pods: [podRequesting("db/pg-0", cpu("100m"), { nodeSelector: { disk: "ssd" } })],
      nodes: [node("n1"), node("n2")],
      expected: ["db/pg-0: 2 nodes excluded by nodeSelector disk=ssd"],
    },
    {
      description: "a nodeSelector that matches a node with room",
      pods: [podRequesting("db/pg-0", cpu("100m"), { nodeSelector: { disk: "ssd" } })],
      nodes: [node("n1"), node("n2", { labels: { disk: "ssd" } })],
      expected: "fits",
    },
    {
      description: "nodes that do not match the required node affinity are counted",
      pods: [podRequesting("db/pg-0", cpu("100m"), { requiredNodeAffinity: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }] }] })],
      nodes: [node("n1", { labels: { zone: "a" } })],
      expected: ["db/pg-0: 1 node excluded by required node affinity"],
    },
    {
      description: "no node at all",
      pods: [podRequesting("web/api-1", cpu("100m"))],
      nodes: [],
      expected: ["web/api-1: no node remains"],
    },
    {
      description: "init containers and overhead count as the scheduler counts them",
      pods: [
        podRequesting("web/api-1", cpu("100m"), {
          initContainers: [{ name: "warm", requests: cpu("1800m") }],
          overhead: cpu("300m"),
        }),
      ],
      nodes: [node("k8s-node-1")],
      expected: ["web/api-1: no remaining node has 2100m cpu free (largest free: 2 on k8s-node-1)"],
    },
  ])("$description", ({ pods, nodes, expected }) => {
    expect(reasonsOf(pods, nodes)).toEqual(expected);
  });

  test("the message lists every pod that does not fit, with its requests, and the ways out", () => {
    // GIVEN two pods too big for the only remaining node, given in reverse name order
    const result = checkCapacity(
      [podRequesting("web/b", { cpu: "3", memory: "256Mi" }), podRequesting("web/a", { cpu: "2500m" })],
      [node("k8s-node-1")],
    );
    // THEN both are named, sorted, with their requests and the reason
    expect(result.fits).toBe(false);
    expect(!result.fits && result.message).toBe(
      "2 pods to evict would not fit on the remaining nodes:\n" +
        "  web/a (cpu 2500m): no remaining node has 2500m cpu free (largest free: 2 on k8s-node-1)\n" +
        "  web/b (cpu 3, memory 256Mi): no remaining node has 3 cpu free (largest free: 2 on k8s-node-1)\n" +
        "free amounts are counted after placing the larger evicted pods first; add or uncordon a node, lower the " +
        "requests, or set drain.checkCapacity: false to evict anyway",
    );
  });

  test("an overcommitted node shows 0 free, not a negative amount", () => {
    const overfull = node("k8s-node-1", { pods: [podRequesting("x/hog", cpu("3"))] });
    expect(reasonsOf([podRequesting("web/a", cpu("100m"))], [overfull])).toEqual([
      "web/a: no remaining node has 100m cpu free (largest free: 0 on k8s-node-1)",
    ]);
  });
});
