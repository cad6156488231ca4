// `node dist/bench/support/profile-summary.js <file.cpuprofile>...`: where the V8 CPU profiles'
// time went, added up over all the files (the slices the probe writes of one process, or of all
// processes of one kind), as self time by script (package or file) and by function, for the
// profiles BENCH_CPU_PROFILE_DIR collects. Reading aid for the benchmarks, not a benchmark.
import * as fs from "node:fs";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** The innermost node_modules/<package> (scoped too), our dist files by path, or Node's own. */
export function scriptOf(url: string): string {
  if (!url) return "(native / idle / gc)";
  const pkg = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith("node:")) return "node:internal";
  const ours = /\/dist\/(.+)$/.exec(url);
  return ours ? ours[1] : url;
}

function top(map: Map<string, number>, n: number): string[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}

export function summarize(profiles: readonly CpuProfile[]): string {
  const byScript = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    total += (profile.endTime - profile.startTime) / 1000;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      const us = profile.timeDeltas[i] ?? 0;
      if (!node) return;
      const script = scriptOf(node.callFrame.url);
      byScript.set(script, (byScript.get(script) ?? 0) + us);
      const fn = `${node.callFrame.functionName || "(anonymous)"} ${script}:${node.callFrame.lineNumber + 1}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    });
  }
  return [`${total.toFixed(0)} ms profiled; self time by script:`, ...top(byScript, 15), "by function:", ...top(byFunction, 20)].join("\n");
}

if (require.main === module) {
  const files = process.argv.slice(2);
  console.log(`# ${files.length} profile(s)\n${summarize(files.map((file) => JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile))}`);
}
