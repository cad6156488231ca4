import { connectCluster } from "../../../providers/cluster/kube-api";
import { observeApiRequests } from "../../../providers/cluster/request-count";
import type { LoopbackApi } from "../../support/loopback-api";
import { podsOn, readyNode, startPagedApi } from "../../support/paged-api";

// 3 Nodes and 1,234 running pods spread over them.
const nodeNames = ["n1", "n2", "n3"];

let api: LoopbackApi;
beforeAll(async () => {
  api = await startPagedApi({ nodes: nodeNames.map((name) => readyNode(name)), pods: podsOn(nodeNames, 1234) });
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
