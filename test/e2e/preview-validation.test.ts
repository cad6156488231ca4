import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { run, runOk } from "../support/process";
import { createProjectWithPackage } from "./support/stack-project";
import { previewStackForSuite } from "./support/suite-stack";

// Bad input is refused at `pulumi preview`, naming each field and rule, before anything is touched:
// the hosts below are on the lab's bridge range but nothing is ever dialled during a preview.
describe("pulumi preview refuses bad WorkerNode input", () => {
  const stack = previewStackForSuite("invalid");

  test("every problem of every entry is listed at once, and the preview fails", async () => {
    const nodes = [
      { name: "web-1", host: "10.213.0.250", nodeName: "Web_1", labels: { "bad key!": "x" } },
      { name: "web-2", host: "10.213.0.251", hostKey: "ssh-ed25519 garbage", taints: [{ key: "dedicated", effect: "Sometimes" }], adopt: "yes" },
    ];
    await fs.writeFile(
      path.join(stack.project.dir, "Pulumi.invalid.yaml"),
      JSON.stringify({ config: { "kubeadm-workers:nodes": nodes, "kubeadm-workers:drain": { timeoutSeconds: -5 } } }),
    );
    await stack.project.pulumiOk(["config", "set", "--secret", "sshPrivateKey", "not a private key"]);

    const { code, stdout, stderr } = await stack.project.pulumi(["preview", "--diff"]);
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

describe("pulumi preview refuses what the stack does not know, and entry names it cannot carry", () => {
  const stack = previewStackForSuite("unknown");

  test("an unknown entry field and config key are named with the closest known name; a name with a space is refused", async () => {
    const nodes = [
      { name: "web-1", host: "10.213.0.250", lables: { tier: "web" } },
      { name: "web 2", host: "10.213.0.251" },
    ];
    await fs.writeFile(
      path.join(stack.project.dir, "Pulumi.unknown.yaml"),
      JSON.stringify({ config: { "kubeadm-workers:nodes": nodes, "kubeadm-workers:drian": { timeoutSeconds: 60 } } }),
    );
    await stack.project.pulumiStdin(["config", "set", "--secret", "sshPrivateKey"], "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n");

    const { code, stdout, stderr } = await stack.project.pulumi(["preview", "--diff"]);
    const output = stdout + stderr;
    expect(code).not.toBe(0);
    expect(output).toMatch(/the stack config has 3 problem\(s\); nothing was changed/);
    expect(output).toContain('kubeadm-workers:drian is not a config key of this stack; did you mean "kubeadm-workers:drain"?');
    expect(output).toContain('nodes[0] (web-1): lables is not a field of a nodes entry; did you mean "labels"?');
    expect(output).toMatch(/nodes\[1\]: name must be letters, digits, .* got "web 2"/);
    expect(output).not.toMatch(/\+ .*WorkerNode.*create/);
  }, 300_000);
});

describe("the resource's own check, in a program of the user's own", () => {
  const program = [
    'const { WorkerNode } = require("kubeadm-workers");',
    'new WorkerNode("web-1", {',
    '  connection: { host: "10.213.0.250", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\\nAAAA\\n-----END OPENSSH PRIVATE KEY-----\\n" },',
    '  lables: { tier: "web" },',
    "  drain: { timeout: 60 },",
    "});",
  ].join("\n");
  const stack = previewStackForSuite("direct", (name) => createProjectWithPackage(name, program));

  test("refuses an unknown input property and an unknown drain option, each with the closest known name", async () => {
    const { code, stdout, stderr } = await stack.project.pulumi(["preview", "--diff"]);
    const output = stdout + stderr;
    expect(code).not.toBe(0);
    expect(output).toMatch(/WorkerNode resource 'web-1': property lables value .* has a problem: is not a WorkerNode input; did you mean "labels"\?/);
    expect(output).toMatch(/WorkerNode resource 'web-1': property drain\.timeout value .* has a problem: is not a drain option; did you mean "timeoutSeconds"\?/);
    expect(output).not.toMatch(/\+ .*WorkerNode.*create/);
  }, 300_000);
});

describe("the resource's own check (for programs that build WorkerNodes directly)", () => {
  const stack = previewStackForSuite("invalid-key");

  test("refuses a private key that is not one, without printing it", async () => {
    await fs.writeFile(
      path.join(stack.project.dir, "Pulumi.invalid-key.yaml"),
      JSON.stringify({ config: { "kubeadm-workers:nodes": [{ name: "web-1", host: "10.213.0.250" }] } }),
    );
    await stack.project.pulumiOk(["config", "set", "--secret", "sshPrivateKey", "not a private key"]);
    const { code, stdout, stderr } = await stack.project.pulumi(["preview", "--diff"]);
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
