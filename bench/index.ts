// npm run bench [-- <scenario>...]: every scenario (or the named ones), ours and the peer alternating
// in the same run; prints the markdown table and writes bench/results/latest.json (rows of earlier
// runs of other scenarios stay, so scenarios may run in separate sessions). BENCH_RUNS overrides
// each scenario's number of runs. Timing claims live here, never in tests.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot, runOk } from "../test/support/process";
import { requireLab } from "../test/integration/support/lab";
import type { Scenario } from "./scenario";
import { drain100, drainTight } from "./scenarios/drain";
import { drainReal } from "./scenarios/drain-real";
import { growth } from "./scenarios/growth";
import { preview } from "./scenarios/preview";
import { scaleOut } from "./scenarios/scale-out";
import { markdownTable, mergeRows, type BenchRow } from "./table";

export const scenarios: readonly Scenario[] = [drain100, drainTight, drainReal, growth, scaleOut, preview];
const resultsFile = path.join(repoRoot, "bench", "results", "latest.json");

function log(line: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function machine(): Promise<string> {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const kubectl = JSON.parse((await runOk("kubectl", ["version", "--client", "-o", "json"])).stdout) as { clientVersion: { gitVersion: string } };
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}, kubectl ${kubectl.clientVersion.gitVersion}`;
}

function record(rows: readonly BenchRow[]): void {
  const earlier = fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, "utf8")) as BenchRow[]) : [];
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(resultsFile, `${JSON.stringify(mergeRows(earlier, rows), null, 2)}\n`);
}

async function main(): Promise<void> {
  requireLab();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !scenarios.some((s) => s.id === w));
  if (unknown.length > 0) throw new Error(`no scenario named ${unknown.join(", ")}; scenarios: ${scenarios.map((s) => s.id).join(", ")}`);
  const selected = wanted.length > 0 ? scenarios.filter((s) => wanted.includes(s.id)) : scenarios;
  log(`machine: ${await machine()}`);
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  for (const scenario of selected) {
    const runs = Number(process.env.BENCH_RUNS ?? scenario.defaultRuns);
    log(`scenario ${scenario.id}: ${runs} run(s) each side`);
    try {
      const fresh = await scenario.run(runs, log);
      rows.push(...fresh);
      // Written after each scenario: a session stopped later keeps what it measured.
      record(fresh);
      console.log(markdownTable(fresh));
    } catch (error) {
      failed.push(scenario.id);
      log(`scenario ${scenario.id} FAILED: ${(error as Error).message}`);
    }
  }
  console.log(`\n${markdownTable(rows)}\n`);
  log(`wrote ${path.relative(repoRoot, resultsFile)}`);
  if (failed.length > 0) throw new Error(`scenario(s) failed: ${failed.join(", ")}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
