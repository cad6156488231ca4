import { apply, kubectl, kubectlJson, labClusterConfig, waitFor } from "../../integration/support/lab";
import { namespace, pdb } from "../../integration/support/workloads";

interface PodJson {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
}

/** How long a kw-testapp container takes after its start before its readiness endpoint answers. */
export const webAppStartupDelaySeconds = 3;
/** Every kw-testapp pod's terminationGracePeriodSeconds: room for its shutdown delay. */
export const webAppGracePeriodSeconds = 10;

/**
 * A web Deployment of the lab's kw-testapp for real kubelets (pods labelled app=<name>): Ready only
 * after a start-up delay, slow to stop (it logs SIGTERM and serves on for `shutdownDelaySeconds`),
 * spread over the nodes carrying `nodeLabel`.
 */
export function webAppDeployment(ns: string, nodeLabel: Record<string, string>, replicas = 4, shutdownDelaySeconds = 2, name = "web") {
  const container = {
    name: "app",
    image: labClusterConfig().images.testApp,
    env: [
      { name: "STARTUP_DELAY", value: `${webAppStartupDelaySeconds}s` },
      { name: "SHUTDOWN_DELAY", value: `${shutdownDelaySeconds}s` },
    ],
    // Ready within a second of the app; NotReady only after three missed probes, as with the
    // defaults a production workload keeps: one probe answered late on this busy 2-core machine (an
    // etcd restart under load) made a running pod NotReady, which the PDB observer counted as a breach.
    readinessProbe: { httpGet: { path: "/readyz", port: 8080 }, periodSeconds: 1, timeoutSeconds: 2, failureThreshold: 3 },
    resources: { requests: { cpu: "10m", memory: "16Mi" } },
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: nodeLabel,
          terminationGracePeriodSeconds: webAppGracePeriodSeconds,
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: name } } }],
          containers: [container],
        },
      },
    },
  };
}

/**
 * The web Deployment behind a PDB that allows one disruption, Ready: a drain of a node with two of
 * its pods takes several eviction rounds, long enough to hit.
 */
export async function deployWebApp(ns: string, nodeLabel: Record<string, string>, replicas = 4): Promise<void> {
  await apply(namespace(ns), webAppDeployment(ns, nodeLabel, replicas), pdb(ns, "web-pdb", "web", { maxUnavailable: 1 }));
  await webReady(ns, replicas);
}

export async function webReady(ns: string, replicas = 4): Promise<void> {
  await waitFor(
    `deployment ${ns}/web: ${replicas} Ready`,
    async () => {
      const d = await kubectlJson<{ status: { readyReplicas?: number; updatedReplicas?: number; replicas?: number } }>(["get", "deployment", "web", "-n", ns]);
      return d.status.readyReplicas === replicas && d.status.updatedReplicas === replicas && d.status.replicas === replicas ? true : undefined;
    },
    120_000,
  );
}

async function webPods(ns: string): Promise<PodJson[]> {
  return (await kubectlJson<{ items: PodJson[] }>(["get", "pods", "-n", ns, "-l", "app=web"])).items;
}

/** Live (not terminating) web pods on each node. */
export async function webPodsByNode(ns: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const p of await webPods(ns)) {
    // a pod the kubelet itself evicted (phase Failed) or one that ended is not running anywhere
    const live = !p.metadata.deletionTimestamp && p.status.phase !== "Failed" && p.status.phase !== "Succeeded";
    if (live && p.spec.nodeName) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
  }
  return counts;
}

/** Restarts the Deployment until at least `atLeast` of its pods run on `node` (the scheduler spreads new pods). */
export async function spreadWebOnto(ns: string, node: string, atLeast = 2, replicas = 4): Promise<void> {
  for (let attempt = 1; ((await webPodsByNode(ns)).get(node) ?? 0) < atLeast; attempt++) {
    if (attempt > 2) throw new Error(`deployment ${ns}/web: fewer than ${atLeast} pods on ${node} after 2 restarts: ${JSON.stringify([...(await webPodsByNode(ns))])}`);
    await kubectl(["rollout", "restart", "deployment/web", "-n", ns]);
    await kubectl(["rollout", "status", "deployment/web", "-n", ns, "--timeout=90s"]);
    await webReady(ns, replicas);
  }
}

/** Waits until the drain has evicted a web pod from `node` (it is terminating there): the drain is under way. */
export async function firstEvictionFrom(ns: string, node: string, timeoutMs = 240_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const evicted = (await webPods(ns)).find((p) => p.spec.nodeName === node && p.metadata.deletionTimestamp);
    if (evicted) return evicted.metadata.name;
    if (Date.now() > deadline) throw new Error(`no web pod was evicted from ${node} within ${timeoutMs / 1000}s: the drain did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
