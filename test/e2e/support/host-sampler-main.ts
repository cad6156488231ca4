// The e2e tier's host process sampler (./host-sampler.ts starts it: `node host-sampler-main.js JEST_PID`).
// Every 50 ms it lists /proc, and writes each lab host process's command line it has not written yet
// to the capture. A process's host is its cgroup (read once per process; a machine process's is read
// again every second, in case it moved into a host); its command line is read at every sample, as a
// process may exec or rewrite it. It ends on SIGTERM, or by itself once the jest process is gone.
import * as fs from "node:fs";
import { labHostOfCgroup, newSightings, type ProcessEntry } from "../../support/lab-processes";
import { commandLineOf, processIds, readProc } from "../../support/proc-table";
import { captureFile } from "./capture";
import { hostSamplerStateFile, hostSamplesPrefix, type HostSamplerState } from "./host-sampler";

const intervalMs = 50;
const recheckMachineProcessesEvery = 20; // samples
// The secrets scan skips files over 4 MiB: a new file well before that.
const maxFileBytes = 1024 * 1024;

const parent = Number(process.argv[2]);
const hostOf = new Map<number, string | null>();
const seen = new Set<string>();
let samples = 0;
let fd = -1;
let written = 0;

function write(text: string): void {
  if (fd === -1 || written > maxFileBytes) {
    if (fd !== -1) fs.closeSync(fd);
    fd = fs.openSync(captureFile(hostSamplesPrefix, "log"), "a");
    written = 0;
  }
  fs.writeSync(fd, text);
  written += Buffer.byteLength(text);
}

function sample(): void {
  samples++;
  const pids = processIds();
  const alive = new Set(pids);
  for (const pid of hostOf.keys()) if (!alive.has(pid)) hostOf.delete(pid);
  const onHosts: ProcessEntry[] = [];
  for (const pid of pids) {
    let host = hostOf.get(pid);
    if (host === undefined || (host === null && samples % recheckMachineProcessesEvery === 0)) {
      const cgroup = readProc(pid, "cgroup");
      if (cgroup === undefined) continue;
      host = labHostOfCgroup(cgroup) ?? null;
      hostOf.set(pid, host);
    }
    if (host === null) continue;
    const args = commandLineOf(pid);
    if (args) onHosts.push({ pid, args, host });
  }
  const lines = newSightings(onHosts, seen);
  if (lines.length > 0) {
    const at = new Date().toISOString();
    write(lines.map((l) => `${at} ${l}\n`).join(""));
  }
}

function parentAlive(): boolean {
  try {
    process.kill(parent, 0);
    return true;
  } catch {
    return false;
  }
}

function loop(): void {
  if (!parentAlive()) process.exit(0);
  try {
    sample();
  } catch (error) {
    console.error(`${new Date().toISOString()} sample ${samples} failed: ${(error as Error).message}`);
  }
  setTimeout(loop, intervalMs);
}

process.on("SIGTERM", () => {
  if (fd !== -1) fs.closeSync(fd);
  process.exit(0);
});

if (!Number.isInteger(parent) || parent <= 1) {
  console.error(`usage: node ${process.argv[1]} JEST_PID (got ${process.argv[2]})`);
  process.exit(2);
}
sample();
const state: HostSamplerState = { pid: process.pid, parent, startedAt: new Date().toISOString() };
fs.writeFileSync(`${hostSamplerStateFile}.tmp`, JSON.stringify(state));
fs.renameSync(`${hostSamplerStateFile}.tmp`, hostSamplerStateFile);
setTimeout(loop, intervalMs);
