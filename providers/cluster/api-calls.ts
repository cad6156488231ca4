// How the provider reaches the API server: the kubeconfig it loads, and how every call fails — one
// error type that names the server, what was attempted, the API's answer and a hint, and the wrappers
// each resource module calls through.
import * as k8s from "@kubernetes/client-node";

/** The given kubeconfig text, or the usual loading (KUBECONFIG, ~/.kube/config, in-cluster) when none is given. */
export { loadKubeConfig } from "./request-count";

export class KubernetesApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "KubernetesApiError";
  }
}

export function statusOf(error: unknown): number | undefined {
  return error instanceof k8s.ApiException ? error.code : undefined;
}

export function describeApiError(error: unknown): string {
  if (error instanceof k8s.ApiException) {
    const body = typeof error.body === "string" ? error.body : JSON.stringify(error.body);
    let message = body;
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      // not JSON: keep the raw body
    }
    return `HTTP ${error.code}: ${message}`;
  }
  return (error as Error)?.message ?? String(error);
}

/** The Kubernetes Status object an ApiException carries, when it is one. */
export function statusBody(error: unknown): { reason?: string; message?: string; details?: { causes?: { reason?: string }[] } } | undefined {
  if (!(error instanceof k8s.ApiException)) return undefined;
  const raw: unknown = error.body;
  try {
    const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { kind?: string };
    return parsed && typeof parsed === "object" ? (parsed as ReturnType<typeof statusBody>) : undefined;
  } catch {
    return undefined;
  }
}

export interface ApiCalls {
  readonly server: string;
  /** The error to throw for a failed call: what was attempted, the API's answer, and a hint. */
  failure(what: string, error: unknown): KubernetesApiError;
  call<T>(what: string, action: () => Promise<T>): Promise<T>;
  /** Like call, but an object that does not exist (404) yields undefined instead of an error. */
  unlessAbsent<T>(what: string, action: () => Promise<T>): Promise<T | undefined>;
}

/** What a resource module needs to make its clients and calls. */
export interface ApiContext {
  readonly config: k8s.KubeConfig;
  readonly calls: ApiCalls;
}

/**
 * What a 403 lacks, from the RBAC authorizer's message (`User "u" cannot patch resource "nodes" in API
 * group "" at the cluster scope`): who, which verb on which resource of which group, and where.
 */
export function forbiddenHint(message: string): string {
  const refused = /User "([^"]+)" cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/.exec(message);
  if (!refused) return " The kubeconfig's identity lacks the permission for this call: grant it (README, \"Least-privilege identity\", lists what the provider needs).";
  const [, user, verb, resource, group = "", namespace] = refused;
  const where = namespace ? `namespace ${namespace}` : "cluster-wide";
  return (
    ` The kubeconfig's identity (${user}) may not ${verb} ${resource} (API group "${group}", ${where}):` +
    ` grant it that verb on that resource, e.g. in its ClusterRole (the stack's leastPrivilege option creates one with every rule the provider needs).`
  );
}

export function apiCalls(server: string): ApiCalls {
  const failure = (what: string, error: unknown): KubernetesApiError => {
    const status = statusOf(error);
    const hint =
      status === 401 ? " The kubeconfig's credentials are not accepted (expired token or certificate?)."
      : status === 403 ? forbiddenHint(describeApiError(error))
      : status === undefined ? ` Is the API server at ${server} reachable from where pulumi runs?`
      : "";
    return new KubernetesApiError(`Kubernetes API ${server}: ${what} failed: ${describeApiError(error)}.${hint}`, status, { cause: error });
  };
  return {
    server,
    failure,
    async call<T>(what: string, action: () => Promise<T>): Promise<T> {
      try {
        return await action();
      } catch (error) {
        throw failure(what, error);
      }
    },
    async unlessAbsent<T>(what: string, action: () => Promise<T>): Promise<T | undefined> {
      try {
        return await action();
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw failure(what, error);
      }
    },
  };
}
