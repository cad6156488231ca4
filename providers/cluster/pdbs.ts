// PodDisruptionBudget reads: which PDBs cover a pod, how many disruptions one allows, and a watch that
// wakes a retried eviction the moment a PDB allows one again.
import * as k8s from "@kubernetes/client-node";
import type { LabelSelector } from "../drain/label-selector";
import type { PdbStatus } from "../drain/progress";
import type { ApiContext } from "./api-calls";

export interface PdbApi {
  readPdb(namespace: string, name: string): Promise<PdbStatus | undefined>;
  /** Resolves when the PDB allows a disruption, or after maxWaitMs, whichever is first. */
  waitForPdbToAllow(namespace: string, name: string, maxWaitMs: number): Promise<void>;
  /** PodDisruptionBudgets of a namespace with their selectors (to name those covering one pod). */
  listPdbs(namespace: string): Promise<{ readonly name: string; readonly selector: LabelSelector | undefined }[]>;
}

/** Watches the one PDB until it allows a disruption; a watch that ends early falls back to the timer. */
function waitForPdbToAllow(watcher: k8s.Watch, namespace: string, name: string, maxWaitMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    let abort: AbortController | undefined;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      abort?.abort();
      resolve();
    };
    const timer = setTimeout(finish, maxWaitMs);
    watcher
      .watch(
        `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets`,
        { fieldSelector: `metadata.name=${name}` },
        (_phase, pdb: k8s.V1PodDisruptionBudget) => {
          if ((pdb.status?.disruptionsAllowed ?? 0) > 0) finish();
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
      return list.items.map((pdb) => ({ name: pdb.metadata?.name ?? "", selector: pdb.spec?.selector as LabelSelector | undefined }));
    },
    async readPdb(namespace, name) {
      const pdb = await calls.unlessAbsent(`reading PodDisruptionBudget ${namespace}/${name}`, () => policy.readNamespacedPodDisruptionBudget({ name, namespace }));
      return (
        pdb && {
          namespace,
          name,
          disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0,
          currentHealthy: pdb.status?.currentHealthy ?? 0,
          desiredHealthy: pdb.status?.desiredHealthy ?? 0,
          expectedPods: pdb.status?.expectedPods ?? 0,
        }
      );
    },
    waitForPdbToAllow: (namespace, name, maxWaitMs) => waitForPdbToAllow(watcher, namespace, name, maxWaitMs),
  };
}
