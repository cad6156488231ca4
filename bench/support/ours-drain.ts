// Our drain of one Node, in a process of its own (as the dynamic provider runs it in its own), so its
// API requests and peak memory are this drain's alone. Prints one JSON line: BENCH_DRAIN {...}.
//   node dist/bench/support/ours-drain.js <node>
import { performance } from "node:perf_hooks";
import { observeApiRequests, type ApiRequest } from "../../providers/cluster/request-count";
import { drainNode } from "../../providers/drain/execute";
import { defaultDrainOptions } from "../../providers/drain/options";
import { labCluster } from "../../test/integration/support/lab";

export interface OursDrainResult {
  readonly seconds: number;
  readonly requests: number;
  /** Requests by method and path without query or object name (e.g. "GET /api/v1/pods"). */
  readonly byKind: Record<string, number>;
  readonly peakRssMb: number;
}

/** "GET /api/v1/namespaces/x/pods/y/eviction?a=b" -> "POST .../pods/eviction": one key per kind of call. */
export function requestKind(request: ApiRequest): string {
  const path = request.path.split("?")[0] ?? "";
  const watch = request.path.includes("watch=true") ? " (watch)" : "";
  const generic = path.replace(/\/namespaces\/[^/]+/, "/namespaces/*").replace(/\/(pods|nodes|replicasets|statefulsets|poddisruptionbudgets|leases|daemonsets)\/[^/]+/, "/$1/*");
  return `${request.method} ${generic}${watch}`;
}

async function main(): Promise<void> {
  const node = process.argv[2];
  if (!node) throw new Error("usage: ours-drain.js <node>");
  const byKind: Record<string, number> = {};
  let requests = 0;
  observeApiRequests((request) => {
    requests++;
    const kind = requestKind(request);
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  });
  const started = performance.now();
  await drainNode(labCluster(), node, { ...defaultDrainOptions, timeoutSeconds: 600 }, {
    now: () => new Date(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    log: () => undefined,
  });
  const result: OursDrainResult = {
    seconds: (performance.now() - started) / 1000,
    requests,
    byKind,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(`BENCH_DRAIN ${JSON.stringify(result)}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(`our drain of ${process.argv[2]} failed: ${error.message}`);
      process.exit(1);
    },
  );
}
