import * as fs from "node:fs/promises";
import * as path from "node:path";
import { joinByHandOnPreparedHost, undoJoinOnPreparedHost } from "../integration/support/by-hand-join";
import { kubectl, kubectlJson, labHosts, labSsh, requireLab, type LabHost } from "../integration/support/lab";
import type { PulumiProject } from "./support/pulumi-project";
import { createLabStack, entryFor, setConfig } from "./support/lab-stack";
import { createStackProject } from "./support/stack-project";

// `pulumi refresh` and adoption with the real CLI on the lab: a Node deleted or relabelled behind
// the stack's back, and a worker joined by hand taken over by its config entry without a change.
jest.setTimeout(600_000);

const e2eLabel = { "kubeadm-workers-e2e": "refresh-adopt" };

interface StateResource {
  type: string;
  id?: string;
  outputs?: Record<string, unknown>;
}

/** The WorkerNodes in the stack's state, by id (the export is not decrypted: secrets stay ciphertext). */
async function workerNodesInState(project: PulumiProject): Promise<Map<string, Record<string, unknown>>> {
  const exported = JSON.parse((await project.pulumiOk(["stack", "export"])).stdout) as { deployment: { resources?: StateResource[] } };
  const nodes = (exported.deployment.resources ?? []).filter((r) => r.type.endsWith(":WorkerNode"));
  return new Map(nodes.map((r) => [r.id ?? "", r.outputs ?? {}]));
}

async function nodeLabels(name: string): Promise<Record<string, string>> {
  return (await kubectlJson<{ metadata: { labels: Record<string, string> } }>(["get", "node", name])).metadata.labels;
}

describe("the import resource option with this dynamic provider, on the real CLI", () => {
  let project: PulumiProject;

  beforeAll(async () => {
    project = await createStackProject("import-option");
    // A program that asks the engine to import an existing Node through the `import` option.
    await fs.writeFile(
      path.join(project.dir, "index.js"),
      'const { WorkerNode } = require("kubeadm-workers");\n' +
        'new WorkerNode("imported", { connection: { host: "10.213.0.250", privateKey: "unused" }, nodeName: "imported" }, { import: "imported" });\n',
    );
  }, 120_000);

  afterAll(async () => {
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
  }, 120_000);

  // pulumi/pulumi#16175 and #3550: the engine's import step sends Read neither outputs nor inputs, so
  // the dynamic-provider server has no serialized provider to load. If a Pulumi release fixes it,
  // this test fails and the README's "Adopting nodes that already run" should say `import` works.
  test("fails before any read: the engine gives the provider no serialized code; adopt: true is the way", async () => {
    const { code, stdout, stderr } = await project.pulumi(["preview"]);
    expect(code).not.toBe(0);
    expect(stdout + stderr).toContain("code must be a string, not undefined");
  });

  // The command runs the same engine import step (without the program), so it fails the same way.
  test("the pulumi import command fails the same way, and records nothing", async () => {
    const { code, stdout, stderr } = await project.pulumi(["import", "pulumi-nodejs:dynamic/kubeadm-workers:WorkerNode", "imported-by-command", "imported", "--yes"]);
    expect(code).not.toBe(0);
    expect(stdout + stderr).toContain("code must be a string, not undefined");
    const state = JSON.parse((await project.pulumiOk(["stack", "export"])).stdout) as { deployment: { resources?: { type: string }[] } };
    expect((state.deployment.resources ?? []).filter((r) => r.type.endsWith(":WorkerNode"))).toEqual([]);
  });
});

/** Checksums of what a take-over must not touch on the host: kubeadm's and the kubelet's files, containerd's config. */
async function hostChecksums(host: LabHost): Promise<string> {
  const result = await labSsh(host.address, "find /etc/kubernetes /var/lib/kubelet/config.yaml /etc/containerd -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum");
  expect(result.code).toBe(0);
  return result.stdout;
}

/**
 * What the provider could write on a Node: its labels, annotations and spec (taints, cordon). Not its
 * resourceVersion: a real kubelet writes the Node's status now and then (every 5 min at least).
 */
async function nodeAsWritten(name: string): Promise<{ labels: Record<string, string>; annotations: Record<string, string>; spec: Record<string, unknown> }> {
  const node = await kubectlJson<{ metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown> }>(["get", "node", name]);
  return { labels: node.metadata.labels ?? {}, annotations: node.metadata.annotations ?? {}, spec: node.spec };
}

