import * as fs from "node:fs";
import * as path from "node:path";
import { labClusterConfig, labDir, labHosts, type LabHost } from "../../integration/support/lab";
import type { PulumiProject } from "./pulumi-project";
import { createStackProject } from "./stack-project";

export interface NodeEntry {
  name: string;
  host: string;
  hostKey?: string;
  nodeName?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  adopt?: boolean;
}

/** The stack config a lab user writes: what the lab publishes in .lab/cluster.json, and its kubeconfig. */
export async function createLabStack(stack: string, extra: Record<string, unknown> = {}): Promise<PulumiProject> {
  const project = await createStackProject(stack);
  const lab = labClusterConfig();
  await setConfig(project, {
    apiServerEndpoint: lab.apiServerEndpoint,
    packages: lab.packages,
    containerd: lab.containerd,
    kubeadm: lab.kubeadm,
    // Absent only from a cluster.json an older checkout wrote (requireKubernetesPlugin says so).
    ...(lab.kubernetesPluginVersion ? { kubernetesPluginVersion: lab.kubernetesPluginVersion } : {}),
    joinTimeout: "3m",
    nodes: [],
    ...extra,
  });
  await setLabSecrets(project);
  return project;
}

/** The lab's SSH key and admin kubeconfig as the secrets `sshPrivateKey` and `kubeconfig`: through stdin, never a command line. */
export async function setLabSecrets(project: PulumiProject): Promise<void> {
  await project.pulumiStdin(["config", "set", "--secret", "sshPrivateKey"], fs.readFileSync(path.join(labDir, "ssh", "id_ed25519"), "utf8"));
  await project.pulumiStdin(["config", "set", "--secret", "kubeconfig"], fs.readFileSync(path.join(labDir, "kubeconfig"), "utf8"));
}

/** Sets plain config values (objects included) in the format `pulumi config --json` prints. */
export async function setConfig(project: PulumiProject, values: Record<string, unknown>): Promise<void> {
  const json: Record<string, { value: string; objectValue?: unknown; secret: false }> = {};
  for (const [key, value] of Object.entries(values)) {
    json[`kubeadm-workers:${key}`] =
      typeof value === "object" && value !== null ? { value: JSON.stringify(value), objectValue: value, secret: false } : { value: String(value), secret: false };
  }
  await project.pulumiOk(["config", "set-all", "--json", JSON.stringify(json)]);
}

export function entryFor(host: LabHost, extra: Partial<NodeEntry> = {}): NodeEntry {
  return { name: host.name, host: host.address, hostKey: host.hostKey, ...extra };
}

export { labHosts };
