import { connectCluster, type ClusterApi } from "../../providers/cluster/kube-api";
import { caCertHash, splitPemBundle } from "../../providers/cluster/ca-hash";
import { drainWithSlot } from "../../providers/drain/drain-with-slot";
import { DrainError, drainNode } from "../../providers/drain/execute";
import { defaultDrainOptions, type DrainOptions } from "../../providers/drain/options";
import { deleteWorkerNode } from "../../providers/worker-node/delete";
import { updateWorkerNode } from "../../providers/worker-node/update";
import type { WorkerNodeInputs } from "../../providers/worker-node/inputs";
import type { WorkerNodeEffects } from "../../providers/worker-node/create";
import type { WorkerNodeOutputs } from "../../providers/worker-node/outputs";
import { CordonObserver } from "./support/cordon-observer";
import { createKwokNode, deleteNodes, markJoinedByUs, podsByNode, setUnschedulable } from "./support/kwok-nodes";
import { deleteLimitedIdentity, kubeconfigWithoutEviction } from "./support/limited-identity";
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
const identities: string[] = [];
let cluster: ClusterApi;
let labCaHash: string;

/** What a create of `node` would have recorded on the lab cluster (no host: reset off). */
async function recordedOutputs(node: string, drain: Record<string, unknown>, changes: Partial<WorkerNodeOutputs> = {}): Promise<WorkerNodeOutputs> {
  const machineId = await markJoinedByUs(node);
  const kubeconfig = fs.readFileSync(kubeconfigPath, "utf8");
  return { nodeName: node, machineId, caCertHash: labCaHash, reset: false, drain, cluster: { kubeconfig }, labels: {}, taints: [], ...changes } as unknown as WorkerNodeOutputs;
}

interface NodeState {
  spec: { unschedulable?: boolean };
  metadata: { annotations?: Record<string, string> };
}

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

beforeAll(async () => {
  requireLab();
  cluster = labCluster();
  labCaHash = caCertHash(splitPemBundle(await cluster.clusterInfoCaPem())[0]);
});

// Each test's scenes go when it ends, not with the file: a node a drain of ours left cordoned
// (refused, timed out) counts against every later drain's budget until it is uncordoned or gone
// (providers/drain/stranded.ts), as it would on a real cluster.
afterEach(async () => {
  for (const s of scenes.splice(0)) {
    await kubectl(["delete", "namespace", s.ns, "--wait=false", "--ignore-not-found"]).catch(() => undefined);
    await deleteNodes([s.victim, ...s.spares]).catch(() => undefined);
  }
});

