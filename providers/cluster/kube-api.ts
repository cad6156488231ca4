// The one module that imports @kubernetes/client-node. It maps API objects onto the narrow domain
// types below, so nothing else depends on the generated client's types.
import * as k8s from "@kubernetes/client-node";
import type { LabelSelector } from "../drain/label-selector";
import type { PdbStatus } from "../drain/progress";
import type { PendingPodView } from "../drain/replacements";
import type { ClusterNode, Container, DrainPod, ObjectRef, PodPhase, Toleration } from "../drain/types";
import type { Taint, TaintEffect } from "../worker-node/inputs";
import { loadKubeConfig } from "./request-count";

export interface NodeView {
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
  readonly ready: boolean;
  /** Reason and message of the Ready condition, for messages. */
  readonly readyDetail: string;
  readonly kubeletVersion: string;
  readonly containerRuntimeVersion: string;
  readonly machineId: string;
  /** Every condition the kubelet reports (Ready, MemoryPressure…), for messages. */
  readonly conditions?: readonly NodeCondition[];
}

export interface NodeCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

export interface NodePatch {
  /** Labels to set; a null value removes the label. */
  readonly labels?: Readonly<Record<string, string | null>>;
  readonly annotations?: Readonly<Record<string, string | null>>;
  /** The whole taint list (taints are a list, so they are replaced, not merged). */
  readonly taints?: readonly Taint[];
  readonly unschedulable?: boolean;
}

export interface SecretSpec {
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  readonly stringData: Readonly<Record<string, string>>;
}

/** The cluster as the provider needs it. */
export interface ClusterApi {
  /** API server URL from the kubeconfig, e.g. https://10.0.0.10:6443. */
  readonly server: string;
  /** PEM of the CA the kubeconfig trusts, when it embeds or names one. */
  readonly caPem: string | undefined;
  serverVersion(): Promise<string>;
  /** CA certificates published in kube-public/cluster-info (what `kubeadm join` discovers). */
  clusterInfoCaPem(): Promise<string>;
  /** controlPlaneEndpoint of kubeadm's ClusterConfiguration, when set. */
  kubeadmControlPlaneEndpoint(): Promise<string | undefined>;
  /** The data of a ConfigMap (kubeadm's kubelet-config, kubeadm-config); undefined when it does not exist. */
  configMapData(namespace: string, name: string): Promise<Readonly<Record<string, string>> | undefined>;
  createSecret(secret: SecretSpec): Promise<void>;
  /** Deletes a Secret; an absent one is not an error. */
  deleteSecret(namespace: string, name: string): Promise<void>;
  getNode(name: string): Promise<NodeView | undefined>;
  patchNode(name: string, patch: NodePatch): Promise<NodeView>;
  /** Deletes a Node; an absent one is not an error. */
  deleteNode(name: string): Promise<void>;
  /** Every pod bound to the node, in any phase. */
  listPodsOnNode(name: string): Promise<DrainPod[]>;
  daemonSetExists(namespace: string, name: string): Promise<boolean>;
  terminatingNamespaces(): Promise<Set<string>>;
  /** Schedulable candidates for evicted pods: every Node but the excluded ones, each with its pods. */
  listNodesWithPods(exclude: ReadonlySet<string>): Promise<ClusterNode[]>;
  /** POST .../pods/<name>/eviction: the API server checks the PodDisruptionBudgets. */
  evictPod(pod: ObjectRef, gracePeriodSeconds: number | undefined): Promise<EvictionOutcome>;
  /** Plain DELETE, which ignores PodDisruptionBudgets: only when the user asked (drain.disableEviction). */
  deletePod(pod: ObjectRef, gracePeriodSeconds: number | undefined): Promise<EvictionOutcome>;
  readPdb(namespace: string, name: string): Promise<PdbStatus | undefined>;
  /** Resolves when the PDB allows a disruption, or after maxWaitMs, whichever is first. */
  waitForPdbToAllow(namespace: string, name: string, maxWaitMs: number): Promise<void>;
  /** Ready and desired replicas of a ReplicaSet or StatefulSet; undefined for other kinds or when gone. */
  ownerReadiness(namespace: string, kind: string, name: string): Promise<{ ready: number; desired: number } | undefined>;
  /** PodDisruptionBudgets of a namespace with their selectors (to name those covering one pod). */
  listPdbs(namespace: string): Promise<{ readonly name: string; readonly selector: LabelSelector | undefined }[]>;
  /** Pods of the namespace in phase Pending, with their PodScheduled condition. */
  listPendingPods(namespace: string): Promise<PendingPodView[]>;
  /** `name (volume <pv>)` of every VolumeAttachment whose spec.nodeName is the node. */
  volumeAttachmentsOn(node: string): Promise<string[]>;
  /** A SelfSubjectAccessReview: may the kubeconfig's identity do this? */
  canI(access: { verb: string; group: string; resource: string; subresource?: string; namespace?: string }): Promise<boolean>;
  /** Coordination Leases, for the drain budget. */
  readLease(namespace: string, name: string): Promise<LeaseView | undefined>;
  /** Creates the Lease, or replaces it at the given resourceVersion; false when someone else won the race (409). */
  writeLease(lease: LeaseView, resourceVersion?: string): Promise<boolean>;
  deleteLease(namespace: string, name: string): Promise<void>;
}

