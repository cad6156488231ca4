// What the control plane publishes for joining workers: its version, kubeadm's cluster-info CA and
// controlPlaneEndpoint, and ConfigMaps such as kubeadm's kubelet-config.
import * as k8s from "@kubernetes/client-node";
import { KubernetesApiError, type ApiContext } from "./api-calls";

export interface KubeadmConfigApi {
  serverVersion(): Promise<string>;
  /** CA certificates published in kube-public/cluster-info (what `kubeadm join` discovers). */
  clusterInfoCaPem(): Promise<string>;
  /** controlPlaneEndpoint of kubeadm's ClusterConfiguration, when set. */
  kubeadmControlPlaneEndpoint(): Promise<string | undefined>;
  /** The data of a ConfigMap (kubeadm's kubelet-config, kubeadm-config); undefined when it does not exist. */
  configMapData(namespace: string, name: string): Promise<Readonly<Record<string, string>> | undefined>;
}

export function kubeadmConfigApi({ config, calls }: ApiContext): KubeadmConfigApi {
  const core = config.makeApiClient(k8s.CoreV1Api);
  const version = config.makeApiClient(k8s.VersionApi);
  return {
    async serverVersion() {
      const info = await calls.call("reading the server version", () => version.getCode());
      return info.gitVersion;
    },
    async clusterInfoCaPem() {
      const configMap = await calls.call("reading ConfigMap kube-public/cluster-info", () => core.readNamespacedConfigMap({ name: "cluster-info", namespace: "kube-public" }));
      const text = configMap.data?.kubeconfig;
      if (!text) throw new KubernetesApiError(`Kubernetes API ${calls.server}: ConfigMap kube-public/cluster-info has no kubeconfig: is this a kubeadm cluster?`, undefined);
      // kubeadm names the one cluster of this kubeconfig "", which KubeConfig.loadFromString refuses;
      // the field is all that is needed.
      const ca = /certificate-authority-data:\s*"?([A-Za-z0-9+/=]+)"?/.exec(text)?.[1];
      if (!ca) throw new KubernetesApiError(`Kubernetes API ${calls.server}: kube-public/cluster-info holds no certificate-authority-data`, undefined);
      return Buffer.from(ca, "base64").toString("utf8");
    },
    async kubeadmControlPlaneEndpoint() {
      const configMap = await calls.call("reading ConfigMap kube-system/kubeadm-config", () => core.readNamespacedConfigMap({ name: "kubeadm-config", namespace: "kube-system" }));
      const match = /^controlPlaneEndpoint:\s*"?([^"\s]+)"?\s*$/m.exec(configMap.data?.ClusterConfiguration ?? "");
      return match?.[1];
    },
    async configMapData(namespace, name) {
      const configMap = await calls.unlessAbsent(`reading ConfigMap ${namespace}/${name}`, () => core.readNamespacedConfigMap({ name, namespace }));
      return configMap ? (configMap.data ?? {}) : undefined;
    },
  };
}
