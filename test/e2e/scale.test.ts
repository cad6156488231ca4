import { PdbObserver } from "../integration/support/pdb-observer";
import { apply, bootstrapTokenSecrets, kubectl, kubectlJson, labHosts, labSsh, waitFor } from "../integration/support/lab";
import { deployment, pdb } from "../integration/support/workloads";
import { podsByNode } from "../integration/support/kwok-nodes";
import { entryFor, setConfig, type NodeEntry } from "./support/lab-stack";
import { labStackForSuite, previewPlan } from "./support/suite-stack";

// The user stories of DESIGN.md with the real pulumi CLI against the lab, in order on one stack:
// scale out, review a change in preview, scale in (with a PDB in the way, then resumed), a create
// that fails half-way, and destroy.
jest.setTimeout(600_000);

const e2eLabel = { "kubeadm-workers-e2e": "scale" };
const ns = "e2e-scale";

async function nodeView(name: string) {
  return kubectlJson<{ metadata: { uid: string; labels: Record<string, string> }; spec: { taints?: unknown[]; unschedulable?: boolean }; status: { conditions: { type: string; status: string }[] } }>(["get", "node", name]);
}

describe("scale out and in with pulumi up on the lab", () => {
  const stack = labStackForSuite("scale", { hosts: 3, namespace: ns });
  const hosts = (): ReturnType<typeof labHosts> => labHosts();
  let entries: NodeEntry[];

  test("three hosts join in parallel through one pulumi up; each Node is Ready with its labels and taints", async () => {
    const [h1, h2, h3] = hosts();
    entries = [
      entryFor(h1, { labels: { ...e2eLabel, tier: "web" } }),
      entryFor(h2, { labels: { ...e2eLabel, tier: "web" } }),
      entryFor(h3, { labels: { ...e2eLabel, tier: "batch" }, taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }] }),
    ];
    await setConfig(stack.project, { nodes: entries });

    const up = await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);

    // three WorkerNodes and the stack itself
    expect(up.stdout).toMatch(/\+ 4 created/);
    for (const entry of entries) {
      const node = await nodeView(entry.name);
      expect(node.status.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
      expect(node.metadata.labels).toMatchObject(entry.labels ?? {});
      expect(up.stdout).toContain(`${entry.name}: Ready (kubelet v1.36.3`);
    }
    expect((await nodeView(h3.name)).spec.taints).toEqual([{ key: "dedicated", value: "batch", effect: "NoSchedule" }]);

    // Nothing of the join is left behind: no bootstrap token, no join config on any host.
    expect(await bootstrapTokenSecrets()).toBe("");
    for (const host of hosts()) {
      expect((await labSsh(host.address, "test -e /etc/kubernetes/kubeadm-workers-join.json && echo present || echo absent")).stdout.trim()).toBe("absent");
    }
    // Secrets are never in the state in plaintext (the export is not decrypted).
    const state = (await stack.project.pulumiOk(["stack", "export"])).stdout;
    expect(state).not.toMatch(/PRIVATE KEY/);
    expect(state).not.toMatch(/client-key-data/);
    expect(state).not.toMatch(/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/);
    expect(up.stdout + up.stderr).not.toMatch(/PRIVATE KEY|[a-z0-9]{6}\.[a-z0-9]{16}/);
  });

  test("a second up changes nothing", async () => {
    const { stdout } = await stack.project.pulumiOk(["preview", "--expect-no-changes"]);
    expect(stdout).toMatch(/4 unchanged/);
  });

  test("a label change previews as an in-place update and is applied in place", async () => {
    const uid = (await nodeView(entries[0].name)).metadata.uid;
    entries[0] = { ...entries[0], labels: { ...e2eLabel, tier: "api" } };
    await setConfig(stack.project, { nodes: entries });

    const step = (await previewPlan(stack.project)).get(entries[0].name);
    expect(step?.op).toBe("update");
    expect(step?.diffReasons).toEqual(["labels"]);
    const text = (await stack.project.pulumiOk(["preview", "--diff"])).stdout;
    expect(text).toMatch(/~ tier\s*: "web" => "api"/);

    await stack.project.pulumiOk(["up", "--yes", "--skip-preview"]);
    const node = await nodeView(entries[0].name);
    expect(node.metadata.labels.tier).toBe("api");
    expect(node.metadata.uid).toBe(uid);
  });

  test("a host change previews as a replacement, showing the changed host", async () => {
    // An address no other entry uses (two entries on one host are refused at preview); nothing dials it.
    const changed = entries.map((e, i) => (i === 0 ? { ...e, host: "10.213.0.99", hostKey: hosts()[1].hostKey } : e));
    await setConfig(stack.project, { nodes: changed });

    const step = (await previewPlan(stack.project)).get(entries[0].name);
    expect(step?.op).toBe("replace");
    expect(step?.diffReasons).toEqual(["connection"]);
    const text = (await stack.project.pulumiOk(["preview", "--diff"])).stdout;
    expect(text).toMatch(/\+-pulumi-nodejs:dynamic\/kubeadm-workers:WorkerNode: \(replace\)/);
    expect(text).toMatch(/~ host\s*: "10\.213\.0\.11" => "10\.213\.0\.99"/);
    expect(text).toMatch(/\+-1 to replace/);

    await setConfig(stack.project, { nodes: entries });
  });

  test("a replacement on the same host removes the old Node before joining the new one", async () => {
    const renamed = `${entries[2].name}-b`;
    const before = entries[2];
    entries[2] = { ...before, nodeName: renamed };
    await setConfig(stack.project, { nodes: entries });

    const { stdout } = await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);

    const deleted = stdout.indexOf(`WorkerNode ${before.name} deleted original`);
    const created = stdout.indexOf(`WorkerNode ${before.name} creating replacement`);
    expect(deleted).toBeGreaterThan(-1);
    expect(created).toBeGreaterThan(deleted);
    expect((await kubectl(["get", "node", before.name, "--ignore-not-found"])).stdout.trim()).toBe("");
    expect((await nodeView(renamed)).status.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
  });

  test("a scale-in a PDB blocks fails listing the blockers, stays cordoned and in state; fixing the PDB and re-running finishes", async () => {
    const removed = entries[1];
    // Two replicas of "api", one per untainted node, guarded by a PDB that allows no disruption.
    await apply(deployment(ns, "api", "unused", 2, { nodeSelector: e2eLabel, spread: true }), pdb(ns, "api-pdb", "api", { minAvailable: 2 }));
    await waitFor("api pods Ready on both untainted nodes", async () => {
      const byNode = await podsByNode(ns);
      return byNode.get(entries[0].name)?.some((p) => p.ready) && byNode.get(removed.name)?.some((p) => p.ready) ? true : undefined;
    });
    // Delete runs with the options recorded at the last up (Pulumi hands delete the old outputs), so
    // the drain timeout is set in its own up first, as a stack would already carry it.
    await setConfig(stack.project, { drain: { timeoutSeconds: 15 } });
    await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 300_000);
    await setConfig(stack.project, { nodes: entries.filter((e) => e !== removed) });
    const observer = new PdbObserver(ns);
    try {
      const blocked = await stack.project.pulumi(["up", "--yes", "--skip-preview"], 300_000);

      expect(blocked.code).not.toBe(0);
      expect(blocked.stdout + blocked.stderr).toMatch(new RegExp(`drain of ${removed.name} timed out after 15s`));
      expect(blocked.stdout + blocked.stderr).toMatch(new RegExp(`PDB ${ns}/api-pdb allows 0 disruptions`));
      expect((await nodeView(removed.name)).spec.unschedulable).toBe(true);
      expect((await stack.project.pulumiOk(["stack", "export"])).stdout).toContain(`::${removed.name}"`);

      // GIVEN the PDB fixed WHEN up runs again THEN the removal finishes and the pod runs elsewhere
      await kubectl(["patch", "pdb", "api-pdb", "-n", ns, "--type=json", "-p", '[{"op":"remove","path":"/spec/minAvailable"},{"op":"add","path":"/spec/maxUnavailable","value":1}]']);
      // The spread constraint must not keep the replacement Pending on the one node left.
      await kubectl(["patch", "deployment", "api", "-n", ns, "--type=json", "-p", '[{"op":"remove","path":"/spec/template/spec/topologySpreadConstraints"}]']);
      await waitFor("the api rollout", async () => {
        const d = await kubectlJson<{ status: { readyReplicas?: number; updatedReplicas?: number } }>(["get", "deployment", "api", "-n", ns]);
        return d.status.readyReplicas === 2 && d.status.updatedReplicas === 2 ? true : undefined;
      });
      const resumed = await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 300_000);
      expect(resumed.stdout).toMatch(/- 1 deleted/);
    } finally {
      await observer.stop();
    }

    expect((await kubectl(["get", "node", removed.name, "--ignore-not-found"])).stdout.trim()).toBe("");
    expect((await labSsh(removed.host, "test -e /etc/kubernetes/kubelet.conf && echo joined || echo reset")).stdout.trim()).toBe("reset");
    expect(observer.violations).toEqual([]);
    entries = entries.filter((e) => e !== removed);
  });

  test("a create that fails half-way (kubeadm join refused) leaves no Node, no token, a reset host and nothing in state", async () => {
    const retried = entryFor(hosts()[1], { labels: e2eLabel });
    // Without the lab's cgroup v1 exception, kubeadm's preflight refuses the join on this machine.
    await setConfig(stack.project, { nodes: [...entries, retried], kubeadm: { ignorePreflightErrors: [] } });

    const failed = await stack.project.pulumi(["up", "--yes", "--skip-preview"], 300_000);

    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/create of worker lab-host-2 on 10\.213\.0\.12:22 failed: host 10\.213\.0\.12:22: kubeadm join failed/);
    expect(failed.stdout + failed.stderr).toMatch(/cgroups v1/);
    expect(failed.stdout + failed.stderr).toMatch(/undone: host reset \(kubeadm reset -f\)/);
    expect((await kubectl(["get", "node", retried.name, "--ignore-not-found"])).stdout.trim()).toBe("");
    expect(await bootstrapTokenSecrets()).toBe("");
    expect((await labSsh(retried.host, "test -e /etc/kubernetes/kubelet.conf && echo joined || echo reset")).stdout.trim()).toBe("reset");
    expect((await stack.project.pulumiOk(["stack", "export"])).stdout).not.toContain(`::${retried.name}"`);

    await setConfig(stack.project, { nodes: entries, kubeadm: { ignorePreflightErrors: ["SystemVerification"] } });
  });

  test("destroy drains and removes every node and resets the hosts", async () => {
    await kubectl(["delete", "namespace", ns, "--wait=true", "--timeout=60s"]);
    const destroyed = await stack.project.pulumiOk(["destroy", "--yes", "--skip-preview"], 600_000);
    expect(destroyed.stdout).toMatch(/- \d+ deleted/);
    for (const entry of entries) {
      expect((await kubectl(["get", "node", entry.name, "--ignore-not-found"])).stdout.trim()).toBe("");
      expect((await labSsh(entry.host, "test -e /etc/kubernetes/kubelet.conf && echo joined || echo reset")).stdout.trim()).toBe("reset");
    }
  });
});
