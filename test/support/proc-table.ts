import * as fs from "node:fs";
import { labHostOfCgroup, type ProcessEntry } from "./lab-processes";

/** The numeric entries of /proc: every process the machine sees, its lab hosts' included. */
export function processIds(): number[] {
  return fs
    .readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/** A file of /proc/PID, or undefined once the process is gone (it may end between the listing and the read). */
export function readProc(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

/** A process's command line with its arguments joined by spaces; "" for a kernel thread or a zombie. */
export function commandLineOf(pid: number): string {
  return (readProc(pid, "cmdline") ?? "").replace(/\0+$/, "").replace(/\0/g, " ");
}

/**
 * Every process with a command line, each with its lab host and its PULUMI_BACKEND_URL: a full read
 * (cgroup and environment of every process), for a check made once, not for sampling.
 */
export function processTable(): ProcessEntry[] {
  const table: ProcessEntry[] = [];
  for (const pid of processIds()) {
    const args = commandLineOf(pid);
    if (!args) continue;
    const host = labHostOfCgroup(readProc(pid, "cgroup") ?? "");
    const backend = /(?:^|\0)PULUMI_BACKEND_URL=([^\0]*)/.exec(readProc(pid, "environ") ?? "")?.[1];
    table.push({ pid, args, ...(host !== undefined ? { host } : {}), ...(backend !== undefined ? { backend } : {}) });
  }
  return table;
}
