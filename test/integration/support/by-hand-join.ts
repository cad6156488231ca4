import * as path from "node:path";
import { resetScript } from "../../../providers/host/join";
import { prepareHost } from "../../../providers/host/prepare-host";
import { openSession } from "../../../providers/host/ssh-session";
import { clusterRuntime } from "../../../providers/worker-node/cluster-runtime";
import { runOk } from "../../support/process";
import { kubeconfigPath, kubectl, labCluster, labClusterConfig, labDir, labPrivateKey, labSsh, waitFor, type LabHost } from "./lab";
import type { CommandResult } from "../../support/process";

/**
 * The way kubespray and KubeKey leave a worker: the host prepared by a tool (here the provider's own
 * host steps, which know the lab's registry mirror and containerd drop-in; Debian's containerd 1.x
 * cannot run the lab's pods on real kubelets), then `kubeadm join` run by hand, so the Node carries
 * nothing of kubeadm-workers. Resolves once the Node is Ready.
 */
export async function joinByHandOnPreparedHost(host: LabHost): Promise<{ token: string; join: CommandResult }> {
  const lab = labClusterConfig();
  const ca = path.join(labDir, "control-plane", "pki", "ca.crt");
  const token = (await runOk("kubeadm", ["token", "create", "--kubeconfig", kubeconfigPath, "--ttl", "10m"])).stdout.trim();
  const hash = (await runOk("sh", ["-c", `openssl x509 -pubkey -noout -in ${ca} | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1`])).stdout.trim();
  // As kubespray joins (kubeadm join --config kubeadm-client.conf): the token in a file written
  // through the session's stdin, never on a command line the e2e secrets scan would see in the
  // hosts' process lists, and removed once the join is done.
  const joinConfiguration = {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "JoinConfiguration",
    discovery: { bootstrapToken: { apiServerEndpoint: lab.apiServerEndpoint, token, caCertHashes: [`sha256:${hash}`] } },
    nodeRegistration: { ignorePreflightErrors: lab.kubeadm.ignorePreflightErrors },
  };
  const file = "/etc/kubernetes/kubeadm-client.conf";
  const joinScript = [
    "mkdir -p /etc/kubernetes",
    `umask 077; cat >${file} <<'KW_JOIN_CONFIG'`,
    JSON.stringify(joinConfiguration),
    "KW_JOIN_CONFIG",
    `kubeadm join --config ${file}; code=$?; rm -f ${file}; exit $code`,
  ].join("\n");
  const shell = await openSession({ host: host.address, port: host.port, user: "root", privateKey: labPrivateKey(), hostKey: host.hostKey });
  let join: CommandResult;
  try {
    await shell.runScript(resetScript, { timeoutSeconds: 300 });
    await prepareHost(shell, { kubernetesVersion: "1.36.3", containerd: lab.containerd, packages: lab.packages, ...(await clusterRuntime(labCluster())) }, () => undefined);
    join = await shell.runScript(joinScript, { timeoutSeconds: 300 });
  } finally {
    await shell.close();
  }
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
