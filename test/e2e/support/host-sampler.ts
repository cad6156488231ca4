import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { labDir } from "../../support/lab-dir";
import { commandLineOf } from "../../support/proc-table";
import { captureDir } from "./capture";

/**
 * The e2e tier's host process sampler: one process on the machine, started by the tier's global setup
 * before its first test and stopped by its global teardown after its last, that reads the command
 * line of every process of every lab host every 50 ms (through the machine's /proc, which sees the
 * hosts' PID namespaces) and writes each one once to the capture, where the secrets scan reads it.
 * So every join of every suite is sampled, whatever stack ran it, with no process on the hosts.
 */
export const hostSamplerScript = "host-sampler-main.js";
/** The running sampler, written by the sampler once its first sample is in. */
export const hostSamplerStateFile = path.join(labDir, "e2e-host-sampler.json");
const logFile = path.join(labDir, "e2e-host-sampler.log");
/** The prefix of the capture files it writes. */
export const hostSamplesPrefix = "ps-hosts";

export interface HostSamplerState {
  readonly pid: number;
  /** The jest process it belongs to: it ends itself when that one is gone. */
  readonly parent: number;
  readonly startedAt: string;
}

function readState(): HostSamplerState | undefined {
  try {
    return JSON.parse(fs.readFileSync(hostSamplerStateFile, "utf8")) as HostSamplerState;
  } catch {
    return undefined;
  }
}

const isSampler = (pid: number): boolean => commandLineOf(pid).includes(hostSamplerScript);

/** Starts the sampler and resolves once its first sample is in; fails naming its log when it does not start. */
export async function startHostSampler(): Promise<HostSamplerState> {
  fs.mkdirSync(labDir, { recursive: true });
  fs.rmSync(hostSamplerStateFile, { force: true });
  // jest's NODE_OPTIONS (ESM loading) is not for it.
  const { NODE_OPTIONS: _jestOnly, ...env } = process.env;
  const log = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, [path.join(__dirname, hostSamplerScript), String(process.pid)], { env, stdio: ["ignore", "ignore", log] });
  fs.closeSync(log);
  child.unref();
  let exited: number | null | undefined;
  child.on("exit", (code) => (exited = code));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const state = readState();
    if (state && state.pid === child.pid) return state;
    if (exited !== undefined || Date.now() > deadline) {
      child.kill("SIGKILL");
      const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").split("\n").slice(-20).join("\n") : "";
      throw new Error(`the e2e tier's host process sampler did not start (${exited !== undefined ? `exited ${exited}` : "no first sample in 15s"}); its log ${logFile}:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The sampler of this run when it is running, else undefined. */
export function runningHostSampler(): HostSamplerState | undefined {
  const state = readState();
  return state && isSampler(state.pid) ? state : undefined;
}

/** Stops the sampler (SIGTERM, then SIGKILL after 5 s) and waits until it is gone; says what it found. */
export async function stopHostSampler(): Promise<string> {
  const state = readState();
  fs.rmSync(hostSamplerStateFile, { force: true });
  if (!state) return "no host process sampler was started";
  if (!isSampler(state.pid)) return `the host process sampler (pid ${state.pid}) had already ended; see ${logFile}`;
  process.kill(state.pid, "SIGTERM");
  const deadline = Date.now() + 5_000;
  while (isSampler(state.pid)) {
    if (Date.now() > deadline) {
      process.kill(state.pid, "SIGKILL");
      await new Promise((r) => setTimeout(r, 200));
      return `the host process sampler (pid ${state.pid}) did not end on SIGTERM: killed`;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return `host process sampler (pid ${state.pid}) stopped`;
}

/** Everything the samplers wrote to the capture so far ("TIME HOST PID: ARGS" lines). */
export function hostSamples(): string {
  if (!fs.existsSync(captureDir)) return "";
  return fs
    .readdirSync(captureDir)
    .filter((f) => f.startsWith(`${hostSamplesPrefix}-`))
    .sort()
    .map((f) => fs.readFileSync(path.join(captureDir, f), "utf8"))
    .join("");
}
