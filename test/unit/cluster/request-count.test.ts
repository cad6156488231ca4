import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { connectCluster } from "../../../providers/cluster/kube-api";
import { observeApiRequests, type ApiRequest } from "../../../providers/cluster/request-count";

// A loopback HTTP server answering like the API server for the two calls below.
let server: http.Server;
let kubeconfig: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.setHeader("Content-Type", "application/json");
    if (req.url === "/api/v1/nodes/n1") res.end(JSON.stringify({ kind: "Node", apiVersion: "v1", metadata: { name: "n1", uid: "u1" } }));
    else if (req.url?.startsWith("/api/v1/pods?")) res.end(JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: {}, items: [] }));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", code: 404, message: "not found" }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  kubeconfig = JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    // client-node refuses plain HTTP unless TLS checks are off; loopback only.
    clusters: [{ name: "c", cluster: { server: `http://127.0.0.1:${port}`, "insecure-skip-tls-verify": true } }],
    users: [{ name: "u", user: {} }],
    contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
    "current-context": "x",
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
