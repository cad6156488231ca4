// Preloaded (NODE_OPTIONS=--require) into the Node processes `pulumi` starts for a benchmark — the
// stack program and the dynamic provider — to see what the product cannot be asked: each process's
// peak memory, and every TCP connection it opens (an SSH session is one to a host's port 22). Writes
// $KW_BENCH_PROBE_DIR/<pid>.json now and then and at exit (the engine may kill a provider without one).
import * as fs from "node:fs";
import * as inspector from "node:inspector";
import * as net from "node:net";
import * as path from "node:path";

export interface ProbeRecord {
  readonly pid: number;
  /** The command line's script, e.g. …/@pulumi/pulumi/cmd/dynamic-provider/index.js. */
  readonly script: string;
  readonly peakRssMb: number;
  /** host:port of every TCP connection opened. */
  readonly connections: string[];
}

const dir = process.env.KW_BENCH_PROBE_DIR;
if (dir) {
  const connections: string[] = [];
  const socket = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => net.Socket };
  const original = socket.connect;
  socket.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0] as { host?: string; port?: number; path?: string } | number | string;
    if (typeof first === "object" && first !== null && !first.path) connections.push(`${first.host ?? "localhost"}:${first.port}`);
    else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) connections.push(`${typeof args[1] === "string" ? args[1] : "localhost"}:${first}`);
    return original.apply(this, args);
  };
  const write = (): void => {
    const record: ProbeRecord = { pid: process.pid, script: process.argv[1] ?? "", peakRssMb: process.resourceUsage().maxRSS / 1024, connections };
    try {
      fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(record));
    } catch {
      // the benchmark removed its directory already: nothing to report to
    }
  };
  setInterval(write, 250).unref();
  process.on("exit", write);
}

/**
 * KW_BENCH_CPU_PROFILE_DIR: a CPU profile of this process, written in one-second slices
 * (`<kind>-<pid>-<n>.cpuprofile`), since the engine kills a provider before any exit hook could
 * write one (`--cpu-prof` writes at exit only). profile-summary.ts adds the slices up.
 */
const profileDir = process.env.KW_BENCH_CPU_PROFILE_DIR;
if (profileDir) {
  const kind = /dynamic-provider/.test(process.argv[1] ?? "") ? "provider" : /cmd[/\\]run/.test(process.argv[1] ?? "") ? "program" : "other";
  const session = new inspector.Session();
  session.connect();
  let slice = 0;
  session.post("Profiler.enable", () => session.post("Profiler.start"));
  const writeSlice = (): void => {
    session.post("Profiler.stop", (error, result) => {
      if (!error && result) fs.writeFileSync(path.join(profileDir, `${kind}-${process.pid}-${slice++}.cpuprofile`), JSON.stringify(result.profile));
      session.post("Profiler.start");
    });
  };
  setInterval(writeSlice, 1000).unref();
}
