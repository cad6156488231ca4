import { markedNodesOncePerCluster } from "../../../providers/worker-node/abandoned-scale-in";

// The cached read behind the diff's look for abandoned scale-ins: a preview of any number of nodes
// asks each cluster once, and a cluster that does not answer never fails it.
describe("markedNodesOncePerCluster", () => {
  test("one read per cluster, whatever the number of nodes diffed", async () => {
    const reads: (string | undefined)[] = [];
    const cached = markedNodesOncePerCluster((kubeconfig) => (reads.push(kubeconfig), Promise.resolve([])), () => undefined);
    await Promise.all(Array.from({ length: 100 }, (_, i) => cached(i % 2 === 0 ? "cluster-a" : "cluster-b")));
    await cached(undefined);
    await cached(undefined);
    expect(reads).toEqual(["cluster-a", "cluster-b", undefined]);
  });

  test("a cluster that cannot be read: undefined for every node, one warning, no second attempt", async () => {
    let reads = 0;
    const warnings: string[] = [];
    const cached = markedNodesOncePerCluster(
      () => (reads++, Promise.reject(new Error("listing the Nodes marked by a drain on https://10.213.0.1:6443 failed: no answer from https://10.213.0.1:6443 within 15s"))),
      (line) => warnings.push(line),
    );
    const answers = await Promise.all(Array.from({ length: 50 }, () => cached("cluster-a")));
    expect(answers.every((answer) => answer === undefined)).toBe(true);
    expect(reads).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/^warning: listing the Nodes marked by a drain on https:\/\/10\.213\.0\.1:6443 failed: .*reported unchanged without looking for an abandoned scale-in/)]);
  });
});
