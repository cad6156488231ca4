import type { HostStep } from "./prepare-steps";

/** Quotes a value for a POSIX shell, whatever it holds. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A shell command that writes `content` to `path` only when it differs (so re-runs change nothing). */
export function writeFileIfChanged(path: string, content: string, mode = "0644"): string {
  const tmp = `${path}.kubeadm-workers.tmp`;
  return [
    `mkdir -p "$(dirname ${shellQuote(path)})"`,
    `printf '%s' ${shellQuote(content)} > ${shellQuote(tmp)}`,
    `if cmp -s ${shellQuote(tmp)} ${shellQuote(path)}; then rm -f ${shellQuote(tmp)}; else chmod ${mode} ${shellQuote(tmp)} && mv ${shellQuote(tmp)} ${shellQuote(path)}; fi`,
  ].join("\n");
}

/** A test that passes when the file at `path` holds exactly `content`. */
export function fileHasContent(path: string, content: string): string {
  return `printf '%s' ${shellQuote(content)} | cmp -s - ${shellQuote(path)}`;
}

/**
 * An install cut short (a lost connection) leaves dpkg half done, and its orphaned dpkg may still
 * hold the lock, as may unattended-upgrades: wait up to two minutes for the lock, then finish
 * whatever is pending. apt-get waits by itself (DPkg::Lock::Timeout); plain dpkg does not.
 */
export const finishInterruptedDpkg = [
  "for i in $(seq 1 120); do",
  "  if out=$(dpkg --configure -a 2>&1); then break; fi",
  '  case "$out" in *lock*) sleep 1 ;; *) echo "$out" >&2; exit 1 ;; esac',
  '  [ "$i" = 120 ] && { echo "dpkg is still locked by another process after 2 minutes: $out" >&2; exit 1; }',
  "done",
].join("\n");

export const aptGet = "DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=120";

/**
 * An apt repository and how its key reaches the host: the ASCII-armored key given by the user, or
 * (a vendor's own repository) fetched from `keyUrl` over HTTPS.
 */
export type AptSource = {
  /** Base URL, ending in "/". */
  readonly url: string;
  /** What follows the URL on the deb line: "/" or "./" for a flat repository, "bookworm stable" for a suite and component. */
  readonly distribution: string;
  /** Our files for this source: /etc/apt/keyrings/<name>.asc and /etc/apt/sources.list.d/<name>.list. */
  readonly name: string;
} & ({ readonly key: string; readonly keyUrl?: never } | { readonly keyUrl: string; readonly key?: never });

export function aptSourceFiles(name: string): { keyring: string; keyOrigin: string; sourceFile: string } {
  const keyring = `/etc/apt/keyrings/${name}.asc`;
  // Beside a fetched key: the URL it came from, so a source whose key URL changed (or that had a
  // given key before) fetches its own key instead of keeping the old one.
  return { keyring, keyOrigin: `${keyring}.origin`, sourceFile: `/etc/apt/sources.list.d/${name}.list` };
}

export function aptSourceLineOf(source: AptSource): string {
  return `deb [signed-by=${aptSourceFiles(source.name).keyring}] ${source.url} ${source.distribution}\n`;
}

/**
 * Prints the host's own source file that lists the repository, if any (the vendor's install guide
 * writes one). Matched without the trailing slash: apt treats ".../debian" and ".../debian/" as one
 * repository (Docker's guide writes the former), so either spelling would clash.
 */
function existingSourceOf(source: AptSource): string {
  return `grep -rlsF -- ${shellQuote(source.url.replace(/\/+$/, ""))} /etc/apt/sources.list /etc/apt/sources.list.d/ | grep -vxF ${aptSourceFiles(source.name).sourceFile} | head -n1`;
}

/** Passes when the keyring holds the source's key: a given key byte for byte, a fetched one from this key URL. */
function keyringReady(source: AptSource): string {
  const { keyring, keyOrigin } = aptSourceFiles(source.name);
  return source.key !== undefined ? fileHasContent(keyring, source.key) : `test -s ${keyring} && ${fileHasContent(keyOrigin, source.keyUrl)}`;
}

