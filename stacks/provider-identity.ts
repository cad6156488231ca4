// The provider's least-privilege identity (stack config `leastPrivilege: true`): a ServiceAccount, a
// ClusterRole with exactly the rules the provider needs, its ClusterRoleBinding, a token Secret and a
// kubeconfig made of it, created with @pulumi/kubernetes through the stack's own (admin) kubeconfig.
// The WorkerNodes then reach the API with that kubeconfig, not the admin's.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { providerPolicyRules } from "../providers";
import { kubeconfigServer, tokenKubeconfig } from "../providers/cluster/token-kubeconfig";

/** Where the identity lives: beside the bootstrap tokens and drain Leases it works on. */
export const identityNamespace = "kube-system";

export interface ProviderIdentity {
  /** The ServiceAccount's kubeconfig (a secret), for the WorkerNodes' cluster.kubeconfig. */
  readonly kubeconfig: pulumi.Output<string>;
  /** What the WorkerNodes must be created after and deleted before: the binding that grants the rules. */
  readonly grants: pulumi.Resource;
  /** The user the API server sees, e.g. system:serviceaccount:kube-system:kubeadm-workers-prod. */
  readonly user: string;
  readonly clusterRole: pulumi.Output<string>;
}

/** The identity's name: one per stack, so two stacks in one cluster keep their own. */
export function identityName(stack: string): string {
  return `kubeadm-workers-${stack}`;
}

/** `stackKubernetes`: the provider of `adminKubeconfig` (stackKubernetesProvider), which creates the identity. */
export function providerIdentity(stack: string, adminKubeconfig: pulumi.Output<string>, stackKubernetes: k8s.Provider): ProviderIdentity {
  const name = identityName(stack);
  const namespace = identityNamespace;
  const opts = { provider: stackKubernetes };
  const account = new k8s.core.v1.ServiceAccount("provider-identity", { metadata: { name, namespace } }, opts);
  const role = new k8s.rbac.v1.ClusterRole(
    "provider-identity",
    {
      metadata: { name },
      rules: providerPolicyRules.map((rule) => ({
        ...(rule.apiGroups ? { apiGroups: [...rule.apiGroups] } : {}),
        ...(rule.resources ? { resources: [...rule.resources] } : {}),
        ...(rule.nonResourceURLs ? { nonResourceURLs: [...rule.nonResourceURLs] } : {}),
        verbs: [...rule.verbs],
      })),
    },
    opts,
  );
  const binding = new k8s.rbac.v1.ClusterRoleBinding(
    "provider-identity",
    {
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
      subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace }],
    },
    opts,
  );
  // A long-lived token the token controller fills in (the provider waits until it has); a
  // TokenRequest would expire between two `pulumi up`s.
  const token = new k8s.core.v1.Secret(
    "provider-identity-token",
    {
      metadata: { name: `${name}-token`, namespace, annotations: { "kubernetes.io/service-account.name": account.metadata.name } },
      type: "kubernetes.io/service-account-token",
    },
    opts,
  );
  const kubeconfig = pulumi
    .all([adminKubeconfig, token.data])
    .apply(([adminText, data]) => {
      const tokenBase64 = data?.token;
      const caBase64 = data?.["ca.crt"];
      if (!tokenBase64 || !caBase64) {
        throw new Error(`Secret ${namespace}/${name}-token holds no token or ca.crt: is the token controller running (kube-controller-manager with --service-account-private-key-file and --root-ca-file)?`);
      }
      return tokenKubeconfig({ server: kubeconfigServer(adminText), caBase64, token: Buffer.from(tokenBase64, "base64").toString("utf8"), name });
    });
  return { kubeconfig: pulumi.secret(kubeconfig), grants: binding, user: `system:serviceaccount:${namespace}:${name}`, clusterRole: role.metadata.name };
}
