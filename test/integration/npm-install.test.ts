import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot, runOk } from "../support/process";

// `npm ci` of this project must attempt no plugin download on any machine: @pulumi/kubernetes and
// @pulumi/command carry install scripts that run `pulumi plugin install` (a download from GitHub).
// A `pulumi` on PATH that only records its arguments shows whether anything called it.
jest.setTimeout(300_000);

test("npm ci runs no install script, so no `pulumi plugin install`, of any dependency", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "kw-npm-ci-"));
  try {
    for (const file of ["package.json", "package-lock.json", ".npmrc"]) await fs.copyFile(path.join(repoRoot, file), path.join(dir, file));
    await fs.mkdir(path.join(dir, "shim"));
    const calls = path.join(dir, "pulumi-calls");
    await fs.writeFile(path.join(dir, "shim", "pulumi"), `#!/bin/sh\necho "pulumi $*" >>${JSON.stringify(calls)}\n`, { mode: 0o755 });
    const options = { cwd: dir, env: { ...process.env, PATH: `${path.join(dir, "shim")}:${process.env.PATH ?? ""}` }, timeoutMs: 240_000 };
    const called = (): Promise<string> => fs.readFile(calls, "utf8").catch(() => "");

    await runOk("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], options);
    expect(await called()).toBe("");

    // Control: the SDK's own install script, run on purpose, does call the shim (what the .npmrc spares us).
    await runOk("npm", ["rebuild", "@pulumi/kubernetes", "--ignore-scripts=false", "--loglevel=error"], options);
    expect(await called()).toMatch(/^pulumi plugin install resource kubernetes /);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
