import type { BenchRow } from "./table";

/** One benchmark scenario: runs ours and its peer alternately `runs` times and returns its rows. */
export interface Scenario {
  /** What `npm run bench -- <id>` selects. */
  readonly id: string;
  readonly defaultRuns: number;
  run(runs: number, log: (line: string) => void): Promise<BenchRow[]>;
}

/** Run `first`/`second` alternately, `runs` times each, ours first in even rounds. */
export async function alternate<T>(runs: number, ours: () => Promise<T>, peer: () => Promise<T>): Promise<{ ours: T; peer: T }[]> {
  const results: { ours: T; peer: T }[] = [];
  for (let round = 0; round < runs; round++) {
    if (round % 2 === 0) {
      const o = await ours();
      results.push({ ours: o, peer: await peer() });
    } else {
      const p = await peer();
      results.push({ ours: await ours(), peer: p });
    }
  }
  return results;
}
