import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { CommandResult, repoRoot, run, runOk } from "../../support/process";

/**
 * A Pulumi project in a temporary directory with its own file backend, driven by the real `pulumi`
 * CLI from the toolchain. Its node_modules is the checkout's, so programs import the same packages.
 */
export class PulumiProject {
  private constructor(
    readonly dir: string,
    private readonly backendDir: string,
  ) {}

  static async create(name: string, files: Record<string, string>): Promise<PulumiProject> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `kw-${name}-`));
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

  /** Runs `pulumi ARGS` non-interactively; resolves whatever the exit code. */
  pulumi(args: readonly string[], timeoutMs = 180_000): Promise<CommandResult> {
    return run("pulumi", [...args, "--non-interactive", "--color", "never"], {
      cwd: this.dir,
      env: this.env,
      timeoutMs,
    });
  }

  /** Runs `pulumi ARGS` and rejects with the whole output on a non-zero exit. */
  pulumiOk(args: readonly string[], timeoutMs = 180_000): Promise<CommandResult> {
    return runOk("pulumi", [...args, "--non-interactive", "--color", "never"], {
      cwd: this.dir,
      env: this.env,
      timeoutMs,
    });
  }

  /** Runs `pulumi ARGS` with `input` on stdin (how secrets are set), rejecting on a non-zero exit. */
  pulumiStdin(args: readonly string[], input: string): Promise<CommandResult> {
    return runOk("pulumi", [...args, "--non-interactive", "--color", "never"], { cwd: this.dir, env: this.env, input });
  }

  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
