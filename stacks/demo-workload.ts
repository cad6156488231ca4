// The demo's workload (stack config `demoWorkload: { image, replicas }`, which `npm run demo` sets): a
// Deployment behind a `maxUnavailable: 1` PodDisruptionBudget, as resources of this same program made
// with @pulumi/kubernetes and created after the WorkerNodes, so a scale-in of the program drains it
// under its own budget and `pulumi destroy` removes it before any node.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DemoWorkloadSettings } from "./demo-workload-config";
import { kubernetesPluginVersion } from "./kubernetes-plugin";

/** The Deployment `web` and its PDB in namespace `demo`, after every WorkerNode. */
export function demoWorkload(settings: DemoWorkloadSettings, kubeconfig: pulumi.Input<string>, workers: readonly pulumi.Resource[]): k8s.apps.v1.Deployment {
  const provider = new k8s.Provider("demo-workload", { kubeconfig }, { version: kubernetesPluginVersion, dependsOn: [...workers] });
  const ns = new k8s.core.v1.Namespace("demo", { metadata: { name: "demo" } }, { provider, dependsOn: [...workers] });
  const opts = { provider, dependsOn: [ns, ...workers] };
  const labels = { app: "web" };
  const deployment = new k8s.apps.v1.Deployment(
    "web",
    {
      metadata: { name: "web", namespace: "demo" },
      spec: {
        replicas: settings.replicas ?? 6,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 10,
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
  new k8s.policy.v1.PodDisruptionBudget("web", { metadata: { name: "web", namespace: "demo" }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } }, opts);
  return deployment;
}
