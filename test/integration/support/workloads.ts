// Workloads for drain tests, pinned to one test's nodes by the kw-test label.
import { labClusterConfig } from "./lab";

// The lab is offline: a real kubelet pulls only from the lab registry (kwok nodes ignore the image).
const container = (cpu = "10m") => ({ name: "app", image: labClusterConfig().images.pause, resources: { requests: { cpu, memory: "16Mi" } } });
const placement = (testLabel: string) => ({
  nodeSelector: { "kw-test": testLabel },
  // Graceful deletion is instant with kwok; keep pods from lingering when a test cleans up.
  terminationGracePeriodSeconds: 1,
});

export interface DeploymentOptions {
  cpu?: string;
  emptyDir?: boolean;
  /** Nodes to run on, instead of the kw-test label. */
  nodeSelector?: Record<string, string>;
  /** At most one replica more on any node than on another (a hard topology spread). */
  spread?: boolean;
  /** e.g. system-cluster-critical. */
  priorityClassName?: string;
}

export function deployment(namespace: string, name: string, testLabel: string, replicas: number, options: DeploymentOptions = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...placement(testLabel),
          ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
          ...(options.priorityClassName ? { priorityClassName: options.priorityClassName } : {}),
          ...(options.spread
            ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: name } } }] }
            : {}),
          containers: [container(options.cpu)],
          ...(options.emptyDir ? { volumes: [{ name: "scratch", emptyDir: {} }] } : {}),
        },
      },
    },
  };
}

export function statefulSet(namespace: string, name: string, testLabel: string, replicas: number) {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, namespace },
    spec: {
      replicas,
      serviceName: name,
      podManagementPolicy: "Parallel",
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { ...placement(testLabel), containers: [container()] } },
    },
  };
}

export function daemonSet(namespace: string, name: string, testLabel: string) {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { ...placement(testLabel), tolerations: [{ operator: "Exists" }], containers: [container()] },
      },
    },
  };
}

export function nakedPod(namespace: string, name: string, node: string) {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace }, spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [container()] } };
}

export function job(namespace: string, name: string, testLabel: string) {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace },
    spec: { template: { spec: { ...placement(testLabel), restartPolicy: "Never", containers: [container()] } } },
  };
}

export function pdb(namespace: string, name: string, app: string, budget: { maxUnavailable?: number; minAvailable?: number }) {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name, namespace },
    spec: { ...budget, selector: { matchLabels: { app } } },
  };
}

export function namespace(name: string) {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name } };
}
