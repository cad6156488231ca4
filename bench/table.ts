// The benchmark's result rows: medians of paired runs, the markdown table and bench/results/latest.json.
import { median } from "./stats";

/** One line of the table and of latest.json. Times in seconds, memory in MB: the scenario names the unit. */
export interface BenchRow {
  readonly scenario: string;
  /** Median of our runs. */
  readonly ours: number;
  /** Median of the peer's runs (kubectl drain, a smaller cluster, trivial resources, Node itself). */
  readonly peer: number;
  /** Median of the per-pair ratios ours/peer (pairs ran alternately in the same session). */
  readonly ratio: number;
  readonly runs: number;
  /** API requests of one of our runs (median), or "small / large" when a scenario compares two sizes. */
  readonly requests: number | string | null;
}

/** A measured pair: ours and the peer, run back to back. */
export interface Pair {
  readonly ours: number;
  readonly peer: number;
}

export function summarize(scenario: string, pairs: readonly Pair[], requests: number | string | null = null): BenchRow {
  if (pairs.length === 0) throw new Error(`scenario "${scenario}" has no runs to summarize`);
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  return {
    scenario,
    ours: round(median(pairs.map((p) => p.ours))),
    peer: round(median(pairs.map((p) => p.peer))),
    ratio: round(median(pairs.map((p) => p.ours / p.peer))),
    runs: pairs.length,
    requests,
  };
}

/** Median request count of several runs, whole. */
export function medianCount(counts: readonly number[]): number | null {
  return counts.length === 0 ? null : Math.round(median(counts));
}

function cell(value: number | string | null): string {
  if (value === null) return "—";
  return typeof value === "number" ? String(Number(value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2))) : value;
}

export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = [
    "| scenario | ours (median) | peer (median) | median ratio | runs | API requests per run |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.scenario} | ${cell(r.ours)} | ${cell(r.peer)} | ${r.ratio.toFixed(2)} | ${r.runs} | ${cell(r.requests)} |`),
  ];
  return lines.join("\n");
}

/**
 * The rows of latest.json after a run: this run's rows replace earlier rows of the same scenario, the
 * others stay (a run of one scenario updates its own lines). Order: the earlier file's, new ones last.
 */
export function mergeRows(earlier: readonly BenchRow[], fresh: readonly BenchRow[]): BenchRow[] {
  const byScenario = new Map(fresh.map((r) => [r.scenario, r]));
  const merged = earlier.map((r) => byScenario.get(r.scenario) ?? r);
  const kept = new Set(earlier.map((r) => r.scenario));
  return [...merged, ...fresh.filter((r) => !kept.has(r.scenario))];
}
