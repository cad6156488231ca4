// Finds secrets in plaintext: in state files, CLI output, files on hosts, process lists. Pure: the
// caller reads the text; a finding names where and which rule, never the secret itself (the test's
// own failure message must not become a leak).

/** A secret the run knows (the SSH private key, the admin kubeconfig's key, the passphrase). */
export interface KnownSecret {
  readonly name: string;
  readonly value: string;
}

export interface Finding {
  readonly source: string;
  readonly line: number;
  readonly rule: string;
  /** What matched, cut to its first characters: enough to find it, not enough to use it. */
  readonly excerpt: string;
}

interface PatternRule {
  readonly rule: string;
  readonly pattern: RegExp;
  /** Refines a match (e.g. decodes it); false drops it. */
  readonly confirm?: (match: string) => boolean;
}

const base64Decoded = (text: string): string => Buffer.from(text, "base64").toString("latin1");

const patternRules: readonly PatternRule[] = [
  { rule: "private key (PEM)", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g },
  // "-----BEGIN" base64-encoded (a kubeconfig's client-key-data), whatever key type follows.
  { rule: "private key (base64 PEM)", pattern: /LS0tLS1CRUdJTi[A-Za-z0-9+/]{20,}={0,2}/g, confirm: (m) => /PRIVATE KEY/.test(base64Decoded(m)) },
  { rule: "kubeconfig client-key-data", pattern: /client-key-data["']?\s*[:=]\s*["']?[A-Za-z0-9+/]{16,}/g },
  { rule: "kubeconfig token", pattern: /(?<![\w-])token["']?\s*:\s*["']?[A-Za-z0-9._~+/-]{16,}/g },
  // kubeadm's token format, [a-z0-9]{6}.[a-z0-9]{16}, standing alone.
  { rule: "bootstrap token", pattern: /(?<![\w.-])[a-z0-9]{6}\.[a-z0-9]{16}(?![\w.-])/g },
  // An assignment (`password=…`, `password: …`, `"password":"…"`) on one line; not `passwd:amd64`
  // (a package name in dpkg's log) nor a prompt (`Password: ` and nothing after it).
  { rule: "password", pattern: /(?<![A-Za-z0-9-])(?:password|passwd|passphrase)(?:[ \t]*=|["']?[ \t]*:[ \t]|"[ \t]*:)[ \t]*["']?(?!\[secret\]|\*{3})[^\s"',}]{4,}/gi },
];

/** Each known secret is looked for as written, base64-encoded, and (multi-line ones) line by line. */
function knownNeedles(secret: KnownSecret): { rule: string; needle: string }[] {
  const needles = [{ rule: `known secret ${secret.name}`, needle: secret.value.trim() }];
  needles.push({ rule: `known secret ${secret.name} (base64)`, needle: Buffer.from(secret.value).toString("base64") });
  // PEM body lines are 64 characters; shorter fragments could occur by chance. The first two body
  // lines are left out: they hold what every key of the type shares (OpenSSH's "openssh-key-v1…none…
  // ssh-ed25519" header) and public material (the public key, an RSA modulus), found elsewhere by right.
  const body = secret.value.split("\n").map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith("-----"));
  for (const line of body.slice(secret.value.includes("PRIVATE KEY-----") ? 2 : 0)) {
    if (line.length >= 40) needles.push({ rule: `known secret ${secret.name} (a line of it)`, needle: line });
  }
  return needles.filter((n) => n.needle.length >= 8);
}

const excerptOf = (match: string): string => `${match.slice(0, Math.min(12, Math.ceil(match.length / 3)))}…`;

/**
 * Every plaintext secret in `text`: the patterns above (any private key, kubeconfig credential,
 * bootstrap token or password assignment) and the known secrets. `allowPemAt` is for files that are
 * a machine's own key material (a host's SSH host keys, its kubelet's key): the generic private-key
 * rule does not fire there; a known secret is never allowed anywhere.
 */
export function scanText(source: string, text: string, known: readonly KnownSecret[], options: { allowOwnKeyMaterial?: boolean } = {}): Finding[] {
  const findings: Finding[] = [];
  const lineAt = (index: number): number => text.slice(0, index).split("\n").length;
  for (const { rule, pattern, confirm } of patternRules) {
    if (options.allowOwnKeyMaterial && rule.startsWith("private key")) continue;
    for (const match of text.matchAll(pattern)) {
      if (confirm && !confirm(match[0])) continue;
      findings.push({ source, line: lineAt(match.index), rule, excerpt: excerptOf(match[0]) });
    }
  }
  for (const secret of known) {
    for (const { rule, needle } of knownNeedles(secret)) {
      let at = text.indexOf(needle);
      while (at !== -1) {
        findings.push({ source, line: lineAt(at), rule, excerpt: excerptOf(needle) });
        at = text.indexOf(needle, at + needle.length);
      }
    }
  }
  return findings;
}

/** A host's own key material, which must hold a private key: its SSH host keys and its kubelet's keys. */
export function isOwnKeyMaterial(hostPath: string): boolean {
  return /^\/etc\/ssh\/ssh_host_[a-z0-9]+_key$/.test(hostPath) || /^\/var\/lib\/kubelet\/pki\/[\w.-]+\.(key|pem)$/.test(hostPath);
}

/** Text worth scanning: not a binary (no NUL byte in its first 8 KiB). */
export function looksLikeText(content: Buffer): boolean {
  return !content.subarray(0, 8192).includes(0);
}

export function formatFindings(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.source}:${f.line}: ${f.rule}: ${f.excerpt}`);
}
