import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { CommandResult, killProcessTree, repoRoot, run, startDetached, type BackgroundRun } from "../../support/process";
import { captureBackend, captureOutput } from "./capture";

/** Every project's directory starts so (the leftover-process check knows their pulumi processes by it). */
export const projectDirPrefix = path.join(os.tmpdir(), "kw-");

/**
 * A Pulumi project in a temporary directory with its own file backend, driven by the real `pulumi`
 * CLI from the toolchain. Its node_modules is the checkout's, so programs import the same packages.
 * Every output and, before removal, the backend are kept for the secrets scan (./capture.ts).
 */
export class PulumiProject {
  private readonly background: BackgroundRun[] = [];

  private constructor(
    readonly dir: string,
    readonly backendDir: string,
  ) {}

  static async create(name: string, files: Record<string, string>): Promise<PulumiProject> {
    const dir = await fs.mkdtemp(`${projectDirPrefix}${name}-`);
    const backendDir = path.join(dir, ".backend");
    await fs.mkdir(backendDir);
    await fs.symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
    for (const [file, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await fs.writeFile(path.join(dir, file), text);
    }
    return new PulumiProject(dir, backendDir);
  }

  get env(): NodeJS.ProcessEnv {
    // jest's NODE_OPTIONS (ESM loading) is not for the programs pulumi starts.
    const { NODE_OPTIONS: _jestOnly, ...env } = process.env;
    return { ...env, PULUMI_BACKEND_URL: `file://${this.backendDir}` };
  }

  private argv(args: readonly string[]): string[] {
    return [...args, "--non-interactive", "--color", "never"];
  }

  /** Runs `pulumi ARGS` non-interactively; resolves whatever the exit code. */
  async pulumi(args: readonly string[], timeoutMs = 180_000, input?: string): Promise<CommandResult> {
    const result = await run("pulumi", this.argv(args), { cwd: this.dir, env: this.env, timeoutMs, ...(input !== undefined ? { input } : {}) });
    captureOutput(`pulumi ${args.join(" ")}`, result);
    return result;
  }

  /** Runs `pulumi ARGS` and rejects with the whole output on a non-zero exit. */
  async pulumiOk(args: readonly string[], timeoutMs = 180_000, input?: string): Promise<CommandResult> {
    const result = await this.pulumi(args, timeoutMs, input);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
    }
    return result;
  }

  /** Runs `pulumi ARGS` with `input` on stdin (how secrets are set), rejecting on a non-zero exit. */
  pulumiStdin(args: readonly string[], input: string): Promise<CommandResult> {
    return this.pulumiOk(args, 180_000, input);
  }

  /** Starts `pulumi ARGS` in its own process group and returns at once; its output is captured when it ends. */
  pulumiInBackground(args: readonly string[]): BackgroundRun {
    const started = startDetached("pulumi", this.argv(args), { cwd: this.dir, env: this.env });
    this.background.push(started);
    void started.done.then((result) => captureOutput(`pulumi ${args.join(" ")} (background)`, result), () => undefined);
    return started;
  }

  /** Kills (the whole process tree of) every background run still going: for afterAll, after a test that timed out. */
  async stopBackground(): Promise<void> {
    for (const run of this.background) if (run.running()) await killProcessTree(run.pid);
  }

  async remove(): Promise<void> {
    await this.stopBackground();
    captureBackend(this.backendDir, path.basename(this.dir));
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
