// Scenarios 1 and 2: our drain against `kubectl drain --ignore-daemonsets --delete-emptydir-data` of
// the same release, each on a fresh node carrying the same pods. Ours ends when the pods are gone and
// their replacements Ready; kubectl's when the pods are gone.
import { alternate, type Scenario } from "../scenario";
import { cleanupScene, drainKubectl, drainOurs, openScene, prepareScene, type Workload } from "../support/drain-scene";
import { medianCount, summarize } from "../table";

async function timed<T>(workload: Workload, drain: (scene: Awaited<ReturnType<typeof prepareScene>>) => Promise<T>): Promise<T> {
  const scene = await prepareScene(workload);
  try {
    await openScene(scene);
    return await drain(scene);
  } finally {
    await cleanupScene(scene);
  }
}

function drainScenario(id: string, title: string, workload: Workload): Scenario {
  return {
    id,
    defaultRuns: 3,
    async run(runs, log) {
      const counts: number[] = [];
      const pairs = await alternate(
        runs,
        async () => {
          const result = await timed(workload, drainOurs);
          counts.push(result.requests);
          log(`${id}: ours ${result.seconds.toFixed(1)} s, ${result.requests} API requests ${JSON.stringify(result.byKind)}`);
          return result.seconds;
        },
        async () => {
          const seconds = await timed(workload, drainKubectl);
          log(`${id}: kubectl drain ${seconds.toFixed(1)} s`);
          return seconds;
        },
      );
      return [summarize(title, pairs, medianCount(counts))];
    },
  };
}

export const drain100 = drainScenario("drain", "1. drain 100 pods vs kubectl drain (s)", { deployments: 10, replicas: 10, pdbs: "half" });
export const drainTight = drainScenario("tight-pdbs", "2. drain under tight PDBs vs kubectl drain (s)", { deployments: 5, replicas: 10, pdbs: "all" });
