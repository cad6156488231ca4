import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { run, runOk } from "../support/process";
import { PulumiProject } from "./support/pulumi-project";
import { createStackProject } from "./support/stack-project";

// Bad input is refused at `pulumi preview`, naming each field and rule, before anything is touched:
// the hosts below are on the lab's bridge range but nothing is ever dialled during a preview.
describe("pulumi preview refuses bad WorkerNode input", () => {
  let project: PulumiProject;

  beforeAll(async () => {
    project = await createStackProject("invalid");
  }, 120_000);

  afterAll(async () => {
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
  }, 120_000);

  test("every problem of every entry is listed at once, and the preview fails", async () => {
    const nodes = [
      { name: "web-1", host: "10.213.0.250", nodeName: "Web_1", labels: { "bad key!": "x" } },
      { name: "web-2", host: "10.213.0.251", hostKey: "ssh-ed25519 garbage", taints: [{ key: "dedicated", effect: "Sometimes" }], adopt: "yes" },
    ];
    await fs.writeFile(
      path.join(project.dir, "Pulumi.invalid.yaml"),
      JSON.stringify({ config: { "kubeadm-workers:nodes": nodes, "kubeadm-workers:drain": { timeoutSeconds: -5 } } }),
    );
    await project.pulumiOk(["config", "set", "--secret", "sshPrivateKey", "not a private key"]);

    const { code, stdout, stderr } = await project.pulumi(["preview", "--diff"]);
    const output = stdout + stderr;
    expect(code).not.toBe(0);
    expect(output).toMatch(/the stack config has 7 problem\(s\); nothing was changed/);
    expect(output).toContain("nodes[0] (web-1): nodeName must be lowercase letters");
    expect(output).toContain('nodes[0] (web-1): labels["bad key!"] is not a valid label key');
    expect(output).toContain("nodes[0] (web-1): drain.timeoutSeconds must be a positive integer, got -5");
    expect(output).toContain("nodes[1] (web-2): connection.hostKey must be an OpenSSH public key line");
    expect(output).toContain("nodes[1] (web-2): taints[0].effect must be one of NoSchedule, PreferNoSchedule, NoExecute");
    expect(output).toContain("nodes[1] (web-2): drain.timeoutSeconds must be a positive integer, got -5");
    expect(output).toContain('nodes[1] (web-2): adopt must be true or false, got "yes"');
    expect(output).not.toMatch(/\+ .*WorkerNode.*created/);
    // the secret never shows, not even in the error
    expect(output).not.toContain("not a private key");
  }, 300_000);
});

describe("the resource's own check (for programs that build WorkerNodes directly)", () => {
  let project: PulumiProject;

  beforeAll(async () => {
    project = await createStackProject("invalid-key");
  }, 120_000);

  afterAll(async () => {
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
  }, 120_000);

  test("refuses a private key that is not one, without printing it", async () => {
    await fs.writeFile(
      path.join(project.dir, "Pulumi.invalid-key.yaml"),
      JSON.stringify({ config: { "kubeadm-workers:nodes": [{ name: "web-1", host: "10.213.0.250" }] } }),
    );
    await project.pulumiOk(["config", "set", "--secret", "sshPrivateKey", "not a private key"]);
    const { code, stdout, stderr } = await project.pulumi(["preview", "--diff"]);
    expect(code).not.toBe(0);
    expect(stdout + stderr).toMatch(/WorkerNode resource 'web-1': property connection\.privateKey value .* has a problem: must be a PEM or OpenSSH private key/);
    expect(stdout + stderr).not.toContain("not a private key");
  }, 300_000);
});

describe("the repository's own Pulumi project", () => {
  test("runs the stack program of stacks/ (not the package entry point)", async () => {
    const backend = await fs.mkdtemp(path.join(os.tmpdir(), "kw-root-"));
    const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
    const env = { ...inherited, PULUMI_BACKEND_URL: `file://${backend}` };
    try {
      await runOk("pulumi", ["stack", "init", "root-check", "--non-interactive"], { env });
      const { code, stdout } = await run("pulumi", ["preview", "--non-interactive", "--color", "never"], { env });
      expect(code).not.toBe(0);
      expect(stdout).toContain("Missing required configuration variable 'kubeadm-workers:nodes'");
    } finally {
      await run("pulumi", ["stack", "rm", "root-check", "--yes", "--force", "--non-interactive"], { env });
      await fs.rm(backend, { recursive: true, force: true });
    }
  }, 120_000);
});
