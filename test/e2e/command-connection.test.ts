import { kubectl, labClusterConfig, labHosts, labSsh, requireLab } from "../integration/support/lab";
import { hostJoinState, nodeState } from "./support/fault-stack";
import { setConfig, setLabSecrets } from "./support/lab-stack";
import type { PulumiProject } from "./support/pulumi-project";
import { sshdPeerLines } from "./support/sshd-log";
import { createProjectWithPackage } from "./support/stack-project";

// A user's own program with a `connection` written for @pulumi/command's remote.Command
// (command.types.input.remote.ConnectionArgs: no hostKey, the dial settings, and a bastion as
// `proxy`), passed unchanged to a WorkerNode through the real `pulumi up`. lab-host-1 is the bastion
// of lab-host-2; the target's sshd must see the session come from the bastion, not from this machine.
jest.setTimeout(600_000);

const program = `
const pulumi = require("@pulumi/pulumi");
const { WorkerNode } = require("kubeadm-workers");

const config = new pulumi.Config();
const privateKey = config.requireSecret("sshPrivateKey");
// As written for remote.Command: command.types.input.remote.ConnectionArgs.
const connection = {
  host: config.require("target"),
  port: 22,
  user: "root",
  privateKey,
  perDialTimeout: 15,
  dialErrorLimit: 3,
  proxy: { host: config.require("bastion"), port: 22, user: "root", privateKey },
};
const lab = config.requireObject("lab");
const node = new WorkerNode(config.require("name"), {
  connection,
  cluster: { kubeconfig: config.requireSecret("kubeconfig"), apiServerEndpoint: lab.apiServerEndpoint },
  packages: lab.packages,
  containerd: lab.containerd,
  kubeadm: lab.kubeadm,
  joinTimeout: "3m",
});
exports.nodeName = node.nodeName;
exports.hostKeyFingerprint = node.hostKeyFingerprint;
`;

describe("a @pulumi/command connection, bastion included, through pulumi up", () => {
  const [bastion, target] = labHosts();
  let project: PulumiProject;

  beforeAll(async () => {
    requireLab();
    // The target as a new machine: no Node of an earlier suite, not joined.
    await kubectl(["delete", "node", target.name, "--ignore-not-found"]);
    await labSsh(target.address, "kubeadm reset -f >/dev/null 2>&1; true");
    project = await createProjectWithPackage("command-connection", program);
    const lab = labClusterConfig();
    await setConfig(project, { name: target.name, target: target.address, bastion: bastion.address, lab: { apiServerEndpoint: lab.apiServerEndpoint, packages: lab.packages, containerd: lab.containerd, kubeadm: lab.kubeadm } });
    await setLabSecrets(project);
  });

  afterAll(async () => {
    await project?.pulumi(["destroy", "--yes", "--skip-preview"], 400_000);
    await project?.remove();
  });

  test("up joins the target through the bastion (its sshd sees sessions from the bastion only), a second preview has no changes, and destroy drains and resets it", async () => {
    const before = sshdPeerLines(target).length;

    await project.pulumiOk(["up", "--yes", "--skip-preview"], 400_000);

    expect(await nodeState(target.name)).toMatchObject({ ready: true, unschedulable: false });
    const accepted = sshdPeerLines(target).slice(before).filter((line) => /Accepted publickey/.test(line));
    expect(accepted.length).toBeGreaterThan(0);
    // every session of the target came from the bastion's address, none from this machine's
    expect(accepted.filter((line) => !line.includes(` from ${bastion.address} port `))).toEqual([]);
    const outputs = JSON.parse((await project.pulumiOk(["stack", "output", "--json"])).stdout) as { nodeName: string; hostKeyFingerprint: string };
    expect(outputs.nodeName).toBe(target.name);
    expect(outputs.hostKeyFingerprint).toMatch(/^SHA256:/);
    await project.pulumiOk(["preview", "--expect-no-changes"]);

    await project.pulumiOk(["destroy", "--yes", "--skip-preview"], 400_000);

    expect(await nodeState(target.name)).toBeUndefined();
    expect(await hostJoinState(target)).toBe("reset");
  });
});
