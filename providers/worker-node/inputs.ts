// Plain (resolved) shapes of the WorkerNode inputs and outputs, as the provider receives them.
// The Pulumi-facing `WorkerNodeArgs` (with pulumi.Input wrappers and docs) lives in args.ts.

export interface SshEndpointInputs {
  readonly host: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly privateKey?: string;
  readonly privateKeyPassword?: string;
  readonly agentSocketPath?: string;
  /** OpenSSH public key line or `SHA256:` fingerprint of the host key; unset: trust on first use. */
  readonly hostKey?: string;
  /** Seconds to wait for the SSH handshake of one dial. Same name and unit as @pulumi/command. */
  readonly perDialTimeout?: number;
  /** Dials before giving up. Same name as @pulumi/command. */
  readonly dialErrorLimit?: number;
}

export interface ConnectionInputs extends SshEndpointInputs {
  /** A bastion the connection goes through. */
  readonly proxy?: SshEndpointInputs;
}

export interface ClusterInputs {
  /** Admin kubeconfig (a secret). Unset: the usual loading (KUBECONFIG, ~/.kube/config). */
  readonly kubeconfig?: string;
  /** `host:port` the host dials to join, when it differs from the kubeconfig's server. */
  readonly apiServerEndpoint?: string;
}

export interface ContainerdInputs {
  /** Pause image the CRI plugin uses; unset: the one `kubeadm config images list` names for the version. */
  readonly sandboxImage?: string;
  /** Registry host → mirror endpoints, e.g. { "docker.io": ["https://mirror.example:5000"] }. */
  readonly registryMirrors?: Record<string, string[]>;
  /**
   * Base URL of an apt repository with containerd 2 (Kubernetes >= 1.36), e.g. an air-gapped mirror.
   * Unset: Docker's repository for the host's distribution (download.docker.com/linux/<debian|ubuntu>),
   * which Kubernetes' container-runtime documentation points Debian and Ubuntu users to.
   */
  readonly aptRepository?: string;
  /** What follows the URL on the deb line: "./" (default with aptRepository) or "<codename> stable". */
  readonly aptDistribution?: string;
  /** ASCII-armored public key the repository is signed with; required with aptRepository. */
  readonly aptKey?: string;
  /** The package that provides containerd 2; default "containerd.io". */
  readonly package?: string;
  /**
   * Replace an installed containerd older than 2.0 (Debian's `containerd`) with `package` in place;
   * default false: such a host fails preflight, naming the version found.
   */
  readonly upgrade?: boolean;
  /**
   * TOML merged over the config.toml kubeadm-workers writes: written to
   * /etc/containerd/conf.d/kubeadm-workers.toml, which config.toml imports (private registries,
   * extra runtimes, `restrict_oom_score_adj`…). Keys it sets override ours.
   */
  readonly configDropIn?: string;
}

export interface PackagesInputs {
  /** Base URL of an apt repository with kubelet/kubeadm/kubectl (upstream pkgs.k8s.io by default). */
  readonly aptRepository?: string;
  /** Suite/component line after the URL, e.g. "/" for a flat repository. */
  readonly aptDistribution?: string;
  /** ASCII-armored public key the repository is signed with. */
  readonly aptKey?: string;
}

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffect;
}

/** A taint as kubectl writes it: `key=value:Effect`, or `key:Effect` without a value. */
export function taintText(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`;
}

export interface KubeadmInputs {
  /** kubeadm preflight checks to skip by name, e.g. ["SystemVerification"] on cgroup v1 hosts. */
  readonly ignorePreflightErrors?: string[];
}

export type DrainInputs = Partial<import("../drain/options").DrainOptions>;

export interface WorkerNodeInputs {
  readonly connection: ConnectionInputs;
  readonly cluster: ClusterInputs;
  readonly nodeName?: string;
  readonly kubernetesVersion?: string;
  readonly containerd?: ContainerdInputs;
  readonly packages?: PackagesInputs;
  readonly labels?: Record<string, string>;
  readonly taints?: Taint[];
  /** Seconds or a duration string; default 10m. */
  readonly joinTimeout?: number | string;
  /** Reset the host (kubeadm reset) when the node is removed; default true. */
  readonly reset?: boolean;
  /** kubeadm join settings. */
  readonly kubeadm?: KubeadmInputs;
  /** How the node is drained when it is removed or replaced. */
  readonly drain?: DrainInputs;
  /** `<project>/<stack>/<resource>`, set by the resource class and written on the Node (never user input). */
  readonly owner?: string;
  /**
   * Take over a host that is already a Ready Node of this cluster (joined by kubespray, KubeKey or by
   * hand): create proves it and records it, changing nothing on the host; its one write is the owner
   * and host annotations on the Node (no label, taint or cordon). Create only.
   */
  readonly adopt?: boolean;
}

/**
 * The inputs that shape only the join, as they were given (unset stays unset). Recorded in the
 * outputs so a later diff can tell "nodeName unset" from "nodeName set to the hostname".
 */
export interface JoinInputs {
  readonly nodeName?: string;
  readonly joinTimeout?: number | string;
  readonly kubeadm?: KubeadmInputs;
}
