import { createHash, X509Certificate } from "node:crypto";

/**
 * The `--discovery-token-ca-cert-hash` of a CA certificate: "sha256:" + hex SHA-256 of its DER
 * SubjectPublicKeyInfo, exactly what kubeadm's pubkeypin computes. Pinning it is what stops a
 * joining host from trusting whatever API server answers (the unsafe skip many installers use).
 */
export function caCertHash(caPem: string): string {
  const spki = new X509Certificate(caPem).publicKey.export({ type: "spki", format: "der" });
  return "sha256:" + createHash("sha256").update(spki).digest("hex");
}

/** Every certificate in a PEM bundle (a kubeconfig's CA data may hold several). */
export function splitPemBundle(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
