import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { scaleInReview } from "../../stacks/scale-in-review";

// The report must never fail or hold up a preview: a cluster that does not answer is reported, and
// the requests it left unanswered are cancelled, so nothing keeps the program's process alive (the
// Node.js runtime ends a Pulumi program only once its event loop is empty).
describe("scale-in review against a cluster that does not answer", () => {
  test("a silent API server makes the report say so within its timeout, and the report's connection to it is closed", async () => {
    // A server on loopback that accepts connections and never answers.
    const sockets = new Set<Socket>();
    const closedByClient: Promise<void>[] = [];
    const server = http.createServer(() => undefined);
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      closedByClient.push(new Promise((resolve) => socket.on("close", () => resolve())));
    });
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

      // The server never closes a connection: only the client's cancelled request does.
      expect(closedByClient.length).toBeGreaterThan(0);
      const stillOpen = new Promise<string>((resolve) => setTimeout(() => resolve("a connection the report opened is still open"), 5000).unref());
      expect(await Promise.race([Promise.all(closedByClient).then(() => "all closed"), stillOpen])).toBe("all closed");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);
});
