import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { kubeconfigPath, kubectlJson, labHosts, labSsh, requireLab } from "../integration/support/lab";
import { run, runOk } from "../support/process";
import type { PulumiProject } from "./support/pulumi-project";
import { createLabStack, entryFor, type NodeEntry } from "./support/lab-stack";

// The ownership guard with the real CLI: a kubeconfig that reaches another cluster (a second control
// plane with its own CA, on loopback and other ports: lab/control-plane with LAB_PORT_OFFSET) makes
// `pulumi up` and `pulumi destroy` refuse before anything is cordoned, drained, deleted or reset.
jest.setTimeout(600_000);

const e2eLabel = { "kubeadm-workers-e2e": "other-cluster" };
const caMismatch = /publishes CA sha256:[0-9a-f]{64} in kube-public\/cluster-info, but the node joined the cluster with CA sha256:[0-9a-f]{64}: the kubeconfig in use reaches another cluster/;

interface NodeObject {
  metadata: { labels: Record<string, string> };
  spec: { unschedulable?: boolean };
}
/** A value of `pulumi stack export --show-secrets`: plain, or a secret holding its JSON text. */
type Exported = { plaintext?: string } & Record<string, unknown>;

describe("a kubeconfig that reaches another cluster", () => {
  let project: PulumiProject;
  let entry: NodeEntry;
  const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-other-cluster-"));
  const otherEnv = { ...process.env, LAB_DIR: otherDir, LAB_PORT_OFFSET: "1", LAB_BRIDGE_IP: "" };
  const otherKubeconfig = () => fs.readFileSync(path.join(otherDir, "kubeconfig"), "utf8");
  const labKubeconfig = () => fs.readFileSync(kubeconfigPath, "utf8");
  const node = () => kubectlJson<NodeObject>(["get", "node", entry.name]);
  const hostJoined = async () => (await labSsh(entry.host, "test -e /etc/kubernetes/kubelet.conf && echo joined || echo reset")).stdout.trim();

  beforeAll(async () => {
    requireLab();
    const host = labHosts()[2];
    if (!host) throw new Error('the other-cluster e2e needs 3 lab hosts: run "npm run lab -- up --hosts 3"');
    entry = entryFor(host, { labels: e2eLabel });
    project = await createLabStack("othercluster", { nodes: [entry] });
    await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
    await runOk("bash", ["lab/control-plane/up.sh"], { env: otherEnv, timeoutMs: 300_000 });
  }, 900_000);

  afterAll(async () => {
    await project.pulumiStdin(["config", "set", "--secret", "kubeconfig"], labKubeconfig());
    // The recorded kubeconfig is the lab's again after this up (the update passes the guard).
    await project.pulumi(["up", "--yes", "--skip-preview"], 300_000);
    await project.pulumi(["destroy", "--yes", "--skip-preview"], 600_000);
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
    await run("bash", ["lab/control-plane/down.sh"], { env: otherEnv, timeoutMs: 120_000 });
    fs.rmSync(otherDir, { recursive: true, force: true });
  }, 900_000);

  test("pulumi up with it is refused naming both CAs: no Node patched in either cluster, nothing on the host", async () => {
    await project.pulumiStdin(["config", "set", "--secret", "kubeconfig"], otherKubeconfig());

    const up = await project.pulumi(["up", "--yes", "--skip-preview"], 300_000);

    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(caMismatch);
    expect((await node()).spec.unschedulable ?? false).toBe(false);
    expect((await node()).metadata.labels).toMatchObject(e2eLabel);
    const other = await run("kubectl", ["--kubeconfig", path.join(otherDir, "kubeconfig"), "get", "node", entry.name, "--ignore-not-found", "-o", "name"]);
    expect(other.stdout.trim()).toBe("");
    expect(await hostJoined()).toBe("joined");
  });

  test("pulumi destroy whose recorded kubeconfig now reaches another cluster is refused: nothing drained or deleted, the host not reset", async () => {
    // What a rebuilt control plane behind the recorded address amounts to: the state's kubeconfig
    // reaches a cluster with another CA (written into the state with `pulumi stack import`).
    const exported = JSON.parse((await project.pulumiOk(["stack", "export", "--show-secrets"])).stdout) as {
      deployment: { resources: { urn: string; outputs?: Record<string, Exported> }[] };
    };
    const resource = exported.deployment.resources.find((r) => r.urn.endsWith(`::${entry.name}`));
    const cluster = resource?.outputs?.cluster;
    if (!cluster) throw new Error(`no cluster output recorded for ${entry.name} in the stack's state`);
    if (typeof cluster.plaintext === "string") {
      cluster.plaintext = JSON.stringify({ ...(JSON.parse(cluster.plaintext) as object), kubeconfig: otherKubeconfig() });
    } else if (typeof (cluster.kubeconfig as Exported | undefined)?.plaintext === "string") {
      (cluster.kubeconfig as Exported).plaintext = JSON.stringify(otherKubeconfig());
    } else {
      cluster.kubeconfig = otherKubeconfig();
    }
    const file = path.join(otherDir, "state.json");
    fs.writeFileSync(file, JSON.stringify(exported), { mode: 0o600 });
    await project.pulumiOk(["stack", "import", "--file", file]);
    fs.rmSync(file);

    const destroy = await project.pulumi(["destroy", "--yes", "--skip-preview"], 300_000);

    expect(destroy.code).not.toBe(0);
    expect(destroy.stdout + destroy.stderr).toMatch(caMismatch);
    expect((await node()).spec.unschedulable ?? false).toBe(false);
    expect(await hostJoined()).toBe("joined");
    expect((await project.pulumiOk(["stack", "export"])).stdout).toContain(`::${entry.name}"`);
  });
});
