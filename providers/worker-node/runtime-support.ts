// The container runtime a Kubernetes release needs, judged on an in-place upgrade. The upgrade
// (kubeadm's worker procedure) replaces kubeadm, the kubelet and kubectl, never containerd: a node
// whose containerd the new release no longer supports must not be drained for an upgrade whose
// kubelet could not run its pods. Pure: the runtime version comes from the Node
// (status.nodeInfo.containerRuntimeVersion), as recorded at the last up or read live.
import { firstMinorNeedingContainerd2, needsContainerd2 } from "../host/containerd";
import { formatVersion, type KubernetesVersion } from "./version";

/** "containerd://1.7.24" (or "containerd://v1.6.20") → its version and major; undefined for another runtime or no version. */
function containerdOf(runtime: string): { version: string; major: number } | undefined {
  const match = /^containerd:\/\/v?((\d+)[^\s]*)$/.exec(runtime.trim());
  return match ? { version: match[1], major: Number(match[2]) } : undefined;
}

/**
 * Refuses an in-place upgrade to a release that needs containerd 2 (Kubernetes >= 1.36) of a node
 * whose Node reports containerd 1.x, naming both versions and the way out: the node stays on its
 * release, or is replaced with `containerd.upgrade: true` (create's join replaces containerd 1.x).
 */
export function containerdSupportProblem(containerRuntimeVersion: string | undefined, to: KubernetesVersion): string | undefined {
  const found = containerRuntimeVersion === undefined ? undefined : containerdOf(containerRuntimeVersion);
  if (!found || found.major >= 2 || !needsContainerd2(formatVersion(to))) return undefined;
  const lastSupporting = `1.${firstMinorNeedingContainerd2 - 1}`;
  return (
    `the node runs containerd ${found.version} (its Node reports ${containerRuntimeVersion}), ` +
    `but Kubernetes ${to.major}.${to.minor} requires containerd 2.0 or newer (${lastSupporting} was the last release to support containerd 1.x), ` +
    `and an in-place upgrade never replaces the container runtime. Keep kubernetesVersion at ${lastSupporting}, or set containerd.upgrade: true ` +
    "and replace the node (`pulumi up --replace <its URN>`; `pulumi stack --show-urns` lists them): it is drained and removed, and its host joins again with containerd 2 in place of 1.x"
  );
}