export type EvictionOutcome =
  | { readonly kind: "evicted" }
  /** 404: nothing left to evict. */
  | { readonly kind: "gone" }
  /** 429: a PodDisruptionBudget refused; `pdb` is its name when the API said which. */
  | { readonly kind: "pdb"; readonly pdb: string | undefined; readonly message: string }
  | {
      readonly kind: "error";
      readonly status: number | undefined;
      /** Status.reason and Status.details.causes[].reason (e.g. NamespaceTerminating). */
      readonly reason?: string;
      readonly causes?: readonly string[];
      readonly message: string;
    };

export interface LeaseView {
  readonly namespace: string;
  readonly name: string;
  readonly holder: string;
  readonly durationSeconds: number;
  readonly renewTime: Date;
  readonly resourceVersion?: string;
}

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

function statusOf(error: unknown): number | undefined {
  return error instanceof k8s.ApiException ? error.code : undefined;
}

function describe(error: unknown): string {
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
function statusBody(error: unknown): { reason?: string; message?: string; details?: { causes?: { reason?: string }[] } } | undefined {
  if (!(error instanceof k8s.ApiException)) return undefined;
  const raw: unknown = error.body;
  try {
    const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { kind?: string };
    return parsed && typeof parsed === "object" ? (parsed as ReturnType<typeof statusBody>) : undefined;
  } catch {
    return undefined;
  }
}

function toTaint(t: k8s.V1Taint): Taint {
  return { key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect as TaintEffect };
}

function toNodeView(node: k8s.V1Node): NodeView {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  return {
    name: node.metadata?.name ?? "",
    uid: node.metadata?.uid ?? "",
    labels: node.metadata?.labels ?? {},
    annotations: node.metadata?.annotations ?? {},
    taints: (node.spec?.taints ?? []).map(toTaint),
    unschedulable: node.spec?.unschedulable === true,
    ready: ready?.status === "True",
    readyDetail: ready ? `${ready.status}${ready.reason ? ` (${ready.reason}${ready.message ? `: ${ready.message}` : ""})` : ""}` : "no Ready condition yet",
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? "",
    containerRuntimeVersion: node.status?.nodeInfo?.containerRuntimeVersion ?? "",
    machineId: node.status?.nodeInfo?.machineID ?? "",
    conditions: (node.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
  };
}

function toContainer(c: k8s.V1Container): Container {
  return {
    name: c.name,
    ...(c.resources?.requests ? { requests: Object.fromEntries(Object.entries(c.resources.requests).map(([k, v]) => [k, String(v)])) } : {}),
    ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
  };
}

function quantities(list: Record<string, unknown> | undefined): Record<string, string> | undefined {
  return list ? Object.fromEntries(Object.entries(list).map(([k, v]) => [k, String(v)])) : undefined;
}

export function toDrainPod(pod: k8s.V1Pod): DrainPod {
  const spec = pod.spec;
  const affinity = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const overhead = quantities(spec?.overhead);
  return {
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}),
    ...(pod.metadata?.deletionTimestamp ? { deletionTimestamp: new Date(pod.metadata.deletionTimestamp) } : {}),
    annotations: pod.metadata?.annotations ?? {},
    labels: pod.metadata?.labels ?? {},
    ownerReferences: (pod.metadata?.ownerReferences ?? []).map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name, ...(o.controller ? { controller: true } : {}) })),
    ...(spec?.priorityClassName ? { priorityClassName: spec.priorityClassName } : {}),
    volumes: (spec?.volumes ?? []).map((v) => ({ name: v.name, emptyDir: v.emptyDir !== undefined })),
    phase: (pod.status?.phase ?? "Unknown") as PodPhase,
    containers: (spec?.containers ?? []).map(toContainer),
    initContainers: (spec?.initContainers ?? []).map(toContainer),
    ...(overhead ? { overhead } : {}),
    nodeSelector: spec?.nodeSelector ?? {},
    tolerations: (spec?.tolerations ?? []).map((t) => t as Toleration),
    ...(affinity ? { requiredNodeAffinity: affinity as DrainPod["requiredNodeAffinity"] } : {}),
  };
}

