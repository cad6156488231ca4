// The cluster as the provider needs it: one interface made of one narrow API per resource (each in
// its own module, the only kind of module that imports @kubernetes/client-node), so nothing outside
// providers/cluster/ depends on the generated client's types.
import { readFileSync } from "node:fs";
import type * as k8s from "@kubernetes/client-node";
import { accessReviewApi, type AccessReviewApi } from "./access-review";
import { apiCalls, KubernetesApiError, loadKubeConfig, type ApiContext } from "./api-calls";
import { evictionApi, type EvictionApi } from "./eviction";
import { kubeadmConfigApi, type KubeadmConfigApi } from "./kubeadm-config";
import { leaseApi, type LeaseApi } from "./leases";
import { nodeApi, type NodeApi } from "./nodes";
import { pdbApi, type PdbApi } from "./pdbs";
import { podApi, type PodApi } from "./pods";
import { secretApi, type SecretApi } from "./secrets";
import { volumeAttachmentApi, type VolumeAttachmentApi } from "./volume-attachments";
import { workloadOwnerApi, type WorkloadOwnerApi } from "./workload-owners";

export { KubernetesApiError } from "./api-calls";
export type { EvictionOutcome } from "./eviction";
export type { LeaseView } from "./leases";
export type { NodeCondition, NodeView } from "./node-view";
export type { NodePatch } from "./nodes";
export type { SecretSpec } from "./secrets";

export interface ClusterApi
  extends KubeadmConfigApi,
    SecretApi,
    NodeApi,
    PodApi,
    WorkloadOwnerApi,
    EvictionApi,
    PdbApi,
    VolumeAttachmentApi,
    AccessReviewApi,
    LeaseApi {
  /** API server URL from the kubeconfig, e.g. https://10.0.0.10:6443. */
  readonly server: string;
  /** PEM of the CA the kubeconfig trusts, when it embeds or names one. */
  readonly caPem: string | undefined;
  /** False when the kubeconfig sets insecure-skip-tls-verify: then nothing read from the server is proven to come from it. */
  readonly verifiesServer: boolean;
}

/** The CA embedded (certificate-authority-data) or named by path (certificate-authority, in-cluster config). */
function caFromKubeConfig(cluster: k8s.Cluster): string | undefined {
  if (cluster.caData) return Buffer.from(cluster.caData, "base64").toString("utf8");
  if (cluster.caFile) {
    try {
      return readFileSync(cluster.caFile, "utf8");
    } catch (error) {
      throw new KubernetesApiError(`the kubeconfig's certificate-authority ${cluster.caFile} cannot be read (${(error as Error).message}): fix the path or embed certificate-authority-data`, undefined);
    }
  }
  return undefined;
}

/**
 * Connects with the given kubeconfig text, or with the usual loading (KUBECONFIG,
 * ~/.kube/config, in-cluster) when none is given.
 */
export function connectCluster(kubeconfig?: string): ClusterApi {
  const config = loadKubeConfig(kubeconfig);
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    throw new KubernetesApiError(
      `the kubeconfig has no current cluster (current-context "${config.getCurrentContext()}"): set cluster.kubeconfig or KUBECONFIG`,
      undefined,
    );
  }
  const context: ApiContext = { config, calls: apiCalls(cluster.server) };
  return {
    server: cluster.server,
    caPem: caFromKubeConfig(cluster),
    verifiesServer: cluster.skipTLSVerify !== true,
    ...kubeadmConfigApi(context),
    ...secretApi(context),
    ...nodeApi(context),
    ...podApi(context),
    ...workloadOwnerApi(context),
    ...evictionApi(context),
    ...pdbApi(context),
    ...volumeAttachmentApi(context),
    ...accessReviewApi(context),
    ...leaseApi(context),
  };
}
