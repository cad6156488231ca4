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

/** Every regular file under `dir` (or `dir` itself when it is one); with `device`, only on that filesystem (as find -xdev). */
function* files(dir: string, device?: number): Generator<string> {
  if (!fs.existsSync(dir)) return;
  const stat = fs.statSync(dir);
  if (device !== undefined && stat.dev !== device) return;
  if (stat.isFile()) {
    yield dir;
    return;
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full, device);
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
  oneFileSystem = false,
): void {
  for (const file of files(dir, oneFileSystem && fs.existsSync(dir) ? fs.statSync(dir).dev : undefined)) {
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

/** The tmpfs mounts of a lab host (lab/hosts/host-stage.sh): outside its overlay upper layer, gone when it stops. */
export const hostTmpfsDirs = ["/tmp", "/run", "/dev/shm"] as const;

/**
 * A running lab host's root as the machine reaches it: /proc/PID/root of its init (lab/hosts/
 * host-start.sh records the PID), which shows the host's own mounts, its tmpfs ones included.
 * Fails naming the host when it is not running or the path shows another root.
 */
export function hostRoot(hostName: string): string {
  const pidFile = path.join(labDir, "hosts", hostName, "init.pid");
  const pid = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, "utf8").trim() : "";
  const root = `/proc/${pid}/root`;
  const name = pid && fs.existsSync(`${root}/etc/hostname`) ? fs.readFileSync(`${root}/etc/hostname`, "utf8").trim() : undefined;
  if (name !== hostName) throw new Error(`lab host ${hostName}'s root is not reachable at ${root} (init pid from ${pidFile}: "${pid}"; its /etc/hostname: ${name ?? "none"}): is the host running? npm run lab -- status`);
  return root;
}

/** Scans a running host's tmpfs mounts through its root (one filesystem each: a mount below one, as a container's rootfs, is not its). */
export function scanHostTmpfs(report: ScanReport, hostName: string, known: readonly KnownSecret[]): void {
  const root = hostRoot(hostName);
  for (const dir of hostTmpfsDirs) {
    scanTree(report, `${hostName} tmpfs`, `${root}${dir}`, known, (file) => `/${path.relative(root, file)}`, () => true, true);
  }
}
