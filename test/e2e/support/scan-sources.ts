import * as fs from "node:fs";
import * as path from "node:path";
import { kubeconfigPath, labDir } from "../../integration/support/lab";
import { isOwnKeyMaterial, looksLikeText, scanText, type Finding, type KnownSecret } from "../../support/secrets-scan";

const maxFileBytes = 4 * 1024 * 1024;

/** The secrets this run handed out: the lab's SSH key, the admin kubeconfig's credentials, the state passphrase. */
export function knownSecrets(): KnownSecret[] {
  const known: KnownSecret[] = [{ name: "lab SSH private key", value: fs.readFileSync(path.join(labDir, "ssh", "id_ed25519"), "utf8") }];
  const kubeconfig = fs.readFileSync(kubeconfigPath, "utf8");
  for (const [, field, value] of kubeconfig.matchAll(/(client-key-data|token):\s*(\S+)/g)) {
    known.push({ name: `admin kubeconfig ${field}`, value });
    if (field === "client-key-data") known.push({ name: "admin kubeconfig client key", value: Buffer.from(value, "base64").toString("utf8") });
  }
  if (process.env.PULUMI_CONFIG_PASSPHRASE) known.push({ name: "PULUMI_CONFIG_PASSPHRASE", value: process.env.PULUMI_CONFIG_PASSPHRASE });
  return known;
}

/** Every regular file under `dir` (or `dir` itself when it is one). */
function* files(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  if (fs.statSync(dir).isFile()) {
    yield dir;
    return;
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

export interface ScanReport {
  findings: Finding[];
  /** Files scanned, by kind. */
  counts: Record<string, number>;
}

/** Scans every text file under `dir`; `hostPathOf` maps a file to the path a host sees (own key material is allowed there). */
export function scanTree(
  report: ScanReport,
  kind: string,
  dir: string,
  known: readonly KnownSecret[],
  hostPathOf?: (file: string) => string,
  include: (hostPath: string) => boolean = () => true,
): void {
  for (const file of files(dir)) {
    if (hostPathOf && !include(hostPathOf(file))) continue;
    if (fs.statSync(file).size > maxFileBytes) continue;
    const content = fs.readFileSync(file);
    if (!looksLikeText(content)) continue;
    const hostPath = hostPathOf?.(file);
    const source = hostPath ? `${kind}:${hostPath}` : path.relative(labDir, file);
    report.findings.push(...scanText(source, content.toString("utf8"), known, { allowOwnKeyMaterial: hostPath !== undefined && isOwnKeyMaterial(hostPath) }));
    report.counts[kind] = (report.counts[kind] ?? 0) + 1;
  }
}
