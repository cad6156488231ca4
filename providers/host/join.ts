import { outputTail, HostStepError } from "./run-steps";
import type { RemoteShell } from "./ssh-session";

/** Where the join configuration lives for the few seconds of the join; mode 600, removed after. */
export const joinConfigPath = "/etc/kubernetes/kubeadm-workers-join.json";

/**
 * Writes the JoinConfiguration through stdin (the token never appears in a command line, so not in
 * `ps` either), runs `kubeadm join --config`, and removes the file whatever happened.
 */
export async function kubeadmJoin(shell: RemoteShell, joinConfiguration: string, timeoutSeconds: number): Promise<void> {
  const write = await shell.run(`mkdir -p /etc/kubernetes && umask 077 && cat > ${joinConfigPath}`, { stdin: joinConfiguration, timeoutSeconds: 60 });
  if (write.code !== 0) throw new HostStepError(`host ${shell.address}: could not write ${joinConfigPath}:${outputTail(write)}`, "join");
  try {
    const joined = await shell.run(`kubeadm join --config ${joinConfigPath} --v=1`, { timeoutSeconds: timeoutSeconds + 60 });
    if (joined.code !== 0) throw new HostStepError(`host ${shell.address}: kubeadm join failed with exit code ${joined.code}:${outputTail(joined, 30)}`, "join");
  } finally {
    await shell.run(`rm -f ${joinConfigPath}`, { timeoutSeconds: 60 }).catch(() => undefined);
  }
}

/** Undoes a join: `kubeadm reset -f` when kubeadm is installed, and the files it leaves behind. */
export const resetScript = `
set -u
rm -f ${joinConfigPath}
if command -v kubeadm >/dev/null; then kubeadm reset -f --v=1 2>&1 | tail -n 20; fi
systemctl stop kubelet 2>/dev/null || true
rm -rf /etc/cni/net.d /var/lib/kubelet/pki /etc/kubernetes/kubelet.conf /etc/kubernetes/bootstrap-kubelet.conf
# Our apt source goes too: left behind it would clash (two Signed-By keys for one repository) with
# the source whoever uses the host next writes by pkgs.k8s.io's or Docker's guide. Packages stay
# (the Kubernetes ones still held), and containerd keeps running with its configuration.
rm -f /etc/apt/sources.list.d/kubeadm-workers-kubernetes.list /etc/apt/keyrings/kubeadm-workers-kubernetes.asc
rm -f /etc/apt/sources.list.d/kubeadm-workers-containerd.list /etc/apt/keyrings/kubeadm-workers-containerd.asc
`;

export async function resetHost(shell: RemoteShell): Promise<void> {
  const result = await shell.runScript(resetScript, { timeoutSeconds: 300 });
  if (result.code !== 0) throw new HostStepError(`host ${shell.address}: reset failed:${outputTail(result)}`, "reset");
}
