import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface LoopbackApi {
  /** A kubeconfig pointing at the server. */
  readonly kubeconfig: string;
  close(): Promise<void>;
}

/** A loopback HTTP server answering like the API server with `handler`, and a kubeconfig for it. */
export async function startLoopbackApi(handler: http.RequestListener): Promise<LoopbackApi> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    // client-node refuses plain HTTP unless TLS checks are off; loopback only.
    clusters: [{ name: "c", cluster: { server: `http://127.0.0.1:${port}`, "insecure-skip-tls-verify": true } }],
    users: [{ name: "u", user: {} }],
    contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
    "current-context": "x",
  });
  // Connections a client left open (to a handler that never answers) would hold close() forever.
  const close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return { kubeconfig, close };
}
