import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot, run, runOk } from "../support/process";

// Issue 10: the package installs into a user's own Pulumi project beside another @pulumi/pulumi 3.x,
// with one copy of the SDK (two copies break resource registration), and previews there.
jest.setTimeout(300_000);

const otherSdk = "3.270.0";

describe("kubeadm-workers as an npm package in a user's project", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "kw-package-"));
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  test(`npm pack, install beside @pulumi/pulumi ${otherSdk}, and pulumi preview a WorkerNode`, async () => {
    const packed = await runOk("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: repoRoot });
    const tarball = path.join(dir, packed.stdout.trim().split("\n").pop() as string);
    // The license text package.json's `license` names travels with the package.
    const packageJson = JSON.parse(await fs.readFile(path.join(repoRoot, "package.json"), "utf8")) as { license: string };
    expect(packageJson.license).toBe("Apache-2.0");
    const contents = (await runOk("tar", ["-tzf", tarball])).stdout.split("\n");
    expect(contents).toEqual(expect.arrayContaining(["package/LICENSE", "package/package.json", "package/dist/providers/index.js", "package/dist/providers/index.d.ts"]));
    expect(await fs.readFile(path.join(repoRoot, "LICENSE"), "utf8")).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004\s/);
    const project = path.join(dir, "project");
    await fs.mkdir(project);
    await fs.writeFile(
      path.join(project, "package.json"),
      JSON.stringify({ name: "fleet", private: true, dependencies: { "@pulumi/pulumi": otherSdk, "kubeadm-workers": `file:${tarball}` } }, null, 2),
    );
    await fs.writeFile(path.join(project, "Pulumi.yaml"), "name: fleet\nruntime: nodejs\n");
    await fs.writeFile(
      path.join(project, "index.js"),
      [
        'const { WorkerNode } = require("kubeadm-workers");',
        'new WorkerNode("web-1", {',
        '  connection: { host: "10.213.0.11", user: "root", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\\nAAAA\\n-----END OPENSSH PRIVATE KEY-----\\n" },',
        '  cluster: { kubeconfig: "apiVersion: v1\\nclusters: []\\n" },',
        '  labels: { tier: "web" },',
        "});",
      ].join("\n"),
    );
    // --ignore-scripts: nothing tries to download a plugin (and the package itself has no install script).
    await runOk("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project, timeoutMs: 240_000 });

    const sdkCopies = (await run("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], { cwd: project })).stdout.trim().split("\n").filter(Boolean);
    expect(sdkCopies).toEqual([path.join(project, "node_modules/@pulumi/pulumi")]);
    const installed = JSON.parse(await fs.readFile(path.join(project, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as { version: string };
    expect(installed.version).toBe(otherSdk);
    // Only the runtime dependencies come along: no plugin-downloading package.
    await expect(fs.access(path.join(project, "node_modules/@pulumi/kubernetes"))).rejects.toThrow();
    await expect(fs.access(path.join(project, "node_modules/@pulumi/command"))).rejects.toThrow();

    const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
    const env = { ...inherited, PULUMI_BACKEND_URL: `file://${dir}`, PULUMI_CONFIG_PASSPHRASE: "package-test" };
    await runOk("pulumi", ["stack", "init", "dev", "--non-interactive"], { cwd: project, env });
    const preview = await runOk("pulumi", ["preview", "--non-interactive", "--color", "never"], { cwd: project, env, timeoutMs: 180_000 });
    expect(preview.stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/kubeadm-workers:WorkerNode\s+web-1\s+create/);
    expect(preview.stdout).toMatch(/2 to create/);
  });
});
