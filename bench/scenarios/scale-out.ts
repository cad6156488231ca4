// Scenario 4: one `pulumi up` joining 1, 3 or 6 lab hosts in parallel (the real CLI, the real provider,
// the lab hosts' real kubelets), each followed by a destroy, the sizes in alternating orders. The
// hosts keep their packages between ups, as re-provisioned machines of a pool do: one untimed up of
// all six first installs containerd and the Kubernetes packages. Also the dynamic provider's peak
// memory (scenario 6).
import { createLabStack, entryFor, setConfig } from "../../test/e2e/support/lab-stack";
import { labHosts } from "../../test/integration/support/lab";
import { runOk } from "../../test/support/process";
import type { Scenario } from "../scenario";
import { nodeBaselineMb } from "../support/memory";
import { peakMb, probedPulumi, type ProbedRun } from "../support/probed-pulumi";
import { medianCount, summarize } from "../table";

export const hostCounts = [1, 3, 6] as const;

export const scaleOut: Scenario = {
  id: "scale-out",
  defaultRuns: 2,
  async run(runs, log) {
    const most = Math.max(...hostCounts);
    if (labHosts().length < most) await runOk("bash", ["lab/hosts/up.sh", "--hosts", String(most)], { timeoutMs: 300_000 });
    const project = await createLabStack("bench-scale-out");
    const up = async (count: number): Promise<ProbedRun> => {
      await setConfig(project, { nodes: labHosts().slice(0, count).map((h) => entryFor(h)) });
      const run = await probedPulumi(project, ["up", "--yes", "--skip-preview"]);
      await project.pulumiOk(["destroy", "--yes", "--skip-preview"], 900_000);
      log(`scale-out: ${count} host(s) joined in ${run.seconds.toFixed(1)} s, ${run.apiRequests} API requests, provider peak RSS ${peakMb(run.providers).toFixed(0)} MB`);
      return run;
    };
    try {
      log(`scale-out: warm-up up of ${most} hosts (installs the packages; not timed)`);
      await up(most);
      const times = new Map<number, ProbedRun[]>(hostCounts.map((c) => [c, []]));
      for (let round = 0; round < runs; round++) {
        const order = round % 2 === 0 ? [...hostCounts] : [...hostCounts].reverse();
        for (const count of order) times.get(count)?.push(await up(count));
      }
      const one = times.get(1) ?? [];
      const baseline = await nodeBaselineMb();
      return [
        ...hostCounts.slice(1).map((count) => {
          const many = times.get(count) ?? [];
          return summarize(
            `4. scale-out: pulumi up of ${count} hosts vs 1 host (s)`,
            many.map((m, i) => ({ ours: m.seconds, peer: one[i]?.seconds ?? NaN })),
            medianCount(many.map((m) => m.apiRequests)),
          );
        }),
        summarize(
          `6. peak memory: dynamic provider during pulumi up of ${most} hosts vs Node baseline (MB)`,
          (times.get(most) ?? []).map((m) => ({ ours: peakMb(m.providers), peer: baseline })),
          null,
        ),
      ];
    } finally {
      await project.pulumi(["destroy", "--yes", "--skip-preview"], 900_000);
      await project.pulumi(["stack", "rm", "--yes", "--force"]);
      await project.remove();
    }
  },
};
