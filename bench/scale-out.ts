// Benchmark: wall time of one `pulumi up` that joins 1 lab host against one that joins 3 lab hosts
// in parallel (the real CLI, the real provider), alternating which runs first, each followed by a
// destroy. The hosts keep their packages between rounds, as re-provisioned machines of a pool do;
// the first round on fresh hosts also installs containerd and the Kubernetes packages.
//
//   npm run bench -- scale-out [rounds] [fresh]   (needs the lab: npm run lab -- up)
// With `fresh`, the host disks are wiped before every up (not timed), so each join installs
// containerd and the Kubernetes packages from the lab repository.
import { performance } from "node:perf_hooks";
import { createLabStack, entryFor, setConfig } from "../test/e2e/support/lab-stack";
import { labHosts, requireLab } from "../test/integration/support/lab";
import { runOk } from "../test/support/process";
import { median } from "./stats";

async function main(): Promise<void> {
  requireLab();
  const rounds = Number(process.argv[2] ?? 3);
  const fresh = process.argv[3] === "fresh";
  if (labHosts().length < 3) throw new Error("needs 3 lab hosts: npm run lab -- up --hosts 3");
  const project = await createLabStack("bench-scale-out");
  const timeUp = async (count: number): Promise<number> => {
    if (fresh) {
      await runOk("bash", ["lab/hosts/down.sh", "--wipe"], { timeoutMs: 300_000 });
      await runOk("bash", ["lab/hosts/up.sh", "--hosts", "3"], { timeoutMs: 300_000 });
    }
    // Read after a wipe: fresh disks come with new host keys.
    const hosts = labHosts().slice(0, 3);
    await setConfig(project, { nodes: hosts.slice(0, count).map((h) => entryFor(h)) });
    const started = performance.now();
    await project.pulumiOk(["up", "--yes", "--skip-preview"], 900_000);
    const elapsed = performance.now() - started;
    await project.pulumiOk(["destroy", "--yes", "--skip-preview"], 900_000);
    return elapsed;
  };
  try {
    console.log(`scale-out benchmark: ${rounds} rounds, pulumi up of 1 host vs 3 hosts, ${fresh ? "fresh hosts (packages installed by each up)" : "hosts keeping their packages"}`);
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [1, 3] : [3, 1];
      const times: Record<number, number> = {};
      for (const count of order) times[count] = await timeUp(count);
      const ratio = (times[3]) / (times[1]);
      ratios.push(ratio);
      console.log(`round ${round + 1} (${order.join(" then ")}): 1 host ${((times[1]) / 1000).toFixed(1)}s, 3 hosts ${((times[3]) / 1000).toFixed(1)}s, ratio ${ratio.toFixed(2)}`);
    }
    console.log(`median ratio 3 hosts / 1 host: ${median(ratios).toFixed(2)} over ${rounds} rounds`);
  } finally {
    await project.pulumi(["destroy", "--yes", "--skip-preview"], 900_000);
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
