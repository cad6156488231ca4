import type { ContainerdInputs, PackagesInputs } from "../worker-node/inputs";
import { containerdConfigStep, hostOsFrom, hostOsScript, kubeadmImagesCommand, pauseImageFrom, type CgroupDriver, type HostOs } from "./containerd";
import { parseFacts } from "./preflight";
import { prepareSteps, type HostStep } from "./prepare-steps";
import { HostStepError, outputTail, runHostSteps } from "./run-steps";
import type { RemoteShell } from "./ssh-session";

export interface HostPreparation {
  /** "1.36.3" (no v). */
  readonly kubernetesVersion: string;
  readonly containerd: ContainerdInputs;
  readonly packages: PackagesInputs;
  /** The cluster's kubelet cgroupDriver (kube-system/kubelet-config): containerd's runc must match it. */
  readonly cgroupDriver: CgroupDriver;
  /** kubeadm's ClusterConfiguration imageRepository, when the cluster sets one. */
  readonly imageRepository?: string;
}

/**
 * Brings the host to the wanted state, step by step (each idempotent): the system settings, the
 * runtime and Kubernetes packages, then containerd's configuration, whose default sandbox image is
 * the one the installed kubeadm of the version names (`kubeadm config images list`). `first` gives
 * the steps an update runs before those, for the host's distribution (sources that changed, what
 * the new inputs dropped).
 */
export async function prepareHost(shell: RemoteShell, plan: HostPreparation, log: (line: string) => void, first: (os: HostOs) => readonly HostStep[] = () => []): Promise<void> {
  const osResult = await shell.runScript(hostOsScript, { timeoutSeconds: 60 });
  const os = hostOsFrom(parseFacts(osResult.stdout));
  await runHostSteps(shell, [...first(os), ...prepareSteps({ ...plan, os })], log);
  const sandboxImage = plan.containerd.sandboxImage ?? (await kubeadmSandboxImage(shell, plan.kubernetesVersion, plan.imageRepository));
  await runHostSteps(shell, [containerdConfigStep({ ...plan, sandboxImage })], log);
}

async function kubeadmSandboxImage(shell: RemoteShell, kubernetesVersion: string, imageRepository: string | undefined): Promise<string> {
  const command = kubeadmImagesCommand(kubernetesVersion, imageRepository);
  const listed = await shell.run(command, { timeoutSeconds: 120 });
  const image = listed.code === 0 ? pauseImageFrom(listed.stdout) : undefined;
  if (!image) {
    throw new HostStepError(
      `host ${shell.address}: "${command}" named no pause image (exit code ${listed.code}):${outputTail(listed)}\nSet containerd.sandboxImage to the pause image the cluster uses.`,
      "sandbox image",
    );
  }
  return image;
}
