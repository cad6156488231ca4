// Scenario 3: the same drain (100 pods, scenario 1's workload) on a node of a 5-node / 200-pod cluster
// and of a big one (1,000 nodes / 30,000 pods unless BENCH_GROWTH_NODES / BENCH_GROWTH_PODS say
// otherwise), with the API requests and the peak memory of each drain. The small cluster is measured
// first, then grown: building the big one takes minutes, so the sizes cannot alternate. The lab is
// held 12 minutes at most, so pods are added for BENCH_GROWTH_CREATE_SECONDS (default 240) and then
// waited for (BENCH_GROWTH_WAIT_SECONDS, default 150): the row names the size really reached.
import type { Scenario } from "../scenario";
import { growBackground, removeBackground } from "../support/background";
import { cleanupScene, drainOurs, openScene, prepareScene, type Workload } from "../support/drain-scene";
import type { OursDrainResult } from "../support/ours-drain";
import { nodeBaselineMb } from "../support/memory";
import { medianCount, summarize, type BenchRow } from "../table";
import { median } from "../stats";

const workload: Workload = { deployments: 10, replicas: 10, pdbs: "half" };
/** The drain's own nodes: the victim and two spares. */
const sceneNodes = 3;
const scenePods = workload.deployments * workload.replicas;

async function drains(runs: number, size: string, log: (line: string) => void): Promise<OursDrainResult[]> {
  const results: OursDrainResult[] = [];
  for (let run = 0; run < runs; run++) {
    const scene = await prepareScene(workload);
    try {
      await openScene(scene);
      const result = await drainOurs(scene);
      log(`growth (${size}): ours ${result.seconds.toFixed(1)} s, ${result.requests} API requests, peak RSS ${result.peakRssMb.toFixed(0)} MB ${JSON.stringify(result.byKind)}`);
      results.push(result);
    } finally {
      await cleanupScene(scene);
    }
  }
  return results;
}

export const growth: Scenario = {
  id: "growth",
  defaultRuns: 3,
  async run(runs, log) {
    const bigNodes = Number(process.env.BENCH_GROWTH_NODES ?? 1000);
    const bigPods = Number(process.env.BENCH_GROWTH_PODS ?? 30_000);
    try {
      await growBackground(5 - sceneNodes, 200 - scenePods, log);
      // The small cluster's drains; the big one is the same cluster grown.
      const small = await drains(runs, "5 nodes / 200 pods", log);
      const reached = await growBackground(bigNodes - sceneNodes, bigPods - scenePods, log, {
        createSeconds: Number(process.env.BENCH_GROWTH_CREATE_SECONDS ?? 240),
        waitSeconds: Number(process.env.BENCH_GROWTH_WAIT_SECONDS ?? 150),
      });
      const size = `${(reached.nodes + sceneNodes).toLocaleString("en")} nodes / ${(reached.pods + scenePods).toLocaleString("en")} pods`;
      if (reached.pods + scenePods < bigPods) log(`growth: the lab reached ${size} of the ${bigPods} pods asked for in the time budget`);
      const big = await drains(runs, size, log);
      const pairs = big.map((b, i) => ({ ours: b.seconds, peer: small[i]?.seconds ?? NaN }));
      const baseline = await nodeBaselineMb();
      const rows: BenchRow[] = [
        summarize(`3. growth: drain on ${size} vs on 5 nodes / 200 pods (s)`, pairs, `${medianCount(small.map((r) => r.requests))} / ${medianCount(big.map((r) => r.requests))}`),
        summarize(`6. peak memory: drain process on ${size} vs Node baseline (MB)`, big.map((b) => ({ ours: b.peakRssMb, peer: baseline })), null),
        summarize("6. peak memory: drain process on 5 nodes / 200 pods vs Node baseline (MB)", small.map((s) => ({ ours: s.peakRssMb, peer: baseline })), null),
      ];
      log(`growth: median requests small ${median(small.map((r) => r.requests))}, big ${median(big.map((r) => r.requests))}`);
      return rows;
    } finally {
      await removeBackground();
    }
  },
};
