import { execFile, spawn } from "node:child_process";
import * as path from "node:path";

/** The checkout's root, from the compiled location dist/test/support/. */
export const repoRoot = path.resolve(__dirname, "../../..");

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  readonly input?: string;
}

/** Runs a command without a shell and resolves with its exit code and output, whatever the code. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        cwd: options.cwd ?? repoRoot,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(new Error(`${command} ${args.join(" ")} did not run: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Like run, but rejects with the command's whole output when it exits non-zero. */
export async function runOk(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}

/** A command running in the background, in its own process group. */
export interface BackgroundRun {
  readonly pid: number;
  /** stdout and stderr so far. */
  output(): string;
  /** False once it has exited. */
  running(): boolean;
  /** Resolves with the result once it exits (killed included: code -1 then). */
  readonly done: Promise<CommandResult>;
}

/** Starts a command in its own process group (detached), collecting its output. */
export function startDetached(command: string, args: readonly string[], options: RunOptions = {}): BackgroundRun {
  const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, env: options.env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let exited = false;
  child.on("exit", () => (exited = true));
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CommandResult>((resolve, reject) => {
    child.on("error", (e) => reject(new Error(`${command} ${args.join(" ")} did not run: ${e.message}`)));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  if (child.pid === undefined) throw new Error(`${command} did not start`);
  return { pid: child.pid, output: () => stdout + stderr, running: () => !exited, done };
}

/**
 * SIGKILLs a process and everything it started, as a crash of the machine or a CI runner's job kill
 * does: every process group led by the process or one of its descendants (pulumi starts its plugins
 * in groups of their own, which a kill of its group alone leaves running). Groups whose leader is
 * not in the tree are never touched. Resolves with the groups killed.
 */
export async function killProcessTree(rootPid: number): Promise<number[]> {
  const table = (await runOk("ps", ["-eo", "pid=,ppid=,pgid="])).stdout
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number));
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of table) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  const groups = [...new Set(table.filter(([pid]) => tree.has(pid)).map(([, , pgid]) => pgid))].filter((g) => tree.has(g));
  for (const group of groups) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return groups;
}
