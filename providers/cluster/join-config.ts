import type { Taint } from "../worker-node/inputs";

export interface JoinConfigOptions {
  readonly apiServerEndpoint: string;
  /** `<id>.<secret>`: the only secret in the file, which is why it is written mode 600 and removed. */
  readonly token: string;
  readonly caCertHashes: readonly string[];
  readonly nodeName: string;
  readonly criSocket: string;
  readonly taints: readonly Taint[];
  readonly timeoutSeconds: number;
  readonly ignorePreflightErrors?: readonly string[];
}

function goDuration(seconds: number): string {
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/**
 * kubeadm's JoinConfiguration (v1beta4, kubeadm >= 1.31) for `kubeadm join --config`. JSON is YAML,
 * so kubeadm reads it as is and no value needs quoting rules of our own. Taints go in at
 * registration so no pod lands before they exist; labels are applied through the API afterwards,
 * because NodeRestriction refuses most kubernetes.io labels when the kubelet sets them itself.
 */
export function renderJoinConfiguration(options: JoinConfigOptions): string {
  const config = {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "JoinConfiguration",
    discovery: {
      bootstrapToken: {
        apiServerEndpoint: options.apiServerEndpoint,
        token: options.token,
        caCertHashes: [...options.caCertHashes],
        unsafeSkipCAVerification: false,
      },
      tlsBootstrapToken: options.token,
    },
    nodeRegistration: {
      name: options.nodeName,
      criSocket: options.criSocket,
      taints: options.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
      ...(options.ignorePreflightErrors?.length ? { ignorePreflightErrors: [...options.ignorePreflightErrors] } : {}),
    },
    timeouts: {
      discovery: goDuration(options.timeoutSeconds),
      tlsBootstrap: goDuration(options.timeoutSeconds),
      kubeletHealthCheck: goDuration(options.timeoutSeconds),
    },
  };
  return JSON.stringify(config, null, 2) + "\n";
}