function caFromKubeConfig(config: k8s.KubeConfig): string | undefined {
  const cluster = config.getCurrentCluster();
  if (cluster?.caData) return Buffer.from(cluster.caData, "base64").toString("utf8");
  return undefined;
}

class Cluster implements ClusterApi {
  private readonly core: k8s.CoreV1Api;
  private readonly apps: k8s.AppsV1Api;
  private readonly policy: k8s.PolicyV1Api;
  private readonly coordination: k8s.CoordinationV1Api;
  private readonly watcher: k8s.Watch;
  private readonly version: k8s.VersionApi;
  private readonly storage: k8s.StorageV1Api;
  private readonly authorization: k8s.AuthorizationV1Api;

  constructor(
    config: k8s.KubeConfig,
    readonly server: string,
    readonly caPem: string | undefined,
  ) {
    this.core = config.makeApiClient(k8s.CoreV1Api);
    this.apps = config.makeApiClient(k8s.AppsV1Api);
    this.policy = config.makeApiClient(k8s.PolicyV1Api);
    this.coordination = config.makeApiClient(k8s.CoordinationV1Api);
    this.watcher = new k8s.Watch(config);
    this.version = config.makeApiClient(k8s.VersionApi);
    this.storage = config.makeApiClient(k8s.StorageV1Api);
    this.authorization = config.makeApiClient(k8s.AuthorizationV1Api);
  }

  async listPdbs(namespace: string): Promise<{ name: string; selector: LabelSelector | undefined }[]> {
    const list = await this.call(`listing PodDisruptionBudgets of namespace ${namespace}`, () => this.policy.listNamespacedPodDisruptionBudget({ namespace }));
    return list.items.map((pdb) => ({ name: pdb.metadata?.name ?? "", selector: pdb.spec?.selector as LabelSelector | undefined }));
  }

  async listPendingPods(namespace: string): Promise<PendingPodView[]> {
    const list = await this.call(`listing Pending pods of namespace ${namespace}`, () =>
      this.core.listNamespacedPod({ namespace, fieldSelector: "status.phase=Pending" }),
    );
    return list.items.map((pod) => {
      const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
      return {
        namespace,
        name: pod.metadata?.name ?? "",
        ownerReferences: (pod.metadata?.ownerReferences ?? []).map((o) => ({ kind: o.kind, name: o.name, ...(o.controller ? { controller: true } : {}) })),
        ...(scheduled
          ? { scheduled: { status: scheduled.status, ...(scheduled.reason ? { reason: scheduled.reason } : {}), ...(scheduled.message ? { message: scheduled.message } : {}) } }
          : {}),
      };
    });
  }

