import type { ClusterApi } from "../../../providers/cluster/kube-api";
import { drainPhaseAnnotation, drainPurposeAnnotation } from "../../../providers/drain/annotations";
import { DrainError, drainNode } from "../../../providers/drain/execute";
import { defaultDrainOptions } from "../../../providers/drain/options";
import type { ClusterNode, DrainPod } from "../../../providers/drain/types";
import { node, podRequesting } from "./builders";

/** A cluster where the draining node's pods are too big for every node that remains. */
class FullCluster implements Partial<ClusterApi> {
  readonly server = "https://lab:6443";
  evicted = 0;
  constructor(
    private readonly pods: DrainPod[],
    private readonly others: ClusterNode[],
  ) {}
  getNode = () => Promise.resolve(undefined);
  listPodsOnNode = () => Promise.resolve(this.pods);
  terminatingNamespaces = () => Promise.resolve(new Set<string>());
  daemonSetExists = () => Promise.resolve(true);
  listNodesWithPods = () => Promise.resolve(this.others);
  patchNode = () => Promise.resolve(undefined as never);
  evictPod = () => ((this.evicted += 1), Promise.resolve({ kind: "evicted" as const }));
}

const effects = { now: () => new Date("2026-11-30T10:00:00Z"), sleep: () => Promise.resolve(), log: () => undefined };

describe("a drain refused for lack of room", () => {
  test("names the ways to override it, and no longer advises turning the check off before a replacement (replaced nodes count as room)", async () => {
    // GIVEN a pod asking 3 cpu, a node to be replaced and one to be removed, each with 2 cpu
    const waiting = (purpose: string) => ({ [drainPhaseAnnotation]: "waiting-for-slot", [drainPurposeAnnotation]: purpose });
    const cluster = new FullCluster(
      [podRequesting("web/a", { cpu: "3" })],
      [node("w2", { annotations: waiting("replace") }), node("w3", { annotations: waiting("remove") })],
    );

    const error = await drainNode(cluster as unknown as ClusterApi, "w1", { ...defaultDrainOptions, checkCapacity: true }, effects).catch((e: Error) => e);

    // THEN nothing is evicted, and the message says which nodes counted and how to override
    expect(error).toBeInstanceOf(DrainError);
    expect(cluster.evicted).toBe(0);
    const message = (error as Error).message;
    expect(message).toMatch(/^cannot drain node w1: its pods would not fit on the nodes that remain, so nothing was evicted/);
    expect(message).toContain("web/a (cpu 3): no remaining node has 3 cpu free (largest free: 2 on w2)");
    expect(message).toContain("nodes waiting to be removed are not counted as room; nodes waiting to be upgraded or replaced are, until their turn");
    expect(message).toContain("add or uncordon a node, lower the requests, or set drain.checkCapacity: false to evict anyway");
    expect(message).not.toMatch(/before the one that replaces them/);
  });
});
