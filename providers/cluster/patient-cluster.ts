import { KubernetesApiError, type ClusterApi } from "./kube-api";

/** How long one call rides through an API server that does not answer (a restart, an etcd blip). */
export const apiOutageToleranceSeconds = 60;

/** The pauses between attempts; a drain's pause also checks that its drain slot is still held. */
export interface PatienceClock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

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

const unwrapped = Symbol("the cluster without patience");

/**
 * The cluster, with every call that fails with an outage retried each second for up to
 * apiOutageToleranceSeconds, saying so once (and again when it answers), so an API server or etcd
 * restarted in the middle of a join or a drain costs a pause, not the operation. Wrapping a patient
 * cluster again replaces its clock and log instead of stacking the retries.
 */
export function patientCluster(cluster: ClusterApi, clock: PatienceClock, log: (line: string) => void): ClusterApi {
  const raw = (cluster as ClusterApi & { [unwrapped]?: ClusterApi })[unwrapped] ?? cluster;
  // One announcement for an outage however many calls meet it; each call keeps its own budget.
  let announced = false;
  const patient = async <T>(call: () => Promise<T>): Promise<T> => {
    let failingSince: number | undefined;
    for (;;) {
      try {
        const result = await call();
        if (failingSince !== undefined && announced) {
          announced = false;
          log("the API server answers again");
        }
        return result;
      } catch (error) {
        if (!isApiOutage(error)) throw error;
        const now = clock.now().getTime();
        failingSince ??= now;
        if (!announced) {
          announced = true;
          log(`the API server does not answer (${(error as Error).message}); retrying for up to ${apiOutageToleranceSeconds}s`);
        }
        if (now - failingSince >= apiOutageToleranceSeconds * 1000) throw error;
        await clock.sleep(1000);
      }
    }
  };
  return new Proxy(raw, {
    get(target, property, receiver) {
      if (property === unwrapped) return raw;
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => patient(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}
