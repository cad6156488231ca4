// `pulumi ARGS` in a project, with every Node process it starts probed (bench/support/process-probe.ts:
// peak memory, TCP connections) and every Kubernetes API request our code sends logged
// (KUBEADM_WORKERS_API_REQUEST_LOG, providers/cluster/request-count.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { PulumiProject } from "../../test/e2e/support/pulumi-project";
import { repoRoot, runOk } from "../../test/support/process";
import type { ProbeRecord } from "./process-probe";

export interface ProbedRun {
  readonly seconds: number;
  readonly apiRequests: number;
  /** Probe records of the dynamic provider processes (the launcher runs @pulumi/pulumi's cmd/dynamic-provider). */
  readonly providers: ProbeRecord[];
  /** Probe records of the stack program's process (the language host runs @pulumi/pulumi's cmd/run). */
  readonly programs: ProbeRecord[];
}

export async function probedPulumi(project: PulumiProject, args: readonly string[], timeoutMs = 900_000): Promise<ProbedRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-bench-probe-"));
  const requestLog = path.join(dir, "api-requests.log");
  fs.writeFileSync(requestLog, "");
  try {
    const started = performance.now();
    await runOk("pulumi", [...args, "--non-interactive", "--color", "never"], {
      cwd: project.dir,
      env: {
        ...project.env,
        NODE_OPTIONS: `--require ${path.join(repoRoot, "dist/bench/support/process-probe.js")}`,
        // BENCH_CPU_PROFILE_DIR=<dir>: the probe also writes CPU profiles of every process there.
        ...(process.env.BENCH_CPU_PROFILE_DIR ? { KW_BENCH_CPU_PROFILE_DIR: path.resolve(process.env.BENCH_CPU_PROFILE_DIR) } : {}),
        KW_BENCH_PROBE_DIR: dir,
        KUBEADM_WORKERS_API_REQUEST_LOG: requestLog,
      },
      timeoutMs,
    });
    const seconds = (performance.now() - started) / 1000;
    // The last probe write of a process the engine stopped may lag its end by a tick.
    await new Promise((r) => setTimeout(r, 300));
    const records = fs
      .readdirSync(dir)
      .filter((f) => /^\d+\.json$/.test(f))
      .flatMap((f) => {
        try {
          return [JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as ProbeRecord];
        } catch {
          return [];
        }
      });
    const apiRequests = fs.readFileSync(requestLog, "utf8").split("\n").filter((l) => l.trim()).length;
    return {
      seconds,
      apiRequests,
      providers: records.filter((r) => r.script.includes("dynamic-provider")),
      programs: records.filter((r) => r.script.includes(`cmd${path.sep}run`)),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function peakMb(records: readonly ProbeRecord[]): number {
  return Math.max(0, ...records.map((r) => r.peakRssMb));
}
