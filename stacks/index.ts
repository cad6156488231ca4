// The Pulumi program: one WorkerNode per entry of the stack's `nodes` config. Scale out by adding an
// entry, scale in by removing one; `pulumi preview --diff` shows what each change does.
import * as pulumi from "@pulumi/pulumi";
import { WorkerNode, type ContainerdInputs, type DrainInputs, type KubeadmInputs, type PackagesInputs, type Taint } from "../providers";
import { unknownValue, validateWorkerNodeInputs } from "../providers/worker-node/validate";
import { scaleInReview } from "./scale-in-review";
import { findClashes } from "./clashes";

interface NodeEntry {
  /** Pulumi resource name: the stable identity of the entry. */
  name: string;
  host: string;
  port?: number;
  user?: string;
  hostKey?: string;
  nodeName?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  /** Take over a host that already is a Ready Node of the cluster (kubespray, KubeKey, by hand) as it runs. */
  adopt?: boolean;
}

const config = new pulumi.Config();
const nodes = config.requireObject<NodeEntry[]>("nodes");
nodes.forEach((entry, i) => {
  if (!entry || typeof entry.name !== "string" || typeof entry.host !== "string") {
    throw new Error(`config nodes[${i}] needs a "name" and a "host" (got ${JSON.stringify(entry)})`);
  }
});

const privateKey = config.requireSecret("sshPrivateKey");
const kubeconfig = config.getSecret("kubeconfig");
const apiServerEndpoint = config.get("apiServerEndpoint");
const kubernetesVersion = config.get("kubernetesVersion");
const packages = config.getObject<PackagesInputs>("packages");
const containerd = config.getObject<ContainerdInputs>("containerd");
const joinTimeout = config.get("joinTimeout");
const drain = config.getObject<DrainInputs>("drain");
const kubeadm = config.getObject<KubeadmInputs>("kubeadm");

// Every entry is checked before any resource exists: the engine stops at the first resource whose
// check fails, and a pull request's preview should list every problem of every entry at once.
const entryProblems = nodes.flatMap((entry, i) =>
  validateWorkerNodeInputs({
    // The key is a secret, checked by each resource's own check; here it only counts as present.
    connection: { host: entry.host, port: entry.port, user: entry.user, hostKey: entry.hostKey, privateKey: unknownValue },
    cluster: { apiServerEndpoint },
    nodeName: entry.nodeName,
    kubernetesVersion,
    labels: entry.labels,
    taints: entry.taints,
    adopt: entry.adopt,
    containerd,
    packages,
    joinTimeout,
    drain,
    kubeadm,
  }).map((f) => `nodes[${i}] (${entry.name}): ${f.property} ${f.reason}`),
);
// Clashes between entries (the same name, machine or Node name twice) come first.
const problems = [...findClashes(nodes), ...entryProblems];
if (problems.length > 0) {
  throw new Error(`the stack config has ${problems.length} problem(s); nothing was changed:\n  - ${problems.join("\n  - ")}`);
}

const workers = nodes.map(
  (entry) =>
    new WorkerNode(entry.name, {
      connection: {
        host: entry.host,
        port: entry.port ?? 22,
        user: entry.user ?? config.get("sshUser") ?? "root",
        privateKey,
        ...(entry.hostKey ? { hostKey: entry.hostKey } : {}),
      },
      cluster: { ...(kubeconfig ? { kubeconfig } : {}), ...(apiServerEndpoint ? { apiServerEndpoint } : {}) },
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
    }),
);

// A reviewer of a scale-in (the PR comment shows this) sees what the drain will do before anything
// is touched. The program is an async function (see the end) so the runtime waits for the report.
async function printScaleInReport(): Promise<void> {
  if (!pulumi.runtime.isDryRun()) return;
  const kubeconfigText = kubeconfig ? await new Promise<string>((resolve) => pulumi.unsecret(kubeconfig).apply(resolve)) : undefined;
  const text = await scaleInReview({
    kubeconfig: kubeconfigText,
    entries: nodes.map((entry) => ({ resource: entry.name, host: entry.host, ...(entry.nodeName ? { nodeName: entry.nodeName } : {}) })),
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    drain,
    now: new Date(),
  });
  if (text) await pulumi.log.info(text);
}

// The stack's outputs, once the report (preview only) is printed.
export = async () => {
  await printScaleInReport();
  return {
    nodeNames: workers.map((w) => w.nodeName),
    hostKeyFingerprints: workers.map((w) => w.hostKeyFingerprint),
    kubeletVersions: workers.map((w) => w.kubeletVersion),
  };
};
