// Scenario 7: scenario 1's comparison on the lab's REAL kubelets (containerd 2, runc): pods really
// start (kw-testapp is Ready only after its start-up delay) and really stop (it serves on after
// SIGTERM for its shutdown delay). Three lab hosts are joined once; each drain empties the first,
// and the pods are moved back onto it (untimed) before the next.
import { moveBackToVictim, cleanupRealScene, prepareRealScene, type RealWorkload } from "../support/real-drain-scene";
import { openScene } from "../support/drain-scene";
import { drainScenario, type DrainStage } from "./drain";

/**
 * 24 pods: 6 Deployments of 4, every other one behind a maxUnavailable: 1 PDB. What one real kubelet
 * on this 2-core machine starts in well under a minute, while the PDBs still force several
 * one-at-a-time rounds (4 pods each) whose pace the start-up delay sets.
 */
export const realWorkload: RealWorkload = { deployments: 6, replicas: 4, shutdownDelaySeconds: 5 };

async function realStage(log: (line: string) => void): Promise<DrainStage> {
  const scene = await prepareRealScene(realWorkload, log);
  let drains = 0;
  return {
    async around(drain) {
      if (drains++ > 0) await moveBackToVictim(scene);
      await openScene(scene);
      return drain(scene);
    },
    close: () => cleanupRealScene(scene),
  };
}

export const drainReal = drainScenario("drain-real", "7. drain 24 pods on real kubelets vs kubectl drain (s)", realStage);
