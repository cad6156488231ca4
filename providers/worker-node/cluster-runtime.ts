import type { ClusterApi } from "../cluster/kube-api";
import { cgroupDriverOf, imageRepositoryOf } from "../cluster/kubelet-config";
import type { CgroupDriver } from "../host/containerd";

export interface ClusterRuntime {
  readonly cgroupDriver: CgroupDriver;
  readonly imageRepository?: string;
}

/** What the host's runtime must agree with: the kubelet configuration kubeadm join will download, and kubeadm's image repository. */
export async function clusterRuntime(cluster: ClusterApi): Promise<ClusterRuntime> {
  const [kubelet, kubeadm] = await Promise.all([
    cluster.configMapData("kube-system", "kubelet-config"),
    cluster.configMapData("kube-system", "kubeadm-config"),
  ]);
  if (kubelet?.kubelet === undefined) {
    throw new Error(
      `${cluster.server} has no ConfigMap kube-system/kubelet-config with a "kubelet" key, which kubeadm join downloads the kubelet configuration from: ` +
        'is this a kubeadm cluster? ("kubeadm init phase upload-config kubelet" writes it)',
    );
  }
  const imageRepository = imageRepositoryOf(kubeadm?.ClusterConfiguration ?? "");
  return { cgroupDriver: cgroupDriverOf(kubelet.kubelet), ...(imageRepository ? { imageRepository } : {}) };
}
