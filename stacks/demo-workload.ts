// The demo's workload (stack config `demoWorkload: { image, replicas }`, which `npm run demo` sets): a
// Deployment behind a `maxUnavailable: 1` PodDisruptionBudget, as resources of this same program made
// with @pulumi/kubernetes and created after the WorkerNodes, so a scale-in of the program drains it
// under its own budget and `pulumi destroy` removes it before any node.
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { DemoWorkloadSettings } from "./demo-workload-config";

/**
 * The Deployment `web` and its PDB in namespace `demo`, through `stackKubernetes` (stackKubernetesProvider).
 * The namespace waits for every WorkerNode, and the rest is in the namespace (its name is an output of
 * it), so everything comes after the workers and goes before them.
 */
export function demoWorkload(settings: DemoWorkloadSettings, stackKubernetes: k8s.Provider, workers: readonly pulumi.Resource[]): k8s.apps.v1.Deployment {
  const opts = { provider: stackKubernetes };
  const ns = new k8s.core.v1.Namespace("demo", { metadata: { name: "demo" } }, { ...opts, dependsOn: [...workers] });
  const namespace = ns.metadata.name;
  const labels = { app: "web" };
  const deployment = new k8s.apps.v1.Deployment(
    "web",
    {
      metadata: { name: "web", namespace },
      spec: {
        replicas: settings.replicas ?? 6,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 10,
            // One replica per node where it can: a scale-in then always has pods to move past the PDB.
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } }],
            containers: [
              {
                name: "web",
                image: settings.image,
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/readyz", port: 8080 }, periodSeconds: 1 },
                resources: { requests: { cpu: "10m", memory: "16Mi" } },
              },
            ],
          },
        },
      },
    },
    opts,
  );
  new k8s.policy.v1.PodDisruptionBudget("web", { metadata: { name: "web", namespace }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } }, opts);
  return deployment;
}