// One lab session runs both groups: `-t "pulumi refresh on the lab"` selects them.
describe("pulumi refresh on the lab, and adoption", () => {
  describe("refresh", () => {
    let project: PulumiProject;
    let host: LabHost;

    beforeAll(async () => {
      requireLab();
      host = labHosts()[0];
      project = await createLabStack("refresh");
    }, 120_000);

    afterAll(async () => {
      await kubectl(["uncordon", host.name]).catch(() => undefined);
      await project.pulumi(["destroy", "--yes", "--skip-preview"], 600_000);
      await project.pulumi(["stack", "rm", "--yes", "--force"]);
      await project.remove();
    }, 700_000);

    test("a relabelled, cordoned Node: refresh reports the drift and the cordon, up restores the label and keeps the cordon", async () => {
      await setConfig(project, { nodes: [entryFor(host, { labels: { ...e2eLabel, tier: "web" } })] });
      await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);

      // GIVEN the label changed and the node cordoned by someone else, with kubectl
      await kubectl(["label", "node", host.name, "tier=edge", "team=theirs", "--overwrite"]);
      await kubectl(["cordon", host.name]);

      // WHEN refresh runs THEN it reports both, and records the drift and the Node's status in the outputs
      const refresh = await project.pulumiOk(["refresh", "--yes", "--skip-preview"]);
      const refreshed = refresh.stdout + refresh.stderr;
      expect(refreshed).toContain(`${host.name}: refresh: label tier is "edge", declared "web" (the next pulumi up restores it)`);
      expect(refreshed).toContain(`${host.name}: refresh: cordoned by someone else; left cordoned (pulumi up does not uncordon it)`);
      expect(refreshed).not.toContain("team");
      const outputs = (await workerNodesInState(project)).get(host.name);
      expect(outputs?.drift).toEqual(['label tier is "edge", declared "web"']);
      expect(outputs?.nodeStatus).toMatchObject({
        ready: true,
        unschedulable: true,
        cordonedByOthers: true,
        kubeletVersion: "v1.36.3",
        conditions: expect.arrayContaining([expect.objectContaining({ type: "Ready", status: "True" })]) as unknown,
        capacity: expect.objectContaining({ cpu: expect.any(String) as unknown, memory: expect.any(String) as unknown, pods: expect.any(String) as unknown }) as unknown,
        allocatable: expect.objectContaining({ pods: expect.any(String) as unknown }) as unknown,
      });

      // AND the preview shows the label going back
      const preview = await project.pulumiOk(["preview", "--diff"]);
      expect(preview.stdout).toMatch(/~ labels\s*:[\s\S]*~ tier\s*: "edge" => "web"/);
      // and nothing else: the inputs refresh handed the engine are the program's but for the drift
      expect(preview.stdout).not.toMatch(/[~+-] (connection|cluster|owner|joinTimeout|kubernetesVersion|packages|containerd|taints|reset|drain|kubeadm)\b/);

      // WHEN up runs THEN the label is restored, the operator's label and cordon stay
      await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
      expect(await nodeLabels(host.name)).toMatchObject({ tier: "web", team: "theirs" });
      expect((await kubectlJson<{ spec: { unschedulable?: boolean } }>(["get", "node", host.name])).spec.unschedulable).toBe(true);
      expect((await workerNodesInState(project)).get(host.name)?.drift).toBeUndefined();
      await project.pulumiOk(["preview", "--expect-no-changes"]);
      await kubectl(["uncordon", host.name]);
      await kubectl(["label", "node", host.name, "team-"]);
    });

    test("a Node deleted with kubectl: refresh drops it from the state, up joins the host again", async () => {
      const before = (await kubectlJson<{ metadata: { uid: string } }>(["get", "node", host.name])).metadata.uid;
      await kubectl(["delete", "node", host.name]);

      const refresh = await project.pulumiOk(["refresh", "--yes", "--skip-preview"]);
      expect(refresh.stdout + refresh.stderr).toContain(`${host.name}: refresh: Node ${host.name} is gone from the cluster`);
      expect((await workerNodesInState(project)).has(host.name)).toBe(false);

      const up = await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
      expect(up.stdout).toMatch(/\+ 1 created/);
      expect(up.stdout).toContain(`${host.name}: Ready (kubelet v1.36.3`);
      const node = await kubectlJson<{ metadata: { uid: string; labels: Record<string, string> }; status: { conditions: { type: string; status: string }[] } }>(["get", "node", host.name]);
      expect(node.metadata.uid).not.toBe(before);
      expect(node.status.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
      expect(node.metadata.labels).toMatchObject({ tier: "web" });
      await project.pulumiOk(["preview", "--expect-no-changes"]);
    });
  });


  describe("adopting a worker joined by hand", () => {
    let project: PulumiProject;
    let host: LabHost;
    let token = "";

    beforeAll(async () => {
      requireLab();
      host = labHosts()[1];
      project = await createLabStack("adopt");
    }, 120_000);

    afterAll(async () => {
      await project.pulumi(["destroy", "--yes", "--skip-preview"], 600_000);
      await project.pulumi(["stack", "rm", "--yes", "--force"]);
      await project.remove();
      // Leave the host as found, whatever happened above.
      await undoJoinOnPreparedHost(host, token);
    }, 700_000);

    test("refused without adopt, taken over with it without a change, then drained and removed with its entry", async () => {
      const joined = await joinByHandOnPreparedHost(host);
      token = joined.token;
      expect(joined.join.stdout).toMatch(/This node has joined the cluster/);
      const asWritten = await nodeAsWritten(host.name);
      const checksums = await hostChecksums(host);
      expect(checksums).toContain("/etc/kubernetes/kubelet.conf");
      expect(checksums).toContain("/var/lib/kubelet/config.yaml");

      // GIVEN an entry without adopt: the up is refused, naming adopt, and nothing changes
      await setConfig(project, { nodes: [entryFor(host, { nodeName: host.name })] });
      const refused = await project.pulumi(["up", "--yes", "--skip-preview"], 300_000);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toMatch(new RegExp(`the host already is Node ${host.name} of this cluster, joined by another tool or by hand .*set adopt: true in its entry`));
      expect(await hostChecksums(host)).toBe(checksums);
      expect(await nodeAsWritten(host.name)).toEqual(asWritten);

      // WHEN the entry adopts THEN the preview says what it takes over
      await setConfig(project, { nodes: [entryFor(host, { nodeName: host.name, adopt: true })] });
      const preview = await project.pulumiOk(["preview"]);
      expect(preview.stdout + preview.stderr).toMatch(new RegExp(`${host.name}: adopt: Node ${host.name} \\(Ready, kubelet v1\\.36\\.3, machine-id [0-9a-f]{32}\\) on host ${host.address.replace(/\./g, "\\.")} is taken over as it runs`));
      expect(preview.stdout).toMatch(/\+ 1 to create/);

      // AND up records it without touching the host; the Node only gains our owner and host annotations
      const up = await project.pulumiOk(["up", "--yes", "--skip-preview"], 300_000);
      expect(up.stdout).toContain(`${host.name}: adopted as it runs: Node ${host.name} Ready, kubelet v1.36.3`);
      expect(up.stdout).toMatch(new RegExp(`the only write is the Node's annotations kubeadm-workers\\.io/owner=\\S+/${host.name} and kubeadm-workers\\.io/host=${host.address.replace(/\./g, "\\.")}, by which the scale-in report finds the node`));
      expect(await hostChecksums(host)).toBe(checksums);
      const adopted = await nodeAsWritten(host.name);
      expect(adopted.labels).toEqual(asWritten.labels);
      expect(adopted.spec).toEqual(asWritten.spec);
      const { "kubeadm-workers.io/owner": owner, "kubeadm-workers.io/host": ownerHost, ...otherAnnotations } = adopted.annotations;
      expect(owner).toMatch(new RegExp(`/${host.name}$`));
      expect(ownerHost).toBe(host.address);
      expect(otherAnnotations).toEqual(asWritten.annotations);
      const outputs = (await workerNodesInState(project)).get(host.name);
      expect(outputs).toMatchObject({ adopted: true, kubernetesVersion: "1.36.3", nodeStatus: expect.objectContaining({ ready: true }) as unknown });

      // AND a second preview has nothing to do
      await project.pulumiOk(["preview", "--expect-no-changes"]);

      // WHEN the entry is removed THEN the preview's scale-in report finds the adopted node by its owner annotation
      await setConfig(project, { nodes: [] });
      const removal = await project.pulumiOk(["preview"]);
      expect(removal.stdout + removal.stderr).toContain(`${host.name} (node ${host.name}, removed: its entry was removed from the stack config)`);
      // AND up drains and removes it, and resets the host
      const removed = await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
      expect(removed.stdout).toContain(`${host.name}: Node deleted`);
      expect(removed.stdout).toMatch(/- 1 deleted/);
      expect((await kubectl(["get", "node", host.name, "--ignore-not-found"])).stdout.trim()).toBe("");
      expect((await labSsh(host.address, "test -e /etc/kubernetes/kubelet.conf && echo present || echo absent")).stdout.trim()).toBe("absent");
    });
  });
});
