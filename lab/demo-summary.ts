// The table `npm run demo` ends with: per lab node, what the demo's `pulumi up`s did to it (joined,
// drained and removed, unchanged), how many pods its drain moved, and how long the engine said its
// step took. Pure over the text the CLI printed; `node dist/lab/demo-summary.js NODE... < outputs`.
import * as fs from "node:fs";

export interface DemoRow {
  readonly node: string;
  readonly action: "joined" | "drained and removed" | "unchanged";
  readonly podsMoved: number;
  /** The engine's own figure for the node's create or delete step; undefined when it had none. */
  readonly seconds?: number;
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One row per node, from the outputs of every `pulumi up` of the demo (non-interactive text). */
export function demoRows(nodes: readonly string[], output: string): DemoRow[] {
  return nodes.map((node) => {
    const name = escaped(node);
    const step = (verb: string): number | undefined => {
      const match = new RegExp(`WorkerNode ${name} ${verb} \\((\\d+)s\\)`).exec(output);
      return match ? Number(match[1]) : undefined;
    };
    // The drain's progress lines (providers/drain/progress.ts); the last count is the highest.
    const evicted = [...output.matchAll(new RegExp(`${name}: evicted (\\d+)/\\d+ pods`, "g"))].map((m) => Number(m[1]));
    const podsMoved = evicted.length > 0 ? Math.max(...evicted) : 0;
    const deleted = step("deleted");
    if (deleted !== undefined) return { node, action: "drained and removed", podsMoved, seconds: deleted };
    const created = step("created");
    if (created !== undefined) return { node, action: "joined", podsMoved, seconds: created };
    return { node, action: "unchanged", podsMoved };
  });
}

export function demoTable(rows: readonly DemoRow[]): string {
  const lines = rows.map((r) => `| ${r.node} | ${r.action} | ${r.podsMoved} | ${r.seconds ?? "—"} |`);
  return ["| node | action | pods moved | seconds |", "| --- | --- | --- | --- |", ...lines].join("\n");
}

if (require.main === module) {
  process.stdout.write(`${demoTable(demoRows(process.argv.slice(2), fs.readFileSync(0, "utf8")))}\n`);
}