afterAll(async () => {
  for (const name of identities) await deleteLimitedIdentity(name);
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

  test("ten pods behind a PDB that allows one disruption: one eviction each, not 10 + 9 + ... + 1, and the budget never broken", async () => {
    const s = await scene(1);
    await apply(deployment(s.ns, "web", s.label, 10), pdb(s.ns, "web-pdb", "web", { maxUnavailable: 1 }));
    await settle(s, 10);
    await waitFor("PDB web-pdb allowing 1 disruption", async () => ((await cluster.readPdb(s.ns, "web-pdb"))?.disruptionsAllowed === 1 ? true : undefined));
    // Every eviction the drain sends, through the one interface it has to the cluster.
    const evictions: string[] = [];
    const counting: ClusterApi = {
      ...cluster,
      evictPod: async (pod, gracePeriodSeconds) => {
        const outcome = await cluster.evictPod(pod, gracePeriodSeconds);
        evictions.push(`${pod.name} ${outcome.kind}`);
        return outcome;
      },
    };
    const observer = new PdbObserver(s.ns);
    try {
      await drainNode(counting, s.victim, options({}), effects(s));
    } finally {
      await observer.stop();
    }

    expect((await podsByNode(s.ns)).get(s.victim) ?? []).toEqual([]);
    expect(evictions.filter((e) => e.endsWith(" evicted"))).toHaveLength(10);
    // Linear: each pod is sent when the PDB's status allows it, so a refusal (429) can only come from
    // a status read a moment before our previous eviction reached it; the old drain sent 55 here.
    s.log.push(`evictions sent: ${evictions.length} (${evictions.join(", ")})`);
    expect(evictions.length).toBeLessThan(2 * 10);
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

  test("two nodes removed at once with the default budget: never more than one cordoned, drained one after the other", async () => {
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
    // GIVEN both victims schedulable, as workers are before a scale-in
    await setUnschedulable(s.victim, false);

    // WHEN both are removed in one `up` with maxConcurrentDrains 1
    const options = { timeoutSeconds: 120, maxConcurrentDrains: 1 };
    const [a, b] = [await recordedOutputs(s.victim, options), await recordedOutputs(second, options)];
    // (made with nothing awaited before the try: a failure there would leave their kubectl watches running)
    const observer = new CordonObserver(s.label, [s.victim, second]);
    const pdbs = new PdbObserver(s.ns);
    try {
      await Promise.all([deleteWorkerNode(a, effects(s)), deleteWorkerNode(b, effects(s))]);
    } finally {
      // the PDB observer first: its watches are processes, and a failed poll of the Nodes makes observer.stop() throw
      await pdbs.stop();
      await observer.stop();
    }

    // THEN an observer polling the Nodes never saw both cordoned
    expect(observer.samples).toBeGreaterThan(5);
    expect(`${observer.most} ${observer.worst}`).toMatch(/^1 /);
    const window = (node: string): [number, number] => {
      const started = s.log.find((l) => l.includes(`${node}: cordoned (drain slot`));
      const ended = s.log.find((l) => l.includes(`${node}: Node deleted`));
      expect(started && ended).toBeTruthy();
      return [Date.parse((started as string).split(" ")[0]), Date.parse((ended as string).split(" ")[0])];
    };
    const [first, next] = [window(s.victim), window(second)];
    // THEN one drain ended before the other started
    expect(first[1] <= next[0] || next[1] <= first[0]).toBe(true);
    expect(pdbs.violations).toEqual([]);
    for (const node of [s.victim, second]) {
      expect((await kubectl(["get", "node", node, "--ignore-not-found"])).stdout.trim()).toBe("");
    }
  });

  test("an eviction refused with 403 by RBAC fails at once naming the permission; nothing else is retried", async () => {
    const s = await scene(1);
    await apply(deployment(s.ns, "web", s.label, 2));
    await settle(s, 2);
    await setUnschedulable(s.victim, false);
    const name = `${s.label}-no-evict`;
    identities.push(name);
    const limited = connectCluster(await kubeconfigWithoutEviction(s.ns, name));

    // WHEN a drain with a long timeout runs as an identity without pods/eviction
    const error = await drainWithSlot(limited, s.victim, options({ timeoutSeconds: 300 }), effects(s), "remove", () => Promise.resolve()).catch((e: Error) => e);

    // THEN it fails (not times out) naming the verb and resource, and both pods are still there
    expect(error).toBeInstanceOf(DrainError);
    expect((error as Error).message).toMatch(/drain of .* stopped: eviction of pod .* was refused \(HTTP 403\)/);
    expect((error as Error).message).toMatch(/create pods\/eviction \(verb "create", resource "pods", subresource "eviction"\)/);
    expect((error as Error).message).toMatch(new RegExp(`system:serviceaccount:${s.ns}:${name}`));
    expect((error as Error).message).not.toMatch(/timed out/);
    expect((await podsByNode(s.ns)).get(s.victim)).toHaveLength(2);
  });

  test("a pod two PDBs select (the Eviction API's 500) fails at once naming both PDBs", async () => {
    const s = await scene(1);
    await apply(deployment(s.ns, "web", s.label, 2), pdb(s.ns, "web-pdb-a", "web", { maxUnavailable: 1 }), pdb(s.ns, "web-pdb-b", "web", { maxUnavailable: 1 }));
    await settle(s, 2);

    const error = await drainNode(cluster, s.victim, options({ timeoutSeconds: 300 }), effects(s)).catch((e: Error) => e);

    expect(error).toBeInstanceOf(DrainError);
    expect((error as Error).message).toMatch(/drain of .* stopped: pod .* is selected by more than one PodDisruptionBudget/);
    expect((error as Error).message).toMatch(new RegExp(`The PDBs selecting it: ${s.ns}/web-pdb-a, ${s.ns}/web-pdb-b\\.`));
    expect((error as Error).message).not.toMatch(/timed out/);
  });

  test("a replacement blocked by a DoNotSchedule topology spread is named in the timeout message", async () => {
    const s = await scene(1);
    // One pod on the victim (the spare is cordoned), the second goes to the spare once it opens.
    await apply(deployment(s.ns, "spread", s.label, 2, { spread: true }));
    await settle(s, 1);
    await waitFor("the second spread pod Ready on the spare", async () => ((await podsByNode(s.ns)).get(s.spares[0])?.filter((p) => p.ready).length === 1 ? true : undefined));

    const error = await drainNode(cluster, s.victim, options({ timeoutSeconds: 15 }), effects(s)).catch((e: Error) => e);

    expect(error).toBeInstanceOf(DrainError);
    expect((error as Error).message).toMatch(/timed out after 15s: 1 workload not Ready again: ReplicaSet .*\/spread-[a-z0-9]+ \(1 of 2 ready; pod .* cannot be scheduled: a topology spread constraint with whenUnsatisfiable: DoNotSchedule/);
    expect((error as Error).message).toMatch(/didn't match pod topology spread constraints/);
    expect(s.log.join("\n")).toMatch(/waiting for replacements: ReplicaSet .* 1 of 2 ready \(pod .* cannot be scheduled: a topology spread constraint/);
  });

  test("ownership mismatch (another cluster's CA, or another machine under the name) refuses and touches nothing", async () => {
    const s = await scene(1);
    await apply(deployment(s.ns, "web", s.label, 1));
    await settle(s, 1);
    await setUnschedulable(s.victim, false);
    const before = (await podsByNode(s.ns)).get(s.victim)?.map((p) => p.name);
    const otherCa = "sha256:" + "ab".repeat(32);

    const wrongCluster = await deleteWorkerNode(await recordedOutputs(s.victim, {}, { caCertHash: otherCa }), effects(s)).catch((e: Error) => e);
    const wrongMachine = await deleteWorkerNode(await recordedOutputs(s.victim, {}, { machineId: "another-machine" }), effects(s)).catch((e: Error) => e);

    expect((wrongCluster as Error).message).toMatch(new RegExp(`publishes CA ${labCaHash}.*joined the cluster with CA ${otherCa}`));
    expect((wrongMachine as Error).message).toMatch(/joined as machine another-machine, but Node .* reports machine .*-machine/);
    const node = await kubectlJson<NodeState>(["get", "node", s.victim]);
    expect(node.spec.unschedulable).toBeFalsy();
    expect(node.metadata.annotations?.["kubeadm-workers.io/drain-phase"]).toBeUndefined();
    expect((await podsByNode(s.ns)).get(s.victim)?.map((p) => p.name)).toEqual(before);
  });

  test("a scale-in that timed out, then the entry added back: the node ends uncordoned", async () => {
    const s = await scene(1);
    await apply(deployment(s.ns, "api", s.label, 2), pdb(s.ns, "api-pdb", "api", { minAvailable: 2 }));
    await settle(s, 2);
    await setUnschedulable(s.victim, false);
    const olds = await recordedOutputs(s.victim, { timeoutSeconds: 8 });

    const error = await deleteWorkerNode(olds, effects(s)).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/timed out after 8s/);
    expect((await kubectlJson<NodeState>(["get", "node", s.victim])).spec.unschedulable).toBe(true);

    // WHEN the entry comes back (Pulumi updates the resource still in state)
    const news = { connection: { host: "10.213.0.250" }, cluster: olds.cluster, drain: { timeoutSeconds: 8 } } as unknown as WorkerNodeInputs;
    await updateWorkerNode(olds, news, effects(s));

    const node = await kubectlJson<NodeState>(["get", "node", s.victim]);
    expect(node.spec.unschedulable).toBeFalsy();
    expect(Object.keys(node.metadata.annotations ?? {}).filter((k) => k.startsWith("kubeadm-workers.io/drain"))).toEqual([]);
  });

  test("the cluster's critical pods are evicted only after every other pod is gone", async () => {
    const s = await scene(1);
    await apply(deployment(s.ns, "web", s.label, 3), deployment(s.ns, "dns", s.label, 1, { priorityClassName: "system-cluster-critical" }));
    await settle(s, 4);
    // An observer of the victim's pods: what was still there the first time the critical pod was not.
    const seen: string[][] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const names = ((await podsByNode(s.ns)).get(s.victim) ?? []).map((p) => p.name);
        seen.push(names);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await drainNode(cluster, s.victim, options({}), effects(s));
    watching = false;
    await watcher;

    // THEN no moment showed the critical pod leaving while a workload pod was still on the node
    const leftEarly = seen.filter((names) => !names.some((n) => n.startsWith("dns-")) && names.some((n) => n.startsWith("web-")));
    expect(seen.length).toBeGreaterThan(1);
    expect(leftEarly).toEqual([]);
    expect((await podsByNode(s.ns)).get(s.victim) ?? []).toEqual([]);
    expect(s.log.join("\n")).toMatch(/evicting 1 critical pod\(s\) last \([^)]*\/dns-/);
  });

  test("volumes still attached keep the Node: the wait times out naming the VolumeAttachment", async () => {
    const s = await scene(1);
    await settle(s, 0);
    await setUnschedulable(s.victim, false);
    const attachment = `${s.label}-va`;
    await apply({
      apiVersion: "storage.k8s.io/v1",
      kind: "VolumeAttachment",
      metadata: { name: attachment },
      spec: { attacher: "csi.example.com", nodeName: s.victim, source: { persistentVolumeName: `${s.label}-pv` } },
    });
    try {
      const error = await deleteWorkerNode(await recordedOutputs(s.victim, { volumeDetachTimeoutSeconds: 3 }), effects(s)).catch((e: Error) => e);
      expect((error as Error).message).toMatch(new RegExp(`volumes of ${s.victim} not detached after 3s: 1 VolumeAttachment still name the node: ${attachment} \\(volume ${s.label}-pv\\)`));
      expect((await kubectl(["get", "node", s.victim, "-o", "name"])).stdout.trim()).toBe(`node/${s.victim}`);
    } finally {
      await kubectl(["delete", "volumeattachment", attachment, "--ignore-not-found"]);
    }
    // GIVEN the volume detached WHEN the scale-in runs again THEN the Node goes
    await deleteWorkerNode(await recordedOutputs(s.victim, { volumeDetachTimeoutSeconds: 3 }), effects(s));
    expect((await kubectl(["get", "node", s.victim, "--ignore-not-found"])).stdout.trim()).toBe("");
  });
});
