import { createHash } from "node:crypto";

/** An SSH host public key as the server presents it (and as OpenSSH writes it in known_hosts). */
export interface HostKey {
  /** Key type as written in the key line, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  readonly type: string;
  /** The raw public key blob (the base64-decoded second field of an OpenSSH key line). */
  readonly blob: Buffer;
}

export type HostKeyMatch =
  | { readonly ok: true; readonly fingerprint: string }
  | { readonly ok: false; readonly expected: string; readonly actual: string };

const keyTypes = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

/** The OpenSSH fingerprint of a key blob: `SHA256:` + unpadded base64 of its SHA-256. */
export function fingerprintOf(blob: Buffer): string {
  return "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}

/** The key type written inside an SSH key blob (its first length-prefixed string). */
function typeInsideBlob(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) return undefined;
  return blob.subarray(4, 4 + length).toString("latin1");
}

/**
 * Parses an OpenSSH public key line (`ssh-ed25519 AAAA… [comment]`, as in `ssh-keyscan` output
 * without the host name, or a `.pub` file). Throws with the rule that was broken.
 */
export function parseHostKey(line: string): HostKey {
  const fields = line.trim().split(/\s+/);
  const [type, base64] = fields;
  if (!type || !base64) {
    throw new Error(`expected an OpenSSH public key line "<type> <base64> [comment]", got ${JSON.stringify(line)}`);
  }
  if (!keyTypes.has(type)) {
    throw new Error(`unknown SSH key type "${type}" (expected one of ${[...keyTypes].join(", ")})`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw new Error(`the key data of the "${type}" key is not base64`);
  }
  const blob = Buffer.from(base64, "base64");
  const inside = typeInsideBlob(blob);
  if (inside !== type) {
    throw new Error(`the key data says "${inside ?? "nothing"}" but the line says "${type}": the key line is corrupt`);
  }
  return { type, blob };
}

/** True when the text is a `SHA256:` fingerprint rather than a whole key line. */
export function isFingerprint(pinned: string): boolean {
  return /^SHA256:[A-Za-z0-9+/]{43}$/.test(pinned.trim());
}

/**
 * Compares the key a server presented with a pinned key, given either as an OpenSSH public key
 * line or as its `SHA256:` fingerprint. Both sides of a mismatch are reported as fingerprints,
 * the form `ssh-keygen -lf` and `ssh` print, so a human can compare them.
 */
export function matchHostKey(pinned: string, presented: HostKey): HostKeyMatch {
  const actual = fingerprintOf(presented.blob);
  const expected = isFingerprint(pinned) ? pinned.trim() : fingerprintOf(parseHostKey(pinned).blob);
  return expected === actual ? { ok: true, fingerprint: actual } : { ok: false, expected, actual };
}

/** The handshake signature algorithms (ssh2's names) a host key of each type signs with. */
const signatureAlgorithmsByKeyType: Readonly<Record<string, readonly string[]>> = {
  "ssh-ed25519": ["ssh-ed25519"],
  "ecdsa-sha2-nistp256": ["ecdsa-sha2-nistp256"],
  "ecdsa-sha2-nistp384": ["ecdsa-sha2-nistp384"],
  "ecdsa-sha2-nistp521": ["ecdsa-sha2-nistp521"],
  "ssh-rsa": ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
};

/**
 * The host key algorithms to offer in the handshake for a pinned key line: only those of its own
 * type. A server holding several host keys presents the one the client prefers; offering only the
 * pinned type makes it present the pinned key (an ECDSA pin would otherwise meet the host's
 * Ed25519 key and be refused), and no server can steer the handshake to a type we did not pin.
 * Undefined (the client's defaults) with no pin, a `SHA256:` pin (its type is not in it) or a type
 * the client cannot verify (the pin then fails with both fingerprints named).
 */
export function hostKeyAlgorithms(pinned: string | undefined): string[] | undefined {
  if (!pinned || isFingerprint(pinned)) return undefined;
  const algorithms = signatureAlgorithmsByKeyType[parseHostKey(pinned).type];
  return algorithms ? [...algorithms] : undefined;
}

/** Which hop of a connection a key belongs to, and the input that pins it. */
export type Hop = "host" | "bastion";
const pinInputOf: Record<Hop, string> = { host: "connection.hostKey", bastion: "connection.proxy.hostKey" };

/**
 * The refusal of a hop that presented another key than the one pinned or recorded for it: both
 * fingerprints, and the input that re-pins that hop when the change is deliberate.
 */
export function hostKeyMismatchMessage(hop: Hop, endpoint: { readonly host: string; readonly address: string; readonly via: string }, mismatch: { readonly expected: string; readonly actual: string }): string {
  return (
    `host key of ${endpoint.address}${endpoint.via} does not match the pinned key: expected ${mismatch.expected}, got ${mismatch.actual}. ` +
    `If the ${hop} was reinstalled on purpose, set ${pinInputOf[hop]} to its new key (ssh-keyscan -t ed25519 ${endpoint.host}); otherwise do not connect: someone may be in the middle.`
  );
}
