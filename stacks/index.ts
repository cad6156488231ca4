// The Pulumi program: one WorkerNode per entry of the stack's `nodes` config. Scale out by adding an
// entry, scale in by removing one; `pulumi preview --diff` shows what each change does.
import * as pulumi from "@pulumi/pulumi";
import { WorkerNode, type ContainerdInputs, type DrainInputs, type KubeadmInputs, type PackagesInputs } from "../providers";
import type { NodeEntry } from "./entries";
import type * as DemoWorkload from "./demo-workload";
import type { DemoWorkloadSettings } from "./demo-workload-config";
import type * as KubernetesPlugin from "./kubernetes-plugin";
import type * as ProviderIdentity from "./provider-identity";
import { reportOutput } from "./report-output";
import type * as ScaleInReview from "./scale-in-review";
import { stackProblems } from "./stack-problems";

// Loaded where they are used: @pulumi/kubernetes only for the optional identity and demo, and the
// Kubernetes client (≈ 0.5 s to load) only after every WorkerNode is registered, so the engine and
// the provider work on them meanwhile.
/* eslint-disable @typescript-eslint/no-require-imports */
const kubernetesPlugin = (): typeof KubernetesPlugin => require("./kubernetes-plugin") as typeof KubernetesPlugin;
const identityModule = (): typeof ProviderIdentity => require("./provider-identity") as typeof ProviderIdentity;
const demoModule = (): typeof DemoWorkload => require("./demo-workload") as typeof DemoWorkload;
const reviewModule = (): typeof ScaleInReview => require("./scale-in-review") as typeof ScaleInReview;
/* eslint-enable @typescript-eslint/no-require-imports */

const config = new pulumi.Config();
const nodes = config.requireObject<NodeEntry[]>("nodes");
const privateKey = config.requireSecret("sshPrivateKey");
const kubeconfig = config.getSecret("kubeconfig");
const sshUser = config.get("sshUser");
const apiServerEndpoint = config.get("apiServerEndpoint");
const kubernetesVersion = config.get("kubernetesVersion");
const packages = config.getObject<PackagesInputs>("packages");
const containerd = config.getObject<ContainerdInputs>("containerd");
const joinTimeout = config.get("joinTimeout");
const drain = config.getObject<DrainInputs>("drain");
const kubeadm = config.getObject<KubeadmInputs>("kubeadm");
const leastPrivilege = config.getObject<unknown>("leastPrivilege");
const demoWorkloadSettings = config.getObject<unknown>("demoWorkload");
const kubernetesPluginVersion = config.get("kubernetesPluginVersion");

// Every entry and every config key is checked before any resource exists: the engine stops at the
// first resource whose check fails, and a pull request's preview should list every problem at once.
const namespacePrefix = `${config.name}:`;
const problems = stackProblems({
  namespace: config.name,
  configKeys: Object.keys(pulumi.runtime.allConfig())
    .filter((key) => key.startsWith(namespacePrefix))
    .map((key) => key.slice(namespacePrefix.length)),
  nodes,
  sshUser,
  apiServerEndpoint,
  kubernetesVersion,
  packages,
  containerd,
  joinTimeout,
  drain,
  kubeadm,
  leastPrivilege,
  demoWorkload: demoWorkloadSettings,
  kubernetesPluginVersion,
});
if (problems.length > 0) {
  throw new Error(`the stack config has ${problems.length} problem(s); nothing was changed:\n  - ${problems.join("\n  - ")}`);
}

// With leastPrivilege, the stack's kubeconfig only creates the provider's own identity; the
// WorkerNodes work with that identity's kubeconfig (stacks/provider-identity.ts).
const stackKubernetes = kubeconfig && (leastPrivilege === true || demoWorkloadSettings !== undefined) ? kubernetesPlugin().stackKubernetesProvider(kubeconfig, kubernetesPluginVersion) : undefined;
const identity = leastPrivilege === true && kubeconfig && stackKubernetes ? identityModule().providerIdentity(pulumi.getStack(), kubeconfig, stackKubernetes) : undefined;
const workerKubeconfig = identity?.kubeconfig ?? kubeconfig;

const workers = nodes.map(
  (entry) =>
    new WorkerNode(entry.name, {
      connection: {
        host: entry.host,
        port: entry.port ?? 22,
        user: entry.user ?? sshUser ?? "root",
        privateKey,
        ...(entry.hostKey ? { hostKey: entry.hostKey } : {}),
      },
      cluster: { ...(workerKubeconfig ? { kubeconfig: workerKubeconfig } : {}), ...(apiServerEndpoint ? { apiServerEndpoint } : {}) },
      ...(entry.nodeName ? { nodeName: entry.nodeName } : {}),
      ...(kubernetesVersion ? { kubernetesVersion } : {}),
      ...(packages ? { packages } : {}),
      ...(containerd ? { containerd } : {}),
      ...(joinTimeout ? { joinTimeout } : {}),
      ...(drain ? { drain } : {}),
      ...(kubeadm ? { kubeadm } : {}),
      labels: entry.labels ?? {},
      taints: entry.taints ?? [],
      ...(entry.adopt !== undefined ? { adopt: entry.adopt } : {}),
    },
    identity ? { dependsOn: [identity.grants] } : {}),
);

// The demo's Deployment and PDB (npm run demo), after the WorkerNodes; checked above to need the kubeconfig.
if (demoWorkloadSettings !== undefined && stackKubernetes) demoModule().demoWorkload(demoWorkloadSettings as DemoWorkloadSettings, stackKubernetes, workers);

// A reviewer of a scale-in (the PR comment shows this) sees what the drain will do before anything
// is touched: the report is the stack output `scaleInReport`, in a preview only, because the preview's
// stdout carries outputs and pulumi/actions posts that stdout, while `--diff` sends every log line to
// stderr (stacks/report-output.ts). The program is an async function (see the end) so the runtime
// waits for the report.
async function scaleInReport(): Promise<string[] | undefined> {
  if (!pulumi.runtime.isDryRun()) return undefined;
  const kubeconfigText = kubeconfig ? await new Promise<string>((resolve) => pulumi.unsecret(kubeconfig).apply(resolve)) : undefined;
  const text = await reviewModule().scaleInReview({
    kubeconfig: kubeconfigText,
    entries: nodes.map((entry) => ({ resource: entry.name, host: entry.host, ...(entry.nodeName ? { nodeName: entry.nodeName } : {}) })),
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    ...(apiServerEndpoint ? { apiServerEndpoint } : {}),
    drain,
    now: new Date(),
  });
  return reportOutput(text);
}

// The stack's outputs; in a preview that drains a node (or cannot read the cluster), the report too.
export = async () => {
  const report = await scaleInReport();
  return {
    nodeNames: workers.map((w) => w.nodeName),
    hostKeyFingerprints: workers.map((w) => w.hostKeyFingerprint),
    kubeletVersions: workers.map((w) => w.kubeletVersion),
    ...(identity ? { providerIdentity: { user: identity.user, clusterRole: identity.clusterRole } } : {}),
    ...(report ? { scaleInReport: report } : {}),
  };
};
