import type { ClusterApi } from "../../providers/cluster/kube-api";
import { DrainError, drainNode } from "../../providers/drain/execute";
import { defaultDrainOptions, type DrainOptions } from "../../providers/drain/options";
import { deleteWorkerNode } from "../../providers/worker-node/delete";
import type { WorkerNodeEffects } from "../../providers/worker-node/create";
import type { WorkerNodeOutputs } from "../../providers/worker-node/outputs";
import { createKwokNode, deleteNodes, podsByNode, setUnschedulable } from "./support/kwok-nodes";
import { apply, kubeconfigPath, kubectl, kubectlJson, labCluster, requireLab, uniqueName, waitFor } from "./support/lab";
import { PdbObserver } from "./support/pdb-observer";
import { daemonSet, deployment, job, nakedPod, namespace, pdb, statefulSet } from "./support/workloads";
import * as fs from "node:fs";

jest.setTimeout(240_000);

interface Scene {
  readonly ns: string;
  readonly label: string;
  readonly victim: string;
  readonly spares: string[];
  readonly log: string[];
}

const scenes: Scene[] = [];
let cluster: ClusterApi;

function effects(scene: Scene): WorkerNodeEffects {
  return {
    connectCluster: () => cluster,
    openSession: () => Promise.reject(new Error("drain tests never reach a host")),
    randomBytes: () => Buffer.alloc(0),
    now: () => new Date(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    log: (line) => scene.log.push(`${new Date().toISOString()} ${line}`),
  };
}

/** A namespace, a victim node with the workloads on it, and spare nodes (cordoned until `ready`). */
async function scene(spareCount = 2, spareAllocatable?: Record<string, string>): Promise<Scene> {
  const label = uniqueName("drain");
  const s: Scene = { ns: label, label, victim: `${label}-victim`, spares: Array.from({ length: spareCount }, (_, i) => `${label}-spare-${i}`), log: [] };
  scenes.push(s);
  await apply(namespace(s.ns));
  await createKwokNode(s.victim, label);
  for (const spare of s.spares) await createKwokNode(spare, label, { unschedulable: true, ...(spareAllocatable ? { allocatable: spareAllocatable } : {}) });
  await waitFor(`ServiceAccount default in ${s.ns}`, async () => ((await kubectl(["get", "sa", "-n", s.ns])).stdout.includes("default") ? true : undefined));
  return s;
}

/** Waits until every pod of the namespace is Ready (or Succeeded) on the victim, then opens the spares. */
async function settle(s: Scene, expectedPods: number): Promise<void> {
  await waitFor(`${expectedPods} pods settled on ${s.victim}`, async () => {
    const pods = (await podsByNode(s.ns)).get(s.victim) ?? [];
    return pods.length === expectedPods && pods.every((p) => p.ready || p.phase === "Succeeded") ? true : undefined;
  }, 90_000);
  for (const spare of s.spares) await setUnschedulable(spare, false);
  await setUnschedulable(s.victim, true);
}

function options(overrides: Partial<DrainOptions>): DrainOptions {
  return { ...defaultDrainOptions, timeoutSeconds: 120, ...overrides };
}

/** The full mix of pods kubectl drain distinguishes: Deployments with and without a PDB, a StatefulSet, a DaemonSet, a naked pod, an emptyDir pod, a finished Job. */
async function fullMix(s: Scene): Promise<number> {
  await apply(
    deployment(s.ns, "web", s.label, 2),
    pdb(s.ns, "web-pdb", "web", { maxUnavailable: 1 }),
    deployment(s.ns, "worker", s.label, 2),
    statefulSet(s.ns, "db", s.label, 2),
    pdb(s.ns, "db-pdb", "db", { maxUnavailable: 1 }),
    daemonSet(s.ns, "agent", s.label),
    nakedPod(s.ns, "debug", s.victim),
    deployment(s.ns, "cache", s.label, 1, { emptyDir: true }),
    job(s.ns, "migrate", s.label),
  );
  // On the victim: 2 web, 2 worker, 2 db, 1 agent (the DaemonSet also runs on the cordoned spares), 1 debug, 1 cache, 1 migrate.
  return 10;
}

beforeAll(() => {
  requireLab();
  cluster = labCluster();
});

afterAll(async () => {
  for (const s of scenes) {
    await kubectl(["delete", "namespace", s.ns, "--wait=false", "--ignore-not-found"]).catch(() => undefined);
    await deleteNodes([s.victim, ...s.spares]).catch(() => undefined);
  }
});

describe("drain on the lab cluster", () => {
  test("defaults refuse before any eviction, naming every blocker and the option that overrides it", async () => {
    const s = await scene();
    await settle(s, await fullMix(s));
    const before = (await podsByNode(s.ns)).get(s.victim)?.map((p) => p.name).sort();

    const error = await drainNode(cluster, s.victim, options({}), effects(s)).catch((e: Error) => e);

    expect(error).toBeInstanceOf(DrainError);
    expect((error as Error).message).toMatch(/set drain\.deleteEmptyDirData: true[^\n]*cache-/);
    expect((error as Error).message).toMatch(/set drain\.force: true[^\n]*\/debug/);
    expect((error as Error).message).toMatch(/Nothing was evicted; the node stays cordoned/);
    expect((await podsByNode(s.ns)).get(s.victim)?.map((p) => p.name).sort()).toEqual(before);
    const node = await kubectlJson<{ spec: { unschedulable?: boolean }; metadata: { annotations: Record<string, string> } }>(["get", "node", s.victim]);
    expect(node.spec.unschedulable).toBe(true);
    expect(node.metadata.annotations["kubeadm-workers.io/drain-phase"]).toBe("blocked");
    expect(node.metadata.annotations["kubeadm-workers.io/drain-blockers"]).toMatch(/debug/);
  });

  test("force + deleteEmptyDirData drains everything but the DaemonSet pod, never breaking a PDB, and waits for replacements", async () => {
    const s = await scene();
    await settle(s, await fullMix(s));
    const observer = new PdbObserver(s.ns);
    try {
      await drainNode(cluster, s.victim, options({ force: true, deleteEmptyDirData: true }), effects(s));
    } finally {
      await observer.stop();
    }

    const byNode = await podsByNode(s.ns);
    expect(byNode.get(s.victim)?.map((p) => p.name.replace(/-[a-z0-9]{5}$/, ""))).toEqual(["agent"]);
    // Every workload is Ready again elsewhere when the drain returns.
    for (const kind of ["deployment/web", "deployment/worker", "deployment/cache", "statefulset/db"]) {
      const status = await kubectlJson<{ spec: { replicas: number }; status: { readyReplicas?: number } }>(["get", kind, "-n", s.ns]);
      expect(`${kind} ${status.status.readyReplicas ?? 0}`).toBe(`${kind} ${status.spec.replicas}`);
    }
    expect(observer.samples).toBeGreaterThan(0);
    expect(observer.violations).toEqual([]);
    // 9 pods evicted: all but the DaemonSet's (the finished Job pod is removed too, as kubectl does)
    expect(s.log.join("\n")).toMatch(/evicted 9\/9 pods/);
  });

  test("a PDB that can never be satisfied times out listing it; the node stays cordoned; fixing the PDB lets a re-run finish", async () => {
    const s = await scene();
    await apply(deployment(s.ns, "api", s.label, 2), pdb(s.ns, "api-pdb", "api", { minAvailable: 2 }));
    await settle(s, 2);
    const observer = new PdbObserver(s.ns);
    try {
      const error = await drainNode(cluster, s.victim, options({ timeoutSeconds: 8 }), effects(s)).catch((e: Error) => e);

      expect(error).toBeInstanceOf(DrainError);
      expect((error as Error).message).toMatch(/drain of .* timed out after 8s/);
      expect((error as Error).message).toMatch(new RegExp(`PDB ${s.ns}/api-pdb allows 0 disruptions: 2 of 2 healthy, needs 2`));
      expect((error as Error).message).toMatch(/the node stays cordoned/);
      expect((await podsByNode(s.ns)).get(s.victim)).toHaveLength(2);
      const node = await kubectlJson<{ spec: { unschedulable?: boolean }; metadata: { annotations: Record<string, string> } }>(["get", "node", s.victim]);
      expect(node.spec.unschedulable).toBe(true);
      expect(node.metadata.annotations["kubeadm-workers.io/drain-phase"]).toBe("timed-out");

      // GIVEN the PDB is fixed WHEN the drain runs again THEN it finishes
      await kubectl(["patch", "pdb", "api-pdb", "-n", s.ns, "--type=json", "-p", '[{"op":"remove","path":"/spec/minAvailable"},{"op":"add","path":"/spec/maxUnavailable","value":1}]']);
      await drainNode(cluster, s.victim, options({}), effects(s));
    } finally {
      await observer.stop();
    }
    expect((await podsByNode(s.ns)).get(s.victim) ?? []).toEqual([]);
    expect(observer.violations).toEqual([]);
  });

  test("not enough capacity on the remaining nodes: refused before the first eviction", async () => {
    const s = await scene(1, { cpu: "1", memory: "4Gi", pods: "110" });
    await apply(deployment(s.ns, "big", s.label, 2, { cpu: "600m" }));
    await settle(s, 2);

    const error = await drainNode(cluster, s.victim, options({}), effects(s)).catch((e: Error) => e);

    expect(error).toBeInstanceOf(DrainError);
    expect((error as Error).message).toMatch(/would not fit on the nodes that remain, so nothing was evicted/);
    expect((error as Error).message).toMatch(/cpu 600m/);
    expect((await podsByNode(s.ns)).get(s.victim)).toHaveLength(2);
  });

  test("two nodes removed at once with the default budget drain one after the other", async () => {
    const s = await scene(2);
    const second = `${s.label}-victim-2`;
    await createKwokNode(second, s.label, { unschedulable: true });
    s.spares.push(second);
    await apply(deployment(s.ns, "web", s.label, 2), pdb(s.ns, "web-pdb", "web", { maxUnavailable: 1 }));
    await settle(s, 2);
    // Put the second victim's pods on it: open it alone for a second deployment.
    await setUnschedulable(s.spares[0], true);
    await setUnschedulable(s.spares[1], true);
    await setUnschedulable(second, false);
    await apply(deployment(s.ns, "api", s.label, 2), pdb(s.ns, "api-pdb", "api", { maxUnavailable: 1 }));
    await waitFor("api pods on the second victim", async () => ((await podsByNode(s.ns)).get(second)?.filter((p) => p.ready).length === 2 ? true : undefined));
    await setUnschedulable(s.spares[0], false);
    await setUnschedulable(s.spares[1], false);

    const kubeconfig = fs.readFileSync(kubeconfigPath, "utf8");
    const olds = (node: string): WorkerNodeOutputs =>
      ({ nodeName: node, machineId: "", reset: false, drain: { timeoutSeconds: 120 }, cluster: { kubeconfig } }) as unknown as WorkerNodeOutputs;
    const observer = new PdbObserver(s.ns);
    try {
      await Promise.all([deleteWorkerNode(olds(s.victim), effects(s)), deleteWorkerNode(olds(second), effects(s))]);
    } finally {
      await observer.stop();
    }

    const window = (node: string): [number, number] => {
      const started = s.log.find((l) => l.includes(`${node}: draining (slot taken`));
      const ended = s.log.find((l) => l.includes(`${node}: Node deleted`));
      expect(started && ended).toBeTruthy();
      return [Date.parse((started as string).split(" ")[0]), Date.parse((ended as string).split(" ")[0])];
    };
    const [a, b] = [window(s.victim), window(second)];
    // THEN one drain ended before the other started
    expect(a[1] <= b[0] || b[1] <= a[0]).toBe(true);
    expect(observer.violations).toEqual([]);
    for (const node of [s.victim, second]) {
      expect((await kubectl(["get", "node", node, "--ignore-not-found"])).stdout.trim()).toBe("");
    }
  });
});
