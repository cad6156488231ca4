import * as path from "node:path";
import { resetScript } from "../../../providers/host/join";
import { prepareHost } from "../../../providers/host/prepare-host";
import { openSession } from "../../../providers/host/ssh-session";
import { clusterRuntime } from "../../../providers/worker-node/cluster-runtime";
import { runOk } from "../../support/process";
import { kubeconfigPath, kubectl, labCluster, labClusterConfig, labDir, labPrivateKey, labSsh, waitFor, type LabHost } from "./lab";
import type { CommandResult } from "../../support/process";

/**
 * A worker joined the way the kubeadm documentation shows, with nothing of kubeadm-workers: a token
 * and the CA hash on the control plane side; on the host pkgs.k8s.io's install steps against the
 * lab repository, Debian's containerd, and `kubeadm join`. Resolves once the Node is Ready.
 */
export async function joinByHand(host: LabHost): Promise<{ token: string; install: CommandResult }> {
  const ca = path.join(labDir, "control-plane", "pki", "ca.crt");
  const token = (await runOk("kubeadm", ["token", "create", "--kubeconfig", kubeconfigPath, "--ttl", "10m"])).stdout.trim();
  const hash = (await runOk("sh", ["-c", `openssl x509 -pubkey -noout -in ${ca} | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1`])).stdout.trim();
  const repo = "http://10.213.0.1:8080/kubernetes/core:/stable:/v1.36/deb/";
  const install = await labSsh(
    host.address,
    [
      "set -e",
      "export DEBIAN_FRONTEND=noninteractive",
      // a host fresh for this: nothing left of earlier runs of the provider (its containerd.io
      // would otherwise meet Debian's containerd in a conffile question nobody answers)
      "kubeadm reset -f >/dev/null 2>&1 || true",
      "apt-get purge -y -q containerd.io kubelet kubeadm kubectl kubernetes-cni </dev/null >/dev/null 2>&1 || true",
      "rm -rf /etc/containerd /etc/apt/sources.list.d/kubeadm-workers-*.list /etc/apt/keyrings/kubeadm-workers-*.asc",
      "apt-get update -q >/dev/null",
      "apt-get install -y -q -o Dpkg::Options::=--force-confnew containerd </dev/null >/dev/null",
      "mkdir -p /etc/apt/keyrings",
      `curl -fsSL ${repo}Release.key | gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg`,
      `echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] ${repo} /' > /etc/apt/sources.list.d/kubernetes.list`,
      "apt-get update -q >/dev/null",
      "apt-get install -y -q kubelet kubeadm kubectl </dev/null >/dev/null",
      // kubeadm's prerequisites page: enable IPv4 packet forwarding
      "echo net.ipv4.ip_forward = 1 > /etc/sysctl.d/k8s.conf && sysctl -q -p /etc/sysctl.d/k8s.conf",
      // The lab machine's kernel runs cgroup v1, which kubeadm 1.36 refuses unless told.
      `kubeadm join 10.213.0.1:6443 --token ${token} --discovery-token-ca-cert-hash sha256:${hash} --ignore-preflight-errors=SystemVerification`,
    ].join("\n"),
  );
  if (install.code === 0) {
    await waitFor(`Node ${host.name} Ready`, async () => {
      const ready = await kubectl(["get", "node", host.name, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"]).catch(() => undefined);
      return ready?.stdout === "True" ? true : undefined;
    }, 180_000);
  }
  return { token, install };
}

/**
 * Leaves the host and the cluster as they were before joinByHand. Debian's containerd 1.x goes too:
 * the provider refuses it for Kubernetes 1.36 (containerd.upgrade).
 */
export async function undoByHandJoin(host: LabHost, token: string): Promise<void> {
  await labSsh(
    host.address,
    "kubeadm reset -f >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get purge -y -q containerd runc </dev/null >/dev/null 2>&1; " +
      "rm -rf /etc/containerd /etc/apt/sources.list.d/kubernetes.list /etc/apt/keyrings/kubernetes-apt-keyring.gpg /etc/sysctl.d/k8s.conf; true",
  );
  await kubectl(["delete", "node", host.name, "--ignore-not-found"]);
  await runOk("kubeadm", ["token", "delete", "--kubeconfig", kubeconfigPath, token.split(".")[0]]).catch(() => undefined);
}

/**
 * The way kubespray and KubeKey leave a worker: the host prepared by a tool (here the provider's own
 * host steps, which know the lab's registry mirror and containerd drop-in; Debian's containerd 1.x
 * cannot run the lab's pods on real kubelets), then `kubeadm join` typed by hand, so the Node carries
 * nothing of kubeadm-workers. Resolves once the Node is Ready.
 */
export async function joinByHandOnPreparedHost(host: LabHost): Promise<{ token: string; join: CommandResult }> {
  const lab = labClusterConfig();
  const shell = await openSession({ host: host.address, port: host.port, user: "root", privateKey: labPrivateKey(), hostKey: host.hostKey });
  try {
    await shell.runScript(resetScript, { timeoutSeconds: 300 });
    await prepareHost(shell, { kubernetesVersion: "1.36.3", containerd: lab.containerd, packages: lab.packages, ...(await clusterRuntime(labCluster())) }, () => undefined);
  } finally {
    await shell.close();
  }
  const ca = path.join(labDir, "control-plane", "pki", "ca.crt");
  const token = (await runOk("kubeadm", ["token", "create", "--kubeconfig", kubeconfigPath, "--ttl", "10m"])).stdout.trim();
  const hash = (await runOk("sh", ["-c", `openssl x509 -pubkey -noout -in ${ca} | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1`])).stdout.trim();
  const skip = lab.kubeadm.ignorePreflightErrors.length > 0 ? ` --ignore-preflight-errors=${lab.kubeadm.ignorePreflightErrors.join(",")}` : "";
  const join = await labSsh(host.address, `kubeadm join ${lab.apiServerEndpoint} --token ${token} --discovery-token-ca-cert-hash sha256:${hash}${skip}`);
  if (join.code === 0) {
    await waitFor(`Node ${host.name} Ready`, async () => {
      const ready = await kubectl(["get", "node", host.name, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"]).catch(() => undefined);
      return ready?.stdout === "True" ? true : undefined;
    }, 180_000);
  }
  return { token, join };
}

/** Leaves the host and the cluster as joinByHandOnPreparedHost found them: the join undone, the Node and the token gone. */
export async function undoJoinOnPreparedHost(host: LabHost, token: string): Promise<void> {
  await labSsh(host.address, resetScript);
  await kubectl(["delete", "node", host.name, "--ignore-not-found"]);
  if (token) await runOk("kubeadm", ["token", "delete", "--kubeconfig", kubeconfigPath, token.split(".")[0]]).catch(() => undefined);
}
