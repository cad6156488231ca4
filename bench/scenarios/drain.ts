// Scenarios 1 and 2: our drain against `kubectl drain --ignore-daemonsets --delete-emptydir-data` of
// the same release, each on a fresh kwok-realistic node carrying the same pods. Ours ends when the
// pods are gone and their replacements Ready; kubectl's when the pods are gone. drainScenario is
// also what scenario 7 (drain-real.ts, the real kubelets) runs.
import { alternate, type Scenario } from "../scenario";
import { cleanupScene, drainKubectl, drainOurs, openScene, prepareScene, type Scene, type Workload } from "../support/drain-scene";
import { medianCount, summarize } from "../table";

/** Where the drains of one scenario run: `around` readies a scene for one drain (and clears it after). */
export interface DrainStage {
  around<T>(drain: (scene: Scene) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A fresh set of kwok-realistic nodes and pods for every drain. */
function kwokStage(workload: Workload): DrainStage {
  return {
    async around(drain) {
      const scene = await prepareScene(workload);
      try {
        await openScene(scene);
        return await drain(scene);
      } finally {
        await cleanupScene(scene);
      }
    },
    close: () => Promise.resolve(),
  };
}

export function drainScenario(id: string, title: string, stage: (log: (line: string) => void) => Promise<DrainStage>): Scenario {
  return {
    id,
    defaultRuns: 3,
    async run(runs, log) {
      const counts: number[] = [];
      const staged = await stage(log);
      try {
        const pairs = await alternate(
          runs,
          async () => {
            const result = await staged.around(drainOurs);
            counts.push(result.requests);
            log(`${id}: ours ${result.seconds.toFixed(1)} s, ${result.requests} API requests ${JSON.stringify(result.byKind)}`);
            return result.seconds;
          },
          async () => {
            const seconds = await staged.around(drainKubectl);
            log(`${id}: kubectl drain ${seconds.toFixed(1)} s`);
            return seconds;
          },
        );
        return [summarize(title, pairs, medianCount(counts))];
      } finally {
        await staged.close();
      }
    },
  };
}

export const drain100 = drainScenario("drain", "1. drain 100 pods vs kubectl drain (s)", () => Promise.resolve(kwokStage({ deployments: 10, replicas: 10, pdbs: "half" })));
export const drainTight = drainScenario("tight-pdbs", "2. drain under tight PDBs vs kubectl drain (s)", () => Promise.resolve(kwokStage({ deployments: 5, replicas: 10, pdbs: "all" })));
