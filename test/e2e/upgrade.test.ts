import { PdbObserver } from "../integration/support/pdb-observer";
import { apply, kubectl, kubectlJson, labClusterConfig, labHosts, labSsh, removeKubePackages, requireLab, waitFor } from "../integration/support/lab";
import { deployment, namespace, pdb } from "../integration/support/workloads";
import { CordonObserver } from "./support/cordon-observer";
import type { PulumiProject } from "./support/pulumi-project";
import { createLabStack, entryFor, setConfig, type NodeEntry } from "./support/lab-stack";

// A rolling in-place upgrade with the real CLI: three nodes joined at 1.36.2, kubernetesVersion
// bumped to 1.36.3, one `pulumi up`. The lab's apt repository serves both patch releases, each with
// the real kubelet, which reports its version on every status update.
jest.setTimeout(900_000);

const from = "1.36.2";
const to = "1.36.3";
const e2eLabel = { "kubeadm-workers-e2e": "upgrade" };
const ns = "e2e-upgrade";

interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
}

interface NodeJson {
  metadata: { uid: string };
  spec: { unschedulable?: boolean };
  status: { conditions: { type: string; status: string }[]; nodeInfo: { kubeletVersion: string } };
}

const nodeJson = (name: string) => kubectlJson<NodeJson>(["get", "node", name]);

/** One `pulumi up`, watched throughout by a Node cordon observer and a PDB observer of the web namespace. */
async function watchedUp(project: PulumiProject, names: string[]) {
  const cordons = new CordonObserver(names);
  const budgets = new PdbObserver(ns);
  try {
    return { up: await project.pulumiOk(["up", "--yes", "--skip-preview"], 900_000), cordons, budgets };
  } finally {
    // the PDB observer first: its watches are processes, and a failed poll of the Nodes makes cordons.stop() throw
    await budgets.stop();
    await cordons.stop();
  }
}

/** The lab must serve both releases; say how to get there rather than skip. */
async function requireBothReleases(): Promise<void> {
  const repository = labClusterConfig().packages.aptRepository;
  const stanzas = (await fetch(`${repository}Packages`).then((r) => (r.ok ? r.text() : ""), () => "")).split("\n\n");
  for (const version of [from, to]) {
    const of = (pkg: string) => stanzas.find((s) => new RegExp(`^Package: ${pkg}$`, "m").test(s) && new RegExp(`^Version: ${version.replace(/\./g, "\\.")}-`, "m").test(s));
    if (!of("kubeadm") || !of("kubelet")) {
      throw new Error(`the lab apt repository (${repository}) does not serve kubeadm and kubelet ${version}: rebuild the toolchain (bash lab/toolchain/build.sh), then npm run lab -- up --hosts 3`);
    }
  }
}

