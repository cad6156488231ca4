// Benchmark: our drain (which also waits until the evicted workloads are Ready elsewhere) against
// `kubectl drain --ignore-daemonsets --delete-emptydir-data` from the same Kubernetes release (which
// waits only until the pods are deleted), on identical lab nodes carrying 100 pods: 10 Deployments
// x 10 replicas, half of them guarded by a maxUnavailable: 1 PDB. Runs alternate which goes first.
//
//   npm run bench -- drain [pairs]        (needs the lab: npm run lab -- up)
import { performance } from "node:perf_hooks";
import { DrainError, drainNode } from "../providers/drain/execute";
import { defaultDrainOptions } from "../providers/drain/options";
import { createKwokNode, deleteNodes, podsByNode, setUnschedulable } from "../test/integration/support/kwok-nodes";
import { apply, kubeconfigPath, kubectl, labCluster, requireLab, uniqueName, waitFor } from "../test/integration/support/lab";
import { deployment, namespace, pdb } from "../test/integration/support/workloads";
import { runOk } from "../test/support/process";
import { median } from "./stats";

const deployments = 10;
const replicas = 10;

interface Scene {
  ns: string;
  label: string;
  victim: string;
  spares: string[];
}

/** A node with 100 Ready pods on it and two empty, schedulable spares. */
async function prepare(): Promise<Scene> {
  const label = uniqueName("bench");
  const scene = { ns: label, label, victim: `${label}-victim`, spares: [`${label}-a`, `${label}-b`] };
  await apply(namespace(scene.ns));
  await createKwokNode(scene.victim, label);
  for (const spare of scene.spares) await createKwokNode(spare, label, { unschedulable: true });
  await waitFor("default ServiceAccount", async () => ((await kubectl(["get", "sa", "-n", scene.ns])).stdout.includes("default") ? true : undefined));
  const objects: unknown[] = [];
  for (let i = 0; i < deployments; i++) {
    objects.push(deployment(scene.ns, `app-${i}`, label, replicas));
    if (i % 2 === 0) objects.push(pdb(scene.ns, `app-${i}-pdb`, `app-${i}`, { maxUnavailable: 1 }));
  }
  await apply(...objects);
  await waitFor("100 Ready pods on the victim", async () => {
    const pods = (await podsByNode(scene.ns)).get(scene.victim) ?? [];
    return pods.length === deployments * replicas && pods.every((p) => p.ready) ? true : undefined;
  }, 180_000);
  for (const spare of scene.spares) await setUnschedulable(spare, false);
  // Both sides start from a cordoned node: ours cordons in delete, kubectl drain cordons first thing.
  await setUnschedulable(scene.victim, true);
  return scene;
}

async function cleanup(scene: Scene): Promise<void> {
  await kubectl(["delete", "namespace", scene.ns, "--wait=false"]);
  await deleteNodes([scene.victim, ...scene.spares]);
}

async function timeOurs(scene: Scene): Promise<number> {
  const cluster = labCluster();
  const started = performance.now();
  await drainNode(cluster, scene.victim, { ...defaultDrainOptions, timeoutSeconds: 600 }, {
    now: () => new Date(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    log: () => undefined,
  });
  return performance.now() - started;
}

async function timeKubectl(scene: Scene): Promise<number> {
  const started = performance.now();
  await runOk("kubectl", ["--kubeconfig", kubeconfigPath, "drain", scene.victim, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=600s"], { timeoutMs: 700_000 });
  return performance.now() - started;
}

async function main(): Promise<void> {
  requireLab();
  const pairs = Number(process.argv[2] ?? 5);
  const kubectlVersion = (await runOk("kubectl", ["version", "--client", "-o", "json"])).stdout;
  console.log(`drain benchmark: ${pairs} pairs, ${deployments}x${replicas} pods per node, half behind maxUnavailable:1 PDBs`);
  console.log(`kubectl ${(JSON.parse(kubectlVersion) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion}`);
  const ratios: number[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const oursFirst = pair % 2 === 0;
    const timings: Record<string, number> = {};
    for (const side of oursFirst ? ["ours", "kubectl"] : ["kubectl", "ours"]) {
      const scene = await prepare();
      try {
        timings[side] = side === "ours" ? await timeOurs(scene) : await timeKubectl(scene);
      } catch (error) {
        throw error instanceof DrainError ? new Error(`our drain failed in pair ${pair + 1}: ${error.message}`) : error;
      } finally {
        await cleanup(scene);
      }
    }
    const ratio = (timings.ours) / (timings.kubectl);
    ratios.push(ratio);
    console.log(
      `pair ${pair + 1} (${oursFirst ? "ours first" : "kubectl first"}): ours ${((timings.ours) / 1000).toFixed(1)}s (pods gone and replacements Ready), ` +
        `kubectl drain ${((timings.kubectl) / 1000).toFixed(1)}s (pods gone), ratio ${ratio.toFixed(3)}`,
    );
  }
  console.log(`median ratio ours/kubectl: ${median(ratios).toFixed(3)} over ${pairs} pairs`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
