// A bound on reads a preview makes: a cluster that does not answer must not hold it, neither by the
// wait nor by the request left open. A request to a server that never answers keeps the process
// alive, and the Node.js runtime ends a Pulumi program (and so the preview) only once nothing is left
// pending: so the requests are cancelled, not only given up on.
import * as k8s from "@kubernetes/client-node";
import { loadKubeConfig } from "./request-count";

export interface BoundedReads {
  readonly server: string;
  readonly config: k8s.KubeConfig;
  readonly core: k8s.CoreV1Api;
  /** `reading` (made with the clients above), or an error naming the server once the time is up. The bound ends with the first `within`: one per read. */
  readonly within: <T>(reading: Promise<T>) => Promise<T>;
}

/**
 * Clients for `kubeconfig` whose every request is aborted (its connection closed) `timeoutMs` after
 * this call; `within` turns that into an error naming the server.
 */
export function boundedReads(kubeconfig: string | undefined, timeoutMs: number): BoundedReads {
  const controller = new AbortController();
  const config = loadKubeConfig(kubeconfig, controller.signal);
  const server = config.getCurrentCluster()?.server ?? "(no current cluster)";
  const timer = setTimeout(() => controller.abort(new Error(`no answer from ${server} within ${timeoutMs / 1000}s`)), timeoutMs);
  // A request still open keeps the process alive by itself; the timer alone must not.
  timer.unref();
  // Whatever a client makes of the abort (its own error type, or a step that never settles), the
  // timeout is what the caller sees.
  const timedOut = new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(controller.signal.reason as Error), { once: true }));
  timedOut.catch(() => undefined);
  return {
    server,
    config,
    core: config.makeApiClient(k8s.CoreV1Api),
    within: async <T>(reading: Promise<T>): Promise<T> => {
      reading.catch(() => undefined);
      try {
        return await Promise.race([reading, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
