import { KubernetesApiError, type ClusterApi } from "../cluster/kube-api";
import type { DrainEffects } from "./execute";

/** How long a drain rides through an API server that does not answer (a restart, an etcd blip). */
export const apiOutageToleranceSeconds = 60;

/**
 * An API failure that a restart of the control plane explains and a retry may cure: no answer at
 * all, 502/503/504, a 500 from etcd, or a 429 from the server's own flow control. Anything else (a
 * 403, a 404, a 422) is an answer and stands.
 */
export function isApiOutage(error: unknown): boolean {
  if (!(error instanceof KubernetesApiError)) return false;
  const { status } = error;
  return status === undefined || status === 429 || status === 502 || status === 503 || status === 504 || (status === 500 && /etcd|timeout|deadline/i.test(error.message));
}

/**
 * The cluster as a drain sees it: every call that fails with an outage is retried each second
 * for up to apiOutageToleranceSeconds, saying so once, so an API server or etcd restarted in the
 * middle of a drain costs a pause, not the drain. The pauses go through `effects.sleep`: a drain
 * slot that could not be renewed meanwhile still stops the drain at the next one.
 */
export function patientCluster(cluster: ClusterApi, effects: DrainEffects, log: (line: string) => void): ClusterApi {
  let outageSince: number | undefined;
  const patient = async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        const result = await call();
        if (outageSince !== undefined) log("the API server answers again");
        outageSince = undefined;
        return result;
      } catch (error) {
        if (!isApiOutage(error)) throw error;
        const now = effects.now().getTime();
        if (outageSince === undefined) {
          outageSince = now;
          log(`the API server does not answer (${(error as Error).message}); retrying for up to ${apiOutageToleranceSeconds}s`);
        }
        if (now - outageSince >= apiOutageToleranceSeconds * 1000) throw error;
        await effects.sleep(1000);
      }
    }
  };
  return new Proxy(cluster, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => patient(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}
