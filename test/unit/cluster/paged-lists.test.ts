import { connectCluster } from "../../../providers/cluster/kube-api";
import { observeApiRequests } from "../../../providers/cluster/request-count";
import { startLoopbackApi, type LoopbackApi } from "../../support/loopback-api";

// A loopback API server holding 3 Nodes and 1,234 running pods spread over them, answering lists the
// way kube-apiserver does: `limit` items at a time with a continue token, everything without a limit.
const nodeNames = ["n1", "n2", "n3"];
const pods = Array.from({ length: 1234 }, (_, i) => ({
  metadata: { namespace: "ns", name: `p-${i}`, uid: `u-${i}` },
  spec: { nodeName: nodeNames[i % 3], containers: [{ name: "c", resources: { requests: { cpu: "10m" } } }] },
  status: { phase: "Running" },
}));
const nodes = nodeNames.map((name) => ({
  metadata: { name, uid: `uid-${name}` },
  status: { conditions: [{ type: "Ready", status: "True" }], allocatable: { cpu: "8", memory: "16Gi", pods: "1000" } },
}));

function page<T>(all: T[], query: URLSearchParams): { items: T[]; metadata: { continue?: string } } {
  const limit = Number(query.get("limit") ?? "0");
  const start = Number(query.get("continue") ?? "0");
  if (!limit) return { items: all.slice(start), metadata: {} };
  const end = start + limit;
  return { items: all.slice(start, end), metadata: end < all.length ? { continue: String(end) } : {} };
}

let api: LoopbackApi;
beforeAll(async () => {
  api = await startLoopbackApi((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    res.setHeader("Content-Type", "application/json");
    if (url.pathname === "/api/v1/nodes") res.end(JSON.stringify({ kind: "NodeList", apiVersion: "v1", ...page(nodes, url.searchParams) }));
    else if (url.pathname === "/api/v1/pods") res.end(JSON.stringify({ kind: "PodList", apiVersion: "v1", ...page(pods, url.searchParams) }));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", code: 404, message: "not found" }));
    }
  });
});
afterAll(() => api.close());

test("the room for evicted pods is read with paginated lists (500 a page, as kubectl's --chunk-size), every pod kept", async () => {
  const seen: string[] = [];
  const stop = observeApiRequests((r) => seen.push(`${r.method} ${decodeURIComponent(r.path)}`));
  let room;
  try {
    room = await connectCluster(api.kubeconfig).listNodesWithPods(new Set(["n1"]));
  } finally {
    stop();
  }

  expect(room.map((n) => [n.name, n.pods.length])).toEqual([
    ["n2", 411],
    ["n3", 411],
  ]);
  expect(seen.filter((r) => r.startsWith("GET /api/v1/nodes"))).toEqual(["GET /api/v1/nodes?limit=500"]);
  expect(seen.filter((r) => r.startsWith("GET /api/v1/pods"))).toEqual([
    "GET /api/v1/pods?fieldSelector=status.phase!=Succeeded,status.phase!=Failed&limit=500",
    "GET /api/v1/pods?continue=500&fieldSelector=status.phase!=Succeeded,status.phase!=Failed&limit=500",
    "GET /api/v1/pods?continue=1000&fieldSelector=status.phase!=Succeeded,status.phase!=Failed&limit=500",
  ]);
});
