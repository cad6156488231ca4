// Every request this package sends to the Kubernetes API passes one point: the kubeconfig's
// authentication hook, which the generated client and Watch both call once per HTTP request. A
// KubeConfig that notes the request there counts calls without changing them; the benchmarks use it
// to show how many requests a drain or a preview makes, however large the cluster.
import * as fs from "node:fs";
import * as k8s from "@kubernetes/client-node";

export interface ApiRequest {
  readonly method: string;
  /** Path and query, without the server (e.g. /api/v1/pods?limit=500). */
  readonly path: string;
}

export type ApiRequestObserver = (request: ApiRequest) => void;

const observers = new Set<ApiRequestObserver>();

/** Calls `observer` for every request sent from now on, in this process; returns the way to stop. */
export function observeApiRequests(observer: ApiRequestObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/**
 * KUBEADM_WORKERS_API_REQUEST_LOG=<file> appends one line per request ("GET /api/v1/nodes") to that
 * file: how a benchmark counts the requests of a provider process the Pulumi engine starts.
 */
const logFile = process.env.KUBEADM_WORKERS_API_REQUEST_LOG;
if (logFile) observers.add((request) => fs.appendFileSync(logFile, `${request.method} ${request.path}\n`));

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

class CountingKubeConfig extends k8s.KubeConfig {
  constructor(private readonly signal: AbortSignal | undefined) {
    super();
  }

  override async applySecurityAuthentication(context: k8s.RequestContext): Promise<void> {
    if (observers.size > 0) {
      const request = { method: String(context.getHttpMethod()), path: pathOf(context.getUrl()) };
      for (const observer of observers) observer(request);
    }
    await super.applySecurityAuthentication(context);
    // The same one point cancels: fetch aborts the request and closes its connection.
    if (this.signal) context.setSignal(this.signal);
  }
}

/**
 * A KubeConfig from the given text, or from the usual places (KUBECONFIG, ~/.kube/config, in-cluster).
 * With `signal`, every request its clients send is aborted (its connection closed) when it aborts.
 */
export function loadKubeConfig(kubeconfig: string | undefined, signal?: AbortSignal): k8s.KubeConfig {
  const config = new CountingKubeConfig(signal);
  if (kubeconfig) config.loadFromString(kubeconfig);
  else config.loadFromDefault();
  return config;
}
