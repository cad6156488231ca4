// A kubeconfig for a ServiceAccount token: what the least-privilege identity hands the WorkerNodes.
import { loadKubeConfig } from "./request-count";

/** The API server URL of a kubeconfig's current cluster. */
export function kubeconfigServer(kubeconfig: string): string {
  const server = loadKubeConfig(kubeconfig).getCurrentCluster()?.server;
  if (!server) throw new Error("the stack's kubeconfig has no current cluster with a server URL: set kubeconfig to one that has");
  return server;
}

export interface TokenKubeconfigArgs {
  readonly server: string;
  /** The cluster CA as the token Secret holds it: base64 of the PEM (its `ca.crt`). */
  readonly caBase64: string;
  readonly token: string;
  /** Names the cluster, user and context. */
  readonly name: string;
}

/** Kubeconfig text (JSON, which every kubeconfig reader takes as YAML) that authenticates with the token. */
export function tokenKubeconfig({ server, caBase64, token, name }: TokenKubeconfigArgs): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": caBase64 } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  });
}