  async volumeAttachmentsOn(node: string): Promise<string[]> {
    const list = await this.call("listing VolumeAttachments", () => this.storage.listVolumeAttachment({}));
    return list.items
      .filter((attachment) => attachment.spec?.nodeName === node)
      .map((attachment) => `${attachment.metadata?.name ?? ""} (volume ${attachment.spec?.source?.persistentVolumeName ?? "inline"})`);
  }

  async canI(access: { verb: string; group: string; resource: string; subresource?: string; namespace?: string }): Promise<boolean> {
    const review = await this.call(`asking whether it may ${access.verb} ${access.resource}`, () =>
      this.authorization.createSelfSubjectAccessReview({
        body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { ...access } } },
      }),
    );
    return review.status?.allowed === true;
  }

  async listPodsOnNode(name: string): Promise<DrainPod[]> {
    const list = await this.call(`listing the pods of Node ${name}`, () =>
      this.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` }),
    );
    return list.items.map(toDrainPod);
  }

  async terminatingNamespaces(): Promise<Set<string>> {
    const list = await this.call("listing namespaces", () => this.core.listNamespace({}));
    return new Set(list.items.filter((n) => n.metadata?.deletionTimestamp).map((n) => n.metadata?.name ?? ""));
  }

  async listNodesWithPods(exclude: ReadonlySet<string>): Promise<ClusterNode[]> {
    const [nodes, pods] = await Promise.all([
      this.call("listing Nodes", () => this.core.listNode({})),
      this.call("listing running pods", () =>
        this.core.listPodForAllNamespaces({ fieldSelector: "status.phase!=Succeeded,status.phase!=Failed" }),
      ),
    ]);
    const byNode = new Map<string, DrainPod[]>();
    for (const pod of pods.items) {
      const nodeName = pod.spec?.nodeName;
      if (nodeName) byNode.set(nodeName, [...(byNode.get(nodeName) ?? []), toDrainPod(pod)]);
    }
    return nodes.items
      .filter((n) => !exclude.has(n.metadata?.name ?? ""))
      .map((n) => {
        const view = toNodeView(n);
        return {
          name: view.name,
          unschedulable: view.unschedulable,
          annotations: view.annotations,
          ready: view.ready,
          labels: view.labels,
          taints: view.taints,
          allocatable: quantities(n.status?.allocatable) ?? {},
          pods: byNode.get(view.name) ?? [],
        };
      });
  }

  private async removePod(action: () => Promise<unknown>): Promise<EvictionOutcome> {
    try {
      await action();
      return { kind: "evicted" };
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return { kind: "gone" };
      if (status === 429) {
        const body = JSON.stringify((error as k8s.ApiException<unknown>).body ?? "");
        const pdb = /disruption budget ([a-z0-9]([-a-z0-9.]*[a-z0-9])?)/i.exec(body)?.[1];
        return { kind: "pdb", pdb, message: describe(error) };
      }
      const body = statusBody(error);
      return {
        kind: "error",
        status,
        ...(body?.reason ? { reason: body.reason } : {}),
        causes: (body?.details?.causes ?? []).flatMap((c) => (c.reason ? [c.reason] : [])),
        message: body?.message ?? describe(error),
      };
    }
  }

  evictPod(pod: ObjectRef, gracePeriodSeconds: number | undefined): Promise<EvictionOutcome> {
    return this.removePod(() =>
      this.core.createNamespacedPodEviction({
        name: pod.name,
        namespace: pod.namespace,
        body: {
          apiVersion: "policy/v1",
          kind: "Eviction",
          metadata: { name: pod.name, namespace: pod.namespace },
          ...(gracePeriodSeconds !== undefined ? { deleteOptions: { gracePeriodSeconds } } : {}),
        },
      }),
    );
  }

  deletePod(pod: ObjectRef, gracePeriodSeconds: number | undefined): Promise<EvictionOutcome> {
    return this.removePod(() =>
      this.core.deleteNamespacedPod({ name: pod.name, namespace: pod.namespace, ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}) }),
    );
  }

  async readPdb(namespace: string, name: string): Promise<PdbStatus | undefined> {
    const pdb = await this.unlessAbsent(`reading PodDisruptionBudget ${namespace}/${name}`, () => this.policy.readNamespacedPodDisruptionBudget({ name, namespace }), undefined);
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
  }

  async waitForPdbToAllow(namespace: string, name: string, maxWaitMs: number): Promise<void> {
    await new Promise<void>((resolve) => {
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
      this.watcher
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

  async ownerReadiness(namespace: string, kind: string, name: string): Promise<{ ready: number; desired: number } | undefined> {
    const read =
      kind === "ReplicaSet" ? () => this.apps.readNamespacedReplicaSet({ name, namespace })
      : kind === "StatefulSet" ? () => this.apps.readNamespacedStatefulSet({ name, namespace })
      : undefined;
    const owner = read && (await this.unlessAbsent(`reading ${kind} ${namespace}/${name}`, read, undefined));
    return owner && { ready: owner.status?.readyReplicas ?? 0, desired: owner.spec?.replicas ?? 1 };
  }

  async readLease(namespace: string, name: string): Promise<LeaseView | undefined> {
    const lease = await this.unlessAbsent(`reading Lease ${namespace}/${name}`, () => this.coordination.readNamespacedLease({ name, namespace }), undefined);
    return (
      lease && {
        namespace,
        name,
        holder: lease.spec?.holderIdentity ?? "",
        durationSeconds: lease.spec?.leaseDurationSeconds ?? 0,
        renewTime: lease.spec?.renewTime ? new Date(lease.spec.renewTime) : new Date(0),
        ...(lease.metadata?.resourceVersion ? { resourceVersion: lease.metadata.resourceVersion } : {}),
      }
    );
  }

  async writeLease(lease: LeaseView, resourceVersion?: string): Promise<boolean> {
    const body: k8s.V1Lease = {
      metadata: { name: lease.name, namespace: lease.namespace, ...(resourceVersion ? { resourceVersion } : {}) },
      spec: {
        holderIdentity: lease.holder,
        leaseDurationSeconds: lease.durationSeconds,
        renewTime: new k8s.V1MicroTime(lease.renewTime.getTime()),
      },
    };
    try {
      if (resourceVersion) await this.coordination.replaceNamespacedLease({ name: lease.name, namespace: lease.namespace, body });
      else await this.coordination.createNamespacedLease({ namespace: lease.namespace, body });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw this.failure(`writing Lease ${lease.namespace}/${lease.name}`, error);
    }
  }

  async deleteLease(namespace: string, name: string): Promise<void> {
    await this.unlessAbsent(`deleting Lease ${namespace}/${name}`, () => this.coordination.deleteNamespacedLease({ name, namespace }), undefined);
  }

  async daemonSetExists(namespace: string, name: string): Promise<boolean> {
    const daemonSet = await this.unlessAbsent(`reading DaemonSet ${namespace}/${name}`, () => this.apps.readNamespacedDaemonSet({ name, namespace }), undefined);
    return daemonSet !== undefined;
  }

  /** The error to throw for a failed call: what was attempted, the API's answer, and a hint. */
  private failure(what: string, error: unknown): KubernetesApiError {
    const status = statusOf(error);
    const hint =
      status === 401 ? " The kubeconfig's credentials are not accepted (expired token or certificate?)."
      : status === 403 ? " The kubeconfig's user lacks the permission; it needs cluster-admin."
      : status === undefined ? ` Is the API server at ${this.server} reachable from where pulumi runs?`
      : "";
    return new KubernetesApiError(`Kubernetes API ${this.server}: ${what} failed: ${describe(error)}.${hint}`, status, { cause: error });
  }

  private async call<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw this.failure(what, error);
    }
  }

  /** Like call, but an object that does not exist (404) yields `absent` instead of an error. */
  private async unlessAbsent<T, A>(what: string, action: () => Promise<T>, absent: A): Promise<T | A> {
    try {
      return await action();
    } catch (error) {
      if (statusOf(error) === 404) return absent;
      throw this.failure(what, error);
    }
  }

  async serverVersion(): Promise<string> {
    const info = await this.call("reading the server version", () => this.version.getCode());
    return info.gitVersion;
  }

  async clusterInfoCaPem(): Promise<string> {
    const configMap = await this.call("reading ConfigMap kube-public/cluster-info", () =>
      this.core.readNamespacedConfigMap({ name: "cluster-info", namespace: "kube-public" }),
    );
    const text = configMap.data?.kubeconfig;
    if (!text) throw new KubernetesApiError(`Kubernetes API ${this.server}: ConfigMap kube-public/cluster-info has no kubeconfig: is this a kubeadm cluster?`, undefined);
    // kubeadm names the one cluster of this kubeconfig "", which KubeConfig.loadFromString refuses;
    // the field is all that is needed.
    const ca = /certificate-authority-data:\s*"?([A-Za-z0-9+/=]+)"?/.exec(text)?.[1];
    if (!ca) throw new KubernetesApiError(`Kubernetes API ${this.server}: kube-public/cluster-info holds no certificate-authority-data`, undefined);
    return Buffer.from(ca, "base64").toString("utf8");
  }

  async kubeadmControlPlaneEndpoint(): Promise<string | undefined> {
    const configMap = await this.call("reading ConfigMap kube-system/kubeadm-config", () =>
      this.core.readNamespacedConfigMap({ name: "kubeadm-config", namespace: "kube-system" }),
    );
    const match = /^controlPlaneEndpoint:\s*"?([^"\s]+)"?\s*$/m.exec(configMap.data?.ClusterConfiguration ?? "");
    return match?.[1];
  }

  async configMapData(namespace: string, name: string): Promise<Readonly<Record<string, string>> | undefined> {
    const configMap = await this.unlessAbsent(`reading ConfigMap ${namespace}/${name}`, () => this.core.readNamespacedConfigMap({ name, namespace }), undefined);
    return configMap ? (configMap.data ?? {}) : undefined;
  }

  async createSecret(secret: SecretSpec): Promise<void> {
    await this.call(`creating Secret ${secret.namespace}/${secret.name}`, () =>
      this.core.createNamespacedSecret({
        namespace: secret.namespace,
        body: { metadata: { name: secret.name, namespace: secret.namespace }, type: secret.type, stringData: { ...secret.stringData } },
      }),
    );
  }

  async deleteSecret(namespace: string, name: string): Promise<void> {
    await this.unlessAbsent(`deleting Secret ${namespace}/${name}`, () => this.core.deleteNamespacedSecret({ name, namespace }), undefined);
  }

  async getNode(name: string): Promise<NodeView | undefined> {
    const node = await this.unlessAbsent(`reading Node ${name}`, () => this.core.readNode({ name }), undefined);
    return node && toNodeView(node);
  }

  async patchNode(name: string, patch: NodePatch): Promise<NodeView> {
    const body: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } = {};
    if (patch.labels || patch.annotations) {
      body.metadata = { ...(patch.labels ? { labels: patch.labels } : {}), ...(patch.annotations ? { annotations: patch.annotations } : {}) };
    }
    if (patch.taints || patch.unschedulable !== undefined) {
      body.spec = {
        ...(patch.taints ? { taints: patch.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) } : {}),
        ...(patch.unschedulable !== undefined ? { unschedulable: patch.unschedulable } : {}),
      };
    }
    const node = await this.call(`patching Node ${name}`, () =>
      this.core.patchNode({ name, body }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch)),
    );
    return toNodeView(node);
  }

  async deleteNode(name: string): Promise<void> {
    await this.unlessAbsent(`deleting Node ${name}`, () => this.core.deleteNode({ name }), undefined);
  }
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
  return new Cluster(config, cluster.server, caFromKubeConfig(config));
}
