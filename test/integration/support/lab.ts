import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { connectCluster, type ClusterApi } from "../../../providers/cluster/kube-api";
import { labDir } from "../../support/lab-dir";
import { run, runOk, type CommandResult } from "../../support/process";

export { labDir };
export const kubeconfigPath = path.join(labDir, "kubeconfig");

export interface LabHost {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly hostKey: string;
}

/** Fails with the command that fixes it when the lab is not up: no tier is skipped silently. */
export function requireLab(): void {
  if (!fs.existsSync(kubeconfigPath)) {
    throw new Error(`the lab is not up (${kubeconfigPath} is missing): run "npm run lab -- up"`);
  }
}

/**
 * What `npm run lab -- up` publishes in .lab/cluster.json (lab/registry/cluster-json.sh): the lab's
 * endpoint and repositories in the shapes of the provider's inputs, and its images in the lab registry.
 */
export interface LabClusterConfig {
  readonly apiServerEndpoint: string;
  readonly packages: { aptRepository: string; aptDistribution: string; aptKey: string };
  readonly containerd: {
    aptRepository: string;
    aptDistribution: string;
    aptKey: string;
    package: string;
    registryMirrors: Record<string, string[]>;
    sandboxImage: string;
    /** containerd configuration this machine needs (restrict_oom_score_adj), through the provider's drop-in. */
    configDropIn: string;
  };
  readonly kubeadm: { ignorePreflightErrors: string[] };
  /** The label of the Kubernetes resource plugin the toolchain builds: the lab stacks' `kubernetesPluginVersion`. */
  readonly kubernetesPluginVersion: string;
  /** host:port of the lab registry (plain HTTP, lab bridge only). */
  readonly registry: string;
  readonly images: { pause: string; testApp: string; cni: string };
}

export function labClusterConfig(): LabClusterConfig {
  const file = path.join(labDir, "cluster.json");
  if (!fs.existsSync(file)) throw new Error(`the lab is not up (${file} is missing): run "npm run lab -- up"`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as LabClusterConfig;
}

export function labHosts(): LabHost[] {
  return JSON.parse(fs.readFileSync(path.join(labDir, "hosts.json"), "utf8")) as LabHost[];
}

export function labPrivateKey(): string {
  return fs.readFileSync(path.join(labDir, "ssh", "id_ed25519"), "utf8");
}

export function labCluster(): ClusterApi {
  return connectCluster(fs.readFileSync(kubeconfigPath, "utf8"));
}

/** kubectl as a user types it, against the lab. */
export function kubectl(args: readonly string[], input?: string): Promise<CommandResult> {
  return runOk("kubectl", ["--kubeconfig", kubeconfigPath, ...args], { ...(input !== undefined ? { input } : {}) });
}

export async function kubectlJson<T>(args: readonly string[]): Promise<T> {
  return JSON.parse((await kubectl([...args, "-o", "json"])).stdout) as T;
}

/** ssh to a lab host as root with the lab key, resolving whatever the exit code. */
export function labSsh(address: string, command: string): Promise<CommandResult> {
  return run(
    "ssh",
    ["-i", path.join(labDir, "ssh", "id_ed25519"), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", `root@${address}`, command],
    { timeoutMs: 240_000 },
  );
}

/** Names of the bootstrap-token Secrets in the cluster: after a join, there must be none left. */
export async function bootstrapTokenSecrets(): Promise<string> {
  return (await kubectl(["get", "secrets", "-n", "kube-system", "--field-selector", "type=bootstrap.kubernetes.io/token", "-o", "name"])).stdout.trim();
}

/** Applies objects given as JS values (JSON is YAML). */
export async function apply(...objects: unknown[]): Promise<void> {
  await kubectl(["apply", "-f", "-"], objects.map((o) => JSON.stringify(o)).join("\n---\n"));
}

/** A short random suffix so tests never share names. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

/**
 * Leaves a lab host without kubeadm, kubelet and kubectl (reset, unheld, purged), as a test that
 * joins at a chosen release needs it: earlier tests leave the newest release installed and held.
 */
export async function removeKubePackages(address: string): Promise<void> {
  const removed = await labSsh(
    address,
    "kubeadm reset -f >/dev/null 2>&1; apt-mark unhold kubelet kubeadm kubectl >/dev/null 2>&1; " +
      "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q kubelet kubeadm kubectl </dev/null >/dev/null 2>&1; dpkg-query -W -f='${Status}\\n' kubelet kubeadm kubectl 2>/dev/null | grep -c ' installed$' || true",
  );
  if (removed.stdout.trim() !== "0") throw new Error(`kubelet, kubeadm or kubectl is still installed on ${address} after the purge: ${removed.stdout}${removed.stderr}`);
}

/** Polls until `probe` returns a value other than undefined, or fails naming what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