describe(`a kubernetesVersion bump (${from} → ${to}) is a rolling in-place upgrade`, () => {
  let project: PulumiProject;
  let entries: NodeEntry[];
  const uids = new Map<string, string>();

  beforeAll(async () => {
    requireLab();
    if (labHosts().length < 3) throw new Error('the upgrade e2e needs 3 lab hosts: run "npm run lab -- up --hosts 3"');
    await requireBothReleases();
    entries = labHosts().slice(0, 3).map((h) => entryFor(h, { labels: e2eLabel }));
    // Earlier tests leave the newest release installed on the hosts (preflight refuses to go back).
    // The hosts may still have Debian's containerd 1.x, which preflight refuses for Kubernetes 1.36
    // unless told to replace it (containerd.upgrade).
    await Promise.all(entries.map((e) => removeKubePackages(e.host)));
    // (and a Node a host's kubelet registered before its reset would make kubeadm join refuse it)
    await kubectl(["delete", "node", ...entries.map((e) => e.name), "--ignore-not-found"]);
    project = await createLabStack("upgrade", { kubernetesVersion: from, nodes: entries, containerd: { ...labClusterConfig().containerd, upgrade: true } });
    await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
    for (const entry of entries) {
      const node = await nodeJson(entry.name);
      expect(node.status.nodeInfo.kubeletVersion).toBe(`v${from}`);
      uids.set(entry.name, node.metadata.uid);
    }
    // Three replicas behind a PDB that allows one disruption: every drain must wait for the moved pod.
    const web = deployment(ns, "web", "unused", 3, { nodeSelector: e2eLabel });
    await apply(namespace(ns), web, pdb(ns, "web-pdb", "web", { maxUnavailable: 1 }));
    await waitFor(
      "web Ready",
      async () => {
        const d = await kubectlJson<{ status: { readyReplicas?: number } }>(["get", "deployment", "web", "-n", ns]);
        return d.status.readyReplicas === 3 ? true : undefined;
      },
      180_000,
    );
  }, 900_000);

  afterAll(async () => {
    await kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]).catch(() => undefined);
    if (!project) return;
    await project.pulumi(["destroy", "--yes", "--skip-preview"], 600_000);
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
    await Promise.all(labHosts().slice(0, 3).map((h) => labSsh(h.address, "sed -i '/ kubernetes$/d' /etc/hosts")));
  }, 700_000);

  test("the preview shows an update of kubernetesVersion on each node, never a replacement", async () => {
    await project.pulumiOk(["config", "set", "kubernetesVersion", to]);

    const digest = JSON.parse((await project.pulumiOk(["preview", "--json"])).stdout) as { steps: PreviewStep[] };
    for (const entry of entries) {
      const step = digest.steps.find((s) => s.urn.endsWith(`::${entry.name}`));
      expect(step?.op).toBe("update");
      expect(step?.diffReasons).toEqual(["kubernetesVersion"]);
      expect(step?.replaceReasons ?? []).toEqual([]);
    }
    const text = (await project.pulumiOk(["preview", "--diff"])).stdout;
    expect(text).toMatch(new RegExp(`~ kubernetesVersion\\s*: "${from.replace(/\./g, "\\.")}" => "${to.replace(/\./g, "\\.")}"`));
    expect(text).toMatch(/~ 3 to update/);
    // no replacement step (the report's own words may say "replaced", e.g. in its footer)
    expect(text).not.toMatch(/\(replace\)|to replace/);
  });

  test("pulumi up upgrades one node at a time: never two cordoned, no PDB broken, each Node kept, Ready at the new version, uncordoned", async () => {
    const names = entries.map((e) => e.name);
    const { up, cordons, budgets } = await watchedUp(project, names);
    expect(up.stdout).toMatch(/~ 3 updated/);
    expect(cordons.moments).toEqual([]);
    expect(cordons.maxCordonedAtOnce).toBe(1);
    expect([...cordons.everCordoned].sort()).toEqual([...names].sort());
    expect(budgets.violations).toEqual([]);
    for (const name of names) {
      const node = await nodeJson(name);
      expect(node.metadata.uid).toBe(uids.get(name)); // upgraded, not re-joined
      expect(node.status.nodeInfo.kubeletVersion).toBe(`v${to}`);
      expect(node.status.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
      expect(node.spec.unschedulable ?? false).toBe(false);
      expect(up.stdout).toContain(`${name}: upgraded to v${to} and uncordoned`);
    }
  });

  test.each([
    ["unset", undefined],
    ["written with a v", `v${to}`],
  ])("kubernetesVersion %s afterwards is no change", async (_how, version) => {
    if (version === undefined) await project.pulumiOk(["config", "rm", "kubernetesVersion"]);
    else await project.pulumiOk(["config", "set", "kubernetesVersion", version]);
    const { stdout } = await project.pulumiOk(["preview", "--expect-no-changes"]);
    expect(stdout).toMatch(/4 unchanged/);
  });

  test("a new API endpoint for every entry replaces each node one drain slot at a time: never two cordoned, no PDB broken", async () => {
    // The same cluster by another name: the API server's certificate names "kubernetes" (kubeadm's
    // SANs), which the hosts resolve through /etc/hosts (undone in afterAll).
    const [address, port] = labClusterConfig().apiServerEndpoint.split(":");
    await Promise.all(entries.map((e) => labSsh(e.host, `grep -q ' kubernetes$' /etc/hosts || echo '${address} kubernetes' >> /etc/hosts`)));
    // The web pods can run only on these three nodes. With the capacity check on, each node waiting
    // for its slot to be replaced counts as room for the drains before its own (its purpose is
    // `replace`), and the preview's report judges it so.
    await setConfig(project, { apiServerEndpoint: `kubernetes:${port}` });
    const digest = JSON.parse((await project.pulumiOk(["preview", "--json"])).stdout) as { steps: PreviewStep[] };
    for (const entry of entries) {
      expect(digest.steps.find((s) => s.urn.endsWith(`::${entry.name}`))?.op).toBe("replace");
    }
    const report = (await project.pulumiOk(["preview", "--diff"])).stdout;
    expect(report).toContain("replaced: drained, then joined anew");
    // (the report wraps its lines: the verdict's last words are on the next one)
    expect(report).toMatch(/Capacity: the \d+ evicted pods? fits? \(judged with every node removed out at once, and each node upgraded or replaced out in/);
    expect(report).not.toContain("NOT ENOUGH ROOM");
    // But the last drain comes while the replacements of the first two are still joining (Pulumi
    // creates a replacement after its old node is deleted, and the slot is free by then): no node
    // is Ready for these pods at that moment, so with the check on it refuses, evicting nothing,
    // and a second `up` finishes (README, Upgrades). Here the check is off, as README says for a
    // stack whose workloads can run only on the nodes it replaces: the PDB and the wait for
    // replacements then hold each drain until the moved pods are Ready (delete runs with the
    // options recorded at the last up, hence the up before).
    await setConfig(project, { apiServerEndpoint: `${address}:${port}`, drain: { checkCapacity: false } });
    await project.pulumiOk(["up", "--yes", "--skip-preview"], 300_000);
    await setConfig(project, { apiServerEndpoint: `kubernetes:${port}` });
    const before = new Map(await Promise.all(entries.map(async (e) => [e.name, (await nodeJson(e.name)).metadata.uid] as const)));
    const names = entries.map((e) => e.name);
    const { up, cordons, budgets } = await watchedUp(project, names);

    expect(up.stdout).toMatch(/\+-3 replaced/);
    expect(cordons.moments).toEqual([]);
    expect(cordons.maxCordonedAtOnce).toBe(1);
    expect(budgets.violations).toEqual([]);
    for (const entry of entries) {
      const node = await nodeJson(entry.name);
      expect(node.metadata.uid).not.toBe(before.get(entry.name)); // replaced: joined again
      expect(node.status.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
      expect(node.spec.unschedulable ?? false).toBe(false);
    }
    // Joined through the new endpoint (kubeadm's discovery; the kubelet.conf it writes names the
    // controlPlaneEndpoint that cluster-info publishes, whatever endpoint discovery used).
    expect((await project.pulumiOk(["stack", "export"])).stdout.match(/"apiServerEndpoint": "kubernetes:\d+"/g)?.length ?? 0).toBeGreaterThanOrEqual(entries.length);
  });
});
