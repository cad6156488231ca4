import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "./connection-args";
import type { ContainerdInputs, DrainInputs, KubeadmInputs, PackagesInputs, Taint } from "./inputs";

/**
 * How to reach the host: the same shape as @pulumi/command's remote ConnectionArgs, so the objects
 * users already have fit. `hostKey` pins the host key (an OpenSSH public key line or a `SHA256:`
 * fingerprint); without it the key is recorded on first use and every later connection must match.
 */
export type { ConnectionArgs, ProxyConnectionArgs } from "./connection-args";

export interface ClusterArgs {
  /** Admin kubeconfig text (pass it as a secret). @default the usual loading: KUBECONFIG, ~/.kube/config */
  readonly kubeconfig?: pulumi.Input<string>;
  /** `host:port` the host dials to join. @default kubeadm's controlPlaneEndpoint, else the kubeconfig's server */
  readonly apiServerEndpoint?: pulumi.Input<string>;
}

export interface WorkerNodeArgs {
  /** SSH connection to the host. Changing `host` replaces the node (drained and removed first). */
  readonly connection: ConnectionArgs;
  /** The cluster to join. Changing `apiServerEndpoint` replaces the node. */
  readonly cluster?: ClusterArgs;
  /** Name of the Node. @default the host's hostname. Changing it replaces the node. */
  readonly nodeName?: pulumi.Input<string>;
  /**
   * kubelet/kubeadm version, e.g. "1.36.3" ("v1.36.3" is the same). @default the control plane's
   * version at join; unset later keeps the version the node runs. Changing it upgrades the node in
   * place (drained one slot at a time, kubeadm's worker procedure); a downgrade, a skip of a minor, a
   * version newer than the control plane or more than 3 minors older, or older than 1.31 is refused at preview.
   */
  readonly kubernetesVersion?: pulumi.Input<string>;
  /**
   * containerd settings, changed in place. @default for Kubernetes >= 1.36 containerd.io 2.x from
   * Docker's apt repository; the cgroup driver of the cluster's kubelet-config; the pause image the
   * version's kubeadm names; no mirrors; no drop-in
   */
  readonly containerd?: pulumi.Input<ContainerdInputs>;
  /** Where kubelet/kubeadm/kubectl come from. @default the upstream pkgs.k8s.io repository of the version */
  readonly packages?: pulumi.Input<PackagesInputs>;
  /** Labels the Node carries; changed in place. Labels set by others are left alone. */
  readonly labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Taints the Node carries, from registration on; changed in place. */
  readonly taints?: pulumi.Input<pulumi.Input<Taint>[]>;
  /** How long the join may take until the Node is Ready: seconds or "10m". @default "10m" */
  readonly joinTimeout?: pulumi.Input<number | string>;
  /** kubeadm join settings, e.g. preflight checks to skip by name. Used at join only. */
  readonly kubeadm?: pulumi.Input<KubeadmInputs>;
  /**
   * Take over a host that already is a Ready Node of this cluster (joined by kubespray, KubeKey or by
   * hand) instead of joining it: create proves the cluster's CA, the Node's machine-id and that its
   * labels, taints and version are the declared ones, and records it without touching the host or
   * the Node. Only create reads it; later changes apply as usual. @default false
   */
  readonly adopt?: pulumi.Input<boolean>;
  /** Reset the host (kubeadm reset -f) after its Node is removed. @default true */
  readonly reset?: pulumi.Input<boolean>;
  /**
   * How the node is drained when removed or replaced; changed in place. Every field and its default
   * is documented on DrainOptions (timeoutSeconds 600, one node draining at a time, capacity check
   * and waiting for replacements on, PodDisruptionBudgets always respected unless disableEviction).
   */
  readonly drain?: pulumi.Input<DrainInputs>;
}
