import * as fs from "node:fs";
import * as path from "node:path";
import { labDir, labHosts, type LabHost } from "../../integration/support/lab";
import type { PulumiProject } from "./pulumi-project";
import { createStackProject } from "./stack-project";

export interface NodeEntry {
  name: string;
  host: string;
  hostKey?: string;
  nodeName?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
}

/** The stack config a lab user writes: the lab's package repository, endpoint and kubeconfig. */
export async function createLabStack(stack: string, extra: Record<string, unknown> = {}): Promise<PulumiProject> {
  const project = await createStackProject(stack);
  await setConfig(project, {
    apiServerEndpoint: "10.213.0.1:6443",
    packages: {
      aptRepository: "http://10.213.0.1:8080/kubernetes/core:/stable:/v1.36/deb/",
      aptDistribution: "/",
      aptKey: fs.readFileSync(path.join(labDir, "apt", "repo", "kw-lab.asc"), "utf8"),
    },
    // The lab machine's kernel runs cgroup v1, which kubeadm 1.36's SystemVerification refuses.
    kubeadm: { ignorePreflightErrors: ["SystemVerification"] },
    joinTimeout: "3m",
    nodes: [],
    ...extra,
  });
  // Secrets go in through stdin, never a command line.
  await project.pulumiStdin(["config", "set", "--secret", "sshPrivateKey"], fs.readFileSync(path.join(labDir, "ssh", "id_ed25519"), "utf8"));
  await project.pulumiStdin(["config", "set", "--secret", "kubeconfig"], fs.readFileSync(path.join(labDir, "kubeconfig"), "utf8"));
  return project;
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
