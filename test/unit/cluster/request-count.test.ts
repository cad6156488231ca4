import { connectCluster } from "../../../providers/cluster/kube-api";
import { observeApiRequests, type ApiRequest } from "../../../providers/cluster/request-count";
import { startLoopbackApi, type LoopbackApi } from "../../support/loopback-api";

// A loopback HTTP server answering like the API server for the two calls below.
let api: LoopbackApi;
let kubeconfig: string;

beforeAll(async () => {
  api = await startLoopbackApi((req, res) => {
    res.setHeader("Content-Type", "application/json");
    if (req.url === "/api/v1/nodes/n1") res.end(JSON.stringify({ kind: "Node", apiVersion: "v1", metadata: { name: "n1", uid: "u1" } }));
    else if (req.url?.startsWith("/api/v1/pods?")) res.end(JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: {}, items: [] }));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", code: 404, message: "not found" }));
    }
  });
  kubeconfig = api.kubeconfig;
});

afterAll(() => api.close());

describe("API request counting at the adapter", () => {
  test("an observer sees every request with its method and path, and the answers are unchanged", async () => {
    const seen: ApiRequest[] = [];
    const stop = observeApiRequests((r) => seen.push(r));
    const cluster = connectCluster(kubeconfig);
    try {
      expect((await cluster.getNode("n1"))?.name).toBe("n1");
      expect(await cluster.getNode("absent")).toBeUndefined();
      expect(await cluster.listPodsOnNode("n1")).toEqual([]);
    } finally {
      stop();
    }
    expect(seen).toEqual([
      { method: "GET", path: "/api/v1/nodes/n1" },
      { method: "GET", path: "/api/v1/nodes/absent" },
      { method: "GET", path: "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1" },
    ]);
  });

  test("after stopping, nothing more is seen", async () => {
    const seen: ApiRequest[] = [];
    observeApiRequests((r) => seen.push(r))();
    await connectCluster(kubeconfig).getNode("n1");
    expect(seen).toEqual([]);
  });
});
