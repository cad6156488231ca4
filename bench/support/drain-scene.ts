// A node to drain, carrying Deployments' pods (some behind PDBs), on kwok-realistic nodes: pods take
// 1–5 s to be Ready and up to their grace period to go (lab/control-plane/kwok-realistic.sh).
import { performance } from "node:perf_hooks";
import { createKwokNode, deleteNodes, podsByNode, setUnschedulable } from "../../test/integration/support/kwok-nodes";
import { apply, kubeconfigPath, kubectl, uniqueName, waitFor } from "../../test/integration/support/lab";
import { deployment, namespace, pdb } from "../../test/integration/support/workloads";
import { runOk } from "../../test/support/process";
import type { OursDrainResult } from "./ours-drain";

/** The grace period of the benchmark's pods: a deleted pod goes after 1 s to this many seconds. */
export const podGracePeriodSeconds = 10;

export interface Workload {
  readonly deployments: number;
  readonly replicas: number;
  /** Which Deployments get a maxUnavailable: 1 PDB: every one, or every other one. */
  readonly pdbs: "all" | "half";
}

export interface Scene {
  readonly ns: string;
  readonly victim: string;
  readonly spares: readonly string[];
}

/**
 * A node with the workload's pods all Ready on it and two spare nodes for the replacements (the
 * Deployments select these three only, so a bigger cluster around them changes nothing of the drain's
 * work, only what it reads). Call openScene just before the drain.
 */
export async function prepareScene(workload: Workload): Promise<Scene> {
  const ns = uniqueName("bench");
  const label = ns;
  const scene = { ns, victim: `${ns}-victim`, spares: [`${ns}-spare-0`, `${ns}-spare-1`] };
  await apply(namespace(scene.ns));
  await createKwokNode(scene.victim, label, { lifecycle: "realistic" });
  for (const spare of scene.spares) await createKwokNode(spare, label, { unschedulable: true, lifecycle: "realistic" });
  const objects: unknown[] = [];
  for (let i = 0; i < workload.deployments; i++) {
    const app = deployment(scene.ns, `app-${i}`, label, workload.replicas);
    app.spec.template.spec.terminationGracePeriodSeconds = podGracePeriodSeconds;
    objects.push(app);
    if (workload.pdbs === "all" || i % 2 === 0) objects.push(pdb(scene.ns, `app-${i}-pdb`, `app-${i}`, { maxUnavailable: 1 }));
  }
  await serviceAccountReady(scene.ns);
  await apply(...objects);
  const total = workload.deployments * workload.replicas;
  await waitFor(`${total} Ready pods on ${scene.victim}`, async () => {
    const pods = (await podsByNode(scene.ns)).get(scene.victim) ?? [];
    return pods.length === total && pods.every((p) => p.ready) ? true : undefined;
  }, 300_000);
  await pdbsAllowingOne(scene.ns);
  return scene;
}

/** Pods of a new namespace are refused until its default ServiceAccount exists. */
export async function serviceAccountReady(ns: string): Promise<void> {
  await waitFor(`default ServiceAccount of ${ns}`, async () => ((await kubectl(["get", "sa", "-n", ns])).stdout.includes("default") ? true : undefined));
}

/** Every PDB of the namespace allows one disruption again: the disruption controller has counted the pods. */
export async function pdbsAllowingOne(ns: string): Promise<void> {
  await waitFor(`PDBs of ${ns} allowing a disruption`, async () => {
    const out = (await kubectl(["get", "pdb", "-n", ns, "-o", "jsonpath={.items[*].status.disruptionsAllowed}"])).stdout.trim();
    return out === "" || out.split(/\s+/).every((n) => n === "1") ? true : undefined;
  }, 120_000);
}

export async function cleanupScene(scene: Scene): Promise<void> {
  await kubectl(["delete", "namespace", scene.ns, "--wait=false"]);
  await deleteNodes([scene.victim, ...scene.spares]);
}

/** Spares open, victim cordoned: the moment both drains start from. */
export async function openScene(scene: Scene): Promise<void> {
  for (const spare of scene.spares) await setUnschedulable(spare, false);
  await setUnschedulable(scene.victim, true);
}

export async function drainOurs(scene: Scene): Promise<OursDrainResult> {
  const { stdout } = await runOk("node", ["dist/bench/support/ours-drain.js", scene.victim], { timeoutMs: 700_000 });
  const line = stdout.split("\n").find((l) => l.startsWith("BENCH_DRAIN "));
  if (!line) throw new Error(`our drain of ${scene.victim} printed no result:\n${stdout}`);
  return JSON.parse(line.slice("BENCH_DRAIN ".length)) as OursDrainResult;
}

export async function drainKubectl(scene: Scene): Promise<number> {
  const started = performance.now();
  await runOk("kubectl", ["--kubeconfig", kubeconfigPath, "drain", scene.victim, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=600s"], { timeoutMs: 700_000 });
  return (performance.now() - started) / 1000;
}
