// PodDisruptionBudget reads: which PDBs cover a pod, how many disruptions one allows, and a watch that
// wakes a retried eviction the moment a PDB allows one again.
import * as k8s from "@kubernetes/client-node";
import type { LabelSelector } from "../drain/label-selector";
import type { PdbBudget } from "../drain/eviction-turns";
import type { PdbStatus } from "../drain/progress";
import type { ApiContext } from "./api-calls";

export interface PdbApi {
  readPdb(namespace: string, name: string): Promise<PdbStatus | undefined>;
  /**
   * Resolves with the PDB's status as soon as it allows a disruption, or with undefined after
   * maxWaitMs, whichever is first.
   */
  waitForPdbToAllow(namespace: string, name: string, maxWaitMs: number): Promise<PdbStatus | undefined>;
  /** PodDisruptionBudgets of a namespace with their selectors and status (which pods each holds back). */
  listPdbs(namespace: string): Promise<PdbBudget[]>;
}

function statusOf(namespace: string, pdb: k8s.V1PodDisruptionBudget): PdbStatus {
  return {
    namespace,
    name: pdb.metadata?.name ?? "",
    disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0,
    currentHealthy: pdb.status?.currentHealthy ?? 0,
    desiredHealthy: pdb.status?.desiredHealthy ?? 0,
    expectedPods: pdb.status?.expectedPods ?? 0,
  };
}

/** Watches the one PDB until it allows a disruption; a watch that ends early falls back to the timer. */
function waitForPdbToAllow(watcher: k8s.Watch, namespace: string, name: string, maxWaitMs: number): Promise<PdbStatus | undefined> {
  return new Promise<PdbStatus | undefined>((resolve) => {
    let abort: AbortController | undefined;
    let settled = false;
    const finish = (status?: PdbStatus): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      abort?.abort();
      resolve(status);
    };
    const timer = setTimeout(() => finish(), maxWaitMs);
    watcher
      .watch(
        `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets`,
        { fieldSelector: `metadata.name=${name}` },
        (_phase, pdb: k8s.V1PodDisruptionBudget) => {
          if ((pdb.status?.disruptionsAllowed ?? 0) > 0) finish(statusOf(namespace, pdb));
        },
        // A watch that ends early (error or server timeout) falls back to the timer.
        () => undefined,
      )
      .then(
        (controller) => {
          abort = controller;
          if (settled) controller.abort();
        },
        () => undefined,
      );
  });
}

export function pdbApi({ config, calls }: ApiContext): PdbApi {
  const policy = config.makeApiClient(k8s.PolicyV1Api);
  const watcher = new k8s.Watch(config);
  return {
    async listPdbs(namespace) {
      const list = await calls.call(`listing PodDisruptionBudgets of namespace ${namespace}`, () => policy.listNamespacedPodDisruptionBudget({ namespace }));
      return list.items.map((pdb) => ({ ...statusOf(namespace, pdb), selector: pdb.spec?.selector as LabelSelector | undefined }));
    },
    async readPdb(namespace, name) {
      const pdb = await calls.unlessAbsent(`reading PodDisruptionBudget ${namespace}/${name}`, () => policy.readNamespacedPodDisruptionBudget({ name, namespace }));
      return pdb && { ...statusOf(namespace, pdb), name };
    },
    waitForPdbToAllow: (namespace, name, maxWaitMs) => waitForPdbToAllow(watcher, namespace, name, maxWaitMs),
  };
}
