// A node to drain on the lab's REAL kubelets: three lab hosts joined by the provider's own create
// (containerd 2, the real kubelet), Deployments of the lab's kw-testapp (Ready only after its start-up
// delay, slow to stop on SIGTERM), some behind PDBs, all on the victim, the two other hosts left
// for the replacements. Joined once per scenario; between drains the pods are moved back.
import { drainStateCleared } from "../../providers/drain/annotations";
import { createWorkerNode } from "../../providers/worker-node/create";
import { deleteWorkerNode } from "../../providers/worker-node/delete";
import { effects } from "../../providers/worker-node/operations";
import type { WorkerNodeOutputs } from "../../providers/worker-node/outputs";
import { webAppDeployment } from "../../test/e2e/support/web-app";
import { setUnschedulable } from "../../test/integration/support/kwok-nodes";
import { apply, kubectl, kubectlJson, labHosts, uniqueName, waitFor } from "../../test/integration/support/lab";
import { labWorkerInputs } from "../../test/integration/support/lab-worker";
import { namespace, pdb } from "../../test/integration/support/workloads";
import { pdbsAllowingOne, serviceAccountReady, type Scene } from "./drain-scene";

/** The label of the joined hosts' Nodes: the benchmark's Deployments run there and nowhere else. */
const realLabel = { "kw-bench": "real" };

export interface RealWorkload {
  readonly deployments: number;
  readonly replicas: number;
  /** kw-testapp's SHUTDOWN_DELAY: how long a pod serves on after SIGTERM before it exits. */
  readonly shutdownDelaySeconds: number;
}

export interface RealScene extends Scene {
  readonly total: number;
  readonly joined: readonly WorkerNodeOutputs[];
}

const quiet = { ...effects, log: () => undefined };

/** Joins the first three lab hosts with the provider's create, in parallel as `pulumi up` would; all or none. */
async function joinRealNodes(log: (line: string) => void): Promise<WorkerNodeOutputs[]> {
  const hosts = labHosts().slice(0, 3);
  if (hosts.length < 3) throw new Error(`drain-real needs 3 lab hosts and the lab has ${hosts.length}: run "npm run lab -- up --hosts 3"`);
  const started = Date.now();
  const results = await Promise.allSettled(hosts.map((host) => createWorkerNode(labWorkerInputs(host, { labels: realLabel }), quiet)));
  const joined = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.outs] : []));
  const failures = results.flatMap((r, i) => (r.status === "rejected" ? [`${hosts[i]?.name}: ${(r.reason as Error).message}`] : []));
  if (failures.length > 0) {
    await leaveRealNodes(joined);
    throw new Error(`joining the lab hosts for drain-real failed (the ones that joined were removed again):\n${failures.join("\n")}`);
  }
  log(`drain-real: ${joined.map((o) => o.nodeName).join(", ")} joined (containerd ${joined[0]?.containerdVersion}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return joined;
}

/** Scale-in of the joined hosts with the provider's delete: each Node drained, deleted, its host reset. */
async function leaveRealNodes(joined: readonly WorkerNodeOutputs[]): Promise<void> {
  const results = await Promise.allSettled(joined.map((outs) => deleteWorkerNode(outs, quiet)));
  const failures = results.flatMap((r, i) => (r.status === "rejected" ? [`${joined[i]?.nodeName}: ${(r.reason as Error).message}`] : []));
  if (failures.length > 0) throw new Error(`removing the drain-real nodes failed; remove them by hand (kubectl delete node, kubeadm reset on the host):\n${failures.join("\n")}`);
}

interface PodJson {
  metadata: { deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { conditions?: { type: string; status: string }[] };
}

/** Every pod Ready on the victim, none anywhere else nor terminating, every PDB allowing one disruption. */
async function settledOnVictim(scene: RealScene): Promise<void> {
  await waitFor(`${scene.total} Ready pods of ${scene.ns} on ${scene.victim} and no other pod of it (terminating ones included)`, async () => {
    const { items } = await kubectlJson<{ items: PodJson[] }>(["get", "pods", "-n", scene.ns]);
    const settled = (p: PodJson): boolean =>
      !p.metadata.deletionTimestamp && p.spec.nodeName === scene.victim && (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
    return items.length === scene.total && items.every(settled) ? true : undefined;
  }, 300_000);
  await pdbsAllowingOne(scene.ns);
}

/**
 * Joins the hosts and puts the workload's pods, all Ready, on the first (the victim); the spares are
 * cordoned until openScene. Every other Deployment gets a maxUnavailable: 1 PDB.
 */
export async function prepareRealScene(workload: RealWorkload, log: (line: string) => void): Promise<RealScene> {
  const joined = await joinRealNodes(log);
  const [victim, ...spares] = joined.map((o) => o.nodeName);
  const scene: RealScene = { ns: uniqueName("bench-real"), victim: victim ?? "", spares, total: workload.deployments * workload.replicas, joined };
  try {
    for (const spare of spares) await setUnschedulable(spare, true);
    await apply(namespace(scene.ns));
    await serviceAccountReady(scene.ns);
    const objects: unknown[] = [];
    for (let i = 0; i < workload.deployments; i++) {
      objects.push(webAppDeployment(scene.ns, realLabel, workload.replicas, workload.shutdownDelaySeconds, `app-${i}`));
      if (i % 2 === 0) objects.push(pdb(scene.ns, `app-${i}-pdb`, `app-${i}`, { maxUnavailable: 1 }));
    }
    const started = Date.now();
    await apply(...objects);
    await settledOnVictim(scene);
    log(`drain-real: ${scene.total} pods Ready on ${scene.victim} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return scene;
  } catch (error) {
    await cleanupRealScene(scene);
    throw error;
  }
}

/**
 * After a drain: the victim open again without our drain's annotations (a next drain of ours would
 * take them for its own resumed attempt), the spares cordoned, their pods deleted so their
 * ReplicaSets recreate them on the victim; resolves once all is as prepareRealScene left it.
 */
export async function moveBackToVictim(scene: RealScene): Promise<void> {
  await kubectl(["patch", "node", scene.victim, "--type=merge", "-p", JSON.stringify({ metadata: { annotations: drainStateCleared }, spec: { unschedulable: false } })]);
  for (const spare of scene.spares) await setUnschedulable(spare, true);
  for (const spare of scene.spares) await kubectl(["delete", "pods", "-n", scene.ns, `--field-selector=spec.nodeName=${spare}`, "--wait=false"]);
  await settledOnVictim(scene);
}

/** The namespace deleted (its pods terminated by the real kubelets), then the hosts removed. */
export async function cleanupRealScene(scene: RealScene): Promise<void> {
  try {
    await kubectl(["delete", "namespace", scene.ns, "--ignore-not-found", "--timeout=120s"]);
  } finally {
    await leaveRealNodes(scene.joined);
  }
}