/** Puts the source's key in its keyring, replacing whatever key another repository or mirror left there. */
function keyringLines(source: AptSource): string {
  const { keyring, keyOrigin } = aptSourceFiles(source.name);
  if (source.key !== undefined) return [writeFileIfChanged(keyring, source.key), `rm -f ${keyOrigin}`].join("\n");
  return (
    `${keyringReady(source)} || { mkdir -p /etc/apt/keyrings && curl -fsSL ${shellQuote(source.keyUrl)} -o ${keyring}.tmp && mv ${keyring}.tmp ${keyring} && ` +
    `printf '%s' ${shellQuote(source.keyUrl)} > ${keyOrigin}; }`
  );
}

/** Refreshes the package lists of the source file in $source_file only. */
const refreshSourceFile = [
  'case "$source_file" in *.sources) parts="-o Dir::Etc::sourceparts=$(dirname "$source_file") -o Dir::Etc::sourcelist=/dev/null";; *) parts="-o Dir::Etc::sourcelist=$source_file -o Dir::Etc::sourceparts=-";; esac',
  `${aptGet} update -q $parts -o APT::Get::List-Cleanup=0`,
].join("\n");

/** Refreshes the package lists of the source's repository only: the host's own source for it, else ours. */
export function aptUpdateOf(source: AptSource): string {
  return [`source_file=$(${existingSourceOf(source)} || true)`, `[ -n "$source_file" ] || source_file=${aptSourceFiles(source.name).sourceFile}`, refreshSourceFile].join("\n");
}

/**
 * Lines that make `source` known to apt and refresh only its lists. A host may already list the
 * repository (the vendor's install guide writes its own file): apt refuses one repository with two
 * Signed-By keys, so an existing entry is used as it is, and ours goes. Otherwise our source file and
 * key are written, replacing those of an earlier repository or mirror.
 */
export function aptSourceSetup(source: AptSource): string {
  const { sourceFile } = aptSourceFiles(source.name);
  return [
    `existing=$(${existingSourceOf(source)} || true)`,
    'if [ -n "$existing" ]; then',
    // The URL is user text: single-quoted between the message's double-quoted parts, so nothing of it is expanded.
    `  rm -f ${sourceFile}; source_file=$existing; echo "using the existing apt source $existing for "${shellQuote(source.url)}`,
    "else",
    keyringLines(source),
    writeFileIfChanged(sourceFile, aptSourceLineOf(source)),
    `  source_file=${sourceFile}`,
    "fi",
    // That source must refresh, or the install cannot be trusted to come from it.
    refreshSourceFile,
    // The packages' dependencies (socat, conntrack, ethtool… for the kubelet) come from the host's
    // distribution, whose lists a fresh host may never have fetched: refresh them too, but a broken
    // source of the host's own only warns, as apt's cached lists may still do.
    `${aptGet} update -q -o APT::Get::List-Cleanup=0 >/dev/null 2>&1 || echo "warning: apt-get update of the host's other sources failed; using their cached lists" >&2`,
  ].join("\n");
}

/**
 * The source as a host step of its own, for an update whose source, distribution or key changed
 * while the package it serves is installed (its install step then has nothing to do): done when the
 * host's own source lists the repository and ours is gone, or when our source file and key are the
 * ones wanted. The apply refreshes the new source's lists, so a wrong mirror or key fails here.
 */
export function aptSourceStepOf(source: AptSource): HostStep {
  const { sourceFile } = aptSourceFiles(source.name);
  return {
    name: `apt source ${source.url}`,
    check: `if [ -n "$(${existingSourceOf(source)})" ]; then ! test -e ${sourceFile}; else ${fileHasContent(sourceFile, aptSourceLineOf(source))} && ${keyringReady(source)}; fi`,
    apply: ["set -e", aptSourceSetup(source)].join("\n"),
  };
}
