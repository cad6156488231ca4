import { observeApiRequests } from "../../../providers/cluster/request-count";
import { scaleInReview } from "../../../stacks/scale-in-review";
import type { LoopbackApi } from "../../support/loopback-api";
import { podsOn, readyNode, startPagedApi } from "../../support/paged-api";

// A cluster of 3 Nodes this stack joined (p/s/node-0..2) and 1,234 pods: the preview reads only what it needs.
const owned = (i: number) => readyNode(`worker-${i}`, { "kubeadm-workers.io/owner": `p/s/node-${i}`, "kubeadm-workers.io/host": `10.213.0.1${i}` });
const entry = (i: number) => ({ resource: `node-${i}`, host: `10.213.0.1${i}` });

let api: LoopbackApi;
beforeAll(async () => {
  api = await startPagedApi({ nodes: [0, 1, 2].map(owned), pods: podsOn(["worker-0", "worker-1", "worker-2"], 1234) });
});
afterAll(() => api.close());

async function review(entries: { resource: string; host: string }[]): Promise<{ text: string; requests: string[] }> {
  const requests: string[] = [];
  const stop = observeApiRequests((r) => requests.push(`${r.method} ${r.path.replace(/\?.*/, "")}`));
  try {
    return { text: await scaleInReview({ kubeconfig: api.kubeconfig, entries, project: "p", stack: "s", now: new Date("2026-11-30T12:00:00Z") }), requests };
  } finally {
    stop();
  }
}

test("a preview where no node departs reads the Nodes only: one page, whatever the number of pods", async () => {
  const { text, requests } = await review([0, 1, 2].map(entry));
  expect(text).toBe("");
  expect(requests).toEqual(["GET /api/v1/nodes"]);
});

test("a preview where a node departs reads the pods, PDBs, DaemonSets and namespaces too, paginated", async () => {
  const { text, requests } = await review([0, 1].map(entry));
  expect(text).toMatch(/worker-2/);
  expect([...new Set(requests)].sort()).toEqual([
    "GET /api/v1/namespaces",
    "GET /api/v1/nodes",
    "GET /api/v1/pods",
    "GET /apis/apps/v1/daemonsets",
    "GET /apis/policy/v1/poddisruptionbudgets",
  ]);
  expect(requests.filter((r) => r === "GET /api/v1/pods")).toHaveLength(3);
});

test("the report's last line says its drain options are the stack config's, while a removed or replaced node drains with those recorded at the last up", async () => {
  // Pulumi hands delete the old outputs: a PR that both changes `drain` and removes an entry is judged
  // here with the new options, but drained with the old ones (README, "What happens, and how to recover").
  const { text } = await review([0, 1].map(entry));
  expect(text.split("\n").at(-1)).toMatch(/^\(from http:\/\/127\.0\.0\.1:\d+; drain options from the stack config; a node removed or replaced is drained with those recorded at the last up\)$/);
});
