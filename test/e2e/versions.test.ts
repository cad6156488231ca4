import { kubectl, kubectlJson, labHosts, requireLab } from "../integration/support/lab";
import type { PulumiProject } from "./support/pulumi-project";
import { createLabStack, entryFor } from "./support/lab-stack";

// kubernetesVersion on a node joined with it unset (so at the control plane's 1.36.3): writing the
// version it runs, with or without a v, is no change; a downgrade, a version newer than the control
// plane and one older than kubeadm's v1beta4 are refused at preview, before anything is touched.
jest.setTimeout(600_000);

async function previewSummary(project: PulumiProject): Promise<Record<string, number>> {
  return (JSON.parse((await project.pulumiOk(["preview", "--json"])).stdout) as { changeSummary: Record<string, number> }).changeSummary;
}

describe("kubernetesVersion of a joined node, at preview", () => {
  let project: PulumiProject;
  const host = () => labHosts()[0];
  let uid: string;

  beforeAll(async () => {
    requireLab();
    project = await createLabStack("versions", { nodes: [entryFor(labHosts()[0])] });
    await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
    uid = (await kubectlJson<{ metadata: { uid: string } }>(["get", "node", host().name])).metadata.uid;
  }, 700_000);

  afterAll(async () => {
    await project.pulumi(["destroy", "--yes", "--skip-preview"], 600_000);
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
  }, 700_000);

  test.each(["v1.36.3", "1.36.3"])("setting kubernetesVersion %s, the release the node runs (it was unset), is no change", async (version) => {
    await project.pulumiOk(["config", "set", "kubernetesVersion", version]);

    // the stack and the node, both the same: no update, no replace
    expect(await previewSummary(project)).toEqual({ same: 2 });
    const { stdout } = await project.pulumiOk(["preview", "--expect-no-changes"]);
    expect(stdout).toMatch(/2 unchanged/);
  });

  test("an up with the version set leaves the node alone", async () => {
    await project.pulumiOk(["config", "set", "kubernetesVersion", "v1.36.3"]);
    const up = await project.pulumiOk(["up", "--yes", "--skip-preview"], 300_000);
    expect(up.stdout).toMatch(/2 unchanged/);
    expect(up.stdout).not.toMatch(/cordon|drain|upgrad/);
    expect((await kubectlJson<{ metadata: { uid: string } }>(["get", "node", host().name])).metadata.uid).toBe(uid);
  });

  test("a downgrade is refused at preview, naming both versions", async () => {
    await project.pulumiOk(["config", "set", "kubernetesVersion", "1.36.2"]);
    const { code, stdout, stderr } = await project.pulumi(["preview"]);
    expect(code).not.toBe(0);
    expect(stdout + stderr).toMatch(/1\.36\.2 is older than 1\.36\.3, which the node runs: a node is never downgraded in place/);
  });

  test("a version newer than the control plane is refused at preview (the skew policy)", async () => {
    await project.pulumiOk(["config", "set", "kubernetesVersion", "1.36.4"]);
    const { code, stdout, stderr } = await project.pulumi(["preview"]);
    expect(code).not.toBe(0);
    expect(stdout + stderr).toMatch(/kubernetesVersion .*1\.36\.4 is newer than the control plane \(kube-apiserver 1\.36\.3\)/);
  });

  test("a version older than kubeadm's v1beta4 JoinConfiguration is refused at preview", async () => {
    await project.pulumiOk(["config", "set", "kubernetesVersion", "1.30.9"]);
    const { code, stdout, stderr } = await project.pulumi(["preview"]);
    expect(code).not.toBe(0);
    expect(stdout + stderr).toMatch(/nodes\[0\] \(lab-host-1\): kubernetesVersion 1\.30\.9 is older than 1\.31\.0/);
  });

  test("nothing was touched by the refused previews", async () => {
    await project.pulumiOk(["config", "rm", "kubernetesVersion"]);
    await project.pulumiOk(["preview", "--expect-no-changes"]);
    const node = await kubectlJson<{ metadata: { uid: string }; spec: { unschedulable?: boolean } }>(["get", "node", host().name]);
    expect(node.metadata.uid).toBe(uid);
    expect(node.spec.unschedulable ?? false).toBe(false);
    expect((await kubectl(["get", "lease", "-n", "kube-system", "-o", "name"])).stdout).not.toMatch(/kubeadm-workers-drain/);
  });
});
