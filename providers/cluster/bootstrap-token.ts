// Bootstrap tokens, as kubeadm and the API server's bootstrap-token authenticator define them:
// `<id>.<secret>`, 6 and 16 characters of [a-z0-9], stored as Secret kube-system/bootstrap-token-<id>.

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

export interface BootstrapToken {
  readonly id: string;
  readonly secret: string;
}

/** Group kubeadm's RBAC (node bootstrapper, CSR auto-approval) is bound to. */
export const kubeadmNodeTokenGroup = "system:bootstrappers:kubeadm:default-node-token";

/** Picks token characters from random bytes; rejection sampling keeps every character equally likely. */
export function newBootstrapToken(randomBytes: (size: number) => Buffer): BootstrapToken {
  const pick = (length: number): string => {
    let out = "";
    while (out.length < length) {
      for (const byte of randomBytes(length * 2)) {
        if (byte < 252 && out.length < length) out += alphabet[byte % 36];
      }
    }
    return out;
  };
  return { id: pick(6), secret: pick(16) };
}

export function bootstrapTokenSecretName(id: string): string {
  return `bootstrap-token-${id}`;
}

/**
 * The Secret that makes a token valid: authentication for `kubeadm join`, signing so the bootstrap
 * signer adds this token's JWS to cluster-info (kubeadm's discovery checks it), the kubeadm group
 * for its RBAC, and an expiry so the token cleaner removes it even if we never get to.
 */
export function bootstrapTokenSecret(
  token: BootstrapToken,
  options: { readonly expires: Date; readonly description: string },
): { name: string; namespace: string; type: string; stringData: Record<string, string> } {
  return {
    name: bootstrapTokenSecretName(token.id),
    namespace: "kube-system",
    type: "bootstrap.kubernetes.io/token",
    stringData: {
      "token-id": token.id,
      "token-secret": token.secret,
      expiration: options.expires.toISOString().replace(/\.\d{3}Z$/, "Z"),
      "usage-bootstrap-authentication": "true",
      "usage-bootstrap-signing": "true",
      "auth-extra-groups": kubeadmNodeTokenGroup,
      description: options.description,
    },
  };
}

export function formatBootstrapToken(token: BootstrapToken): string {
  return `${token.id}.${token.secret}`;
}
