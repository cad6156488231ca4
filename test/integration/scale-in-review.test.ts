import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { scaleInReview } from "../../stacks/scale-in-review";

// The report must never fail or hold up a preview: a cluster that does not answer is reported.
describe("scale-in review against a cluster that does not answer", () => {
  test("a silent API server makes the report say so within its timeout", async () => {
    // A server on loopback that accepts connections and never answers.
    const sockets = new Set<import("node:net").Socket>();
    const server = http.createServer(() => undefined);
    server.on("connection", (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const kubeconfig = [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{name: c, cluster: {server: 'http://127.0.0.1:" + port + "', insecure-skip-tls-verify: true}}]",
      "users: [{name: u, user: {token: t}}]",
      "contexts: [{name: x, context: {cluster: c, user: u}}]",
      "current-context: x",
    ].join("\n");
    try {
      const text = await scaleInReview({ kubeconfig, entries: [], project: "p", stack: "s", now: new Date(), timeoutMs: 1000 });
      expect(text).toContain("Scale-in report: the cluster could not be read (no answer from http://127.0.0.1:");
      expect(text).toContain("The preview itself is unaffected.");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
