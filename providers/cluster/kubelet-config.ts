import type { CgroupDriver } from "../host/containerd";

/**
 * The cgroupDriver of the KubeletConfiguration kubeadm stores in kube-system/kubelet-config (key
 * `kubelet`, YAML). Absent means the kubelet's own default, cgroupfs. kubeadm writes the field at
 * the top level, one `key: value` per line, which is all this reads.
 */
export function cgroupDriverOf(kubeletConfigYaml: string): CgroupDriver {
  const match = /^cgroupDriver:\s*["']?([^"'\s#]*)["']?\s*(#.*)?$/m.exec(kubeletConfigYaml);
  const driver = match?.[1] ?? "cgroupfs";
  if (driver !== "systemd" && driver !== "cgroupfs") {
    throw new Error(`kube-system/kubelet-config sets cgroupDriver "${driver}", which is neither systemd nor cgroupfs`);
  }
  return driver;
}

/** imageRepository of kubeadm's ClusterConfiguration (kube-system/kubeadm-config), when set. */
export function imageRepositoryOf(clusterConfigurationYaml: string): string | undefined {
  return /^imageRepository:\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/m.exec(clusterConfigurationYaml)?.[1];
}
