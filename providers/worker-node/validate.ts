import { isFingerprint, parseHostKey } from "../host/host-key";
import { resolveDrainOptions } from "../drain/options";
import { dropInProblem } from "./drop-in";
import { parseDurationSeconds } from "./duration";
import { parseKubernetesVersion, versionFloorProblem } from "./version";
import { textRuleFailures } from "./text-rules";

/** A problem with one input property, in the shape Pulumi's `check` returns. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** What preview passes for values not known yet (outputs of other resources). They are checked at `up`. */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

type Rule = (value: unknown, property: string) => string | undefined;

class Checker {
  readonly failures: CheckFailure[] = [];

  /** Applies a rule unless the value is absent or not known yet. */
  field(value: unknown, property: string, rule: Rule): void {
    if (value === undefined || value === null || value === unknownValue) return;
    const reason = rule(value, property);
    if (reason) this.failures.push({ property, reason });
  }

  fail(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }
}

/** RFC 1123 subdomain, the rule for Node names (and label/taint key prefixes). */
export function dnsSubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return `must be at most 253 characters, got ${value.length}`;
  if (!value.split(".").every((label) => dnsLabel.test(label))) {
    return `must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (RFC 1123), got ${JSON.stringify(value)}`;
  }
  return undefined;
}

const isString: Rule = (v) => (typeof v === "string" ? undefined : `must be a string, got ${typeof v}`);
const nonEmptyString: Rule = (v) => isString(v, "") ?? ((v as string).trim() ? undefined : "must not be empty");
const isBoolean: Rule = (v) => (typeof v === "boolean" ? undefined : `must be true or false, got ${JSON.stringify(v)}`);
const integerIn = (min: number, max: number): Rule => (v) =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
    ? undefined
    : `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`;

const hostRule: Rule = (v) =>
  nonEmptyString(v, "") ??
  (/^[A-Za-z0-9.:_-]+$/.test(v as string) && !(v as string).includes("://")
    ? undefined
    : `must be a host name or IP address (no scheme, port or spaces), got ${JSON.stringify(v)}`);

const hostKeyRule: Rule = (v) => {
  if (typeof v !== "string") return `must be a string, got ${typeof v}`;
  // One key on one line: a newline would smuggle a second key into what the connection trusts.
  const control = controlCharacterProblem(v.trim(), { why: "pin one key, on one line" });
  if (control) return control;
  if (isFingerprint(v)) return undefined;
  try {
    parseHostKey(v);
    return undefined;
  } catch (error) {
    return `must be an OpenSSH public key line ("ssh-ed25519 AAAA…", as ssh-keyscan prints) or a SHA256: fingerprint: ${(error as Error).message}`;
  }
};

const userRule: Rule = (v) =>
  nonEmptyString(v, "") ?? (/^[a-z_][a-z0-9_.-]*\$?$/i.test(v as string) ? undefined : `is not a valid user name: ${JSON.stringify(v)}`);

const endpointRule: Rule = (v) => {
  if (typeof v !== "string") return `must be a string, got ${typeof v}`;
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    return `must be host:port (e.g. "10.0.0.10:6443"), without a scheme, got ${JSON.stringify(v)}`;
  }
  return undefined;
};

function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    const problem = dnsSubdomainProblem(prefix);
    if (problem) return `prefix "${prefix}" ${problem}`;
  }
  if (name.length === 0 || name.length > 63 || !labelName.test(name)) {
    return `name "${name}" must be 1-63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return `must be a string, got ${typeof value}`;
  if (value === "") return undefined;
  return value.length <= 63 && labelName.test(value)
    ? undefined
    : `value ${JSON.stringify(value)} must be at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
}

function checkEndpoint(c: Checker, endpoint: Record<string, unknown>, path: string): void {
  c.field(endpoint.host, `${path}.host`, hostRule);
  if (endpoint.host === undefined) c.fail(`${path}.host`, "is required: the address the SSH connection dials");
  c.field(endpoint.port, `${path}.port`, integerIn(1, 65535));
  c.field(endpoint.user, `${path}.user`, userRule);
  c.field(endpoint.privateKey, `${path}.privateKey`, (v) =>
    isString(v, "") ?? (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v as string) ? undefined : "must be a PEM or OpenSSH private key (-----BEGIN … PRIVATE KEY-----); pass the key's text, not its path"),
  );
  c.field(endpoint.password, `${path}.password`, isString);
  c.field(endpoint.privateKeyPassword, `${path}.privateKeyPassword`, isString);
  c.field(endpoint.agentSocketPath, `${path}.agentSocketPath`, nonEmptyString);
  c.field(endpoint.hostKey, `${path}.hostKey`, hostKeyRule);
  c.field(endpoint.perDialTimeout, `${path}.perDialTimeout`, integerIn(1, 3600));
  c.field(endpoint.dialErrorLimit, `${path}.dialErrorLimit`, integerIn(1, 100));
  const credentials = [endpoint.privateKey, endpoint.password, endpoint.agentSocketPath].filter((v) => v !== undefined && v !== null);
  if (credentials.length === 0) {
    c.fail(path, "needs one of privateKey, password or agentSocketPath to log in");
  }
}

function checkLabels(c: Checker, labels: unknown): void {
  if (labels === undefined || labels === unknownValue) return;
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
    c.fail("labels", "must be a map of label keys to values");
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key);
    if (problem) c.fail(`labels["${key}"]`, `is not a valid label key: ${problem}`);
    if (value === unknownValue) continue;
    const valueProblem = labelValueProblem(value);
    if (valueProblem) c.fail(`labels["${key}"]`, valueProblem);
  }
}

function checkTaints(c: Checker, taints: unknown): void {
  if (taints === undefined || taints === unknownValue) return;
  if (!Array.isArray(taints)) {
    c.fail("taints", "must be a list of { key, value?, effect }");
    return;
  }
  const seen = new Set<string>();
  taints.forEach((taint: Record<string, unknown>, i) => {
    const path = `taints[${i}]`;
    if (typeof taint.key !== "string") {
      c.fail(`${path}.key`, "is required and must be a string");
    } else {
      const problem = labelKeyProblem(taint.key);
      if (problem) c.fail(`${path}.key`, `is not a valid taint key: ${problem}`);
    }
    if (taint.value !== undefined) {
      const problem = labelValueProblem(taint.value);
      if (problem) c.fail(`${path}.value`, problem);
    }
    if (!taintEffects.includes(taint.effect as string)) {
      c.fail(`${path}.effect`, `must be one of ${taintEffects.join(", ")}, got ${JSON.stringify(taint.effect)}`);
    }
    const identity = `${String(taint.key)}:${String(taint.effect)}`;
    if (seen.has(identity)) c.fail(path, `duplicates the taint ${identity}: a node holds one taint per key and effect`);
    seen.add(identity);
  });
}

/** True when the text holds a control character (C0, DEL), which no URL, image or deb line may. */
function hasControlCharacter(text: string): boolean {
  return [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
}

/** An http(s) URL that can stand on a deb line or in a TOML string: no spaces, quotes, backslashes or control characters. */
function isPlainHttpUrl(v: unknown): boolean {
  return typeof v === "string" && /^https?:\/\/[^\s"'\\]+$/.test(v) && !hasControlCharacter(v);
}

/** An apt source's URL, distribution and key, as the deb line and keyring file need them (shared by containerd and packages). */
function checkAptSource(c: Checker, source: Record<string, unknown>, prefix: string, what: string): void {
  c.field(source.aptRepository, `${prefix}.aptRepository`, (v) =>
    isPlainHttpUrl(v) ? undefined : `must be an http:// or https:// URL without spaces or quotes, got ${JSON.stringify(v)}`,
  );
  // It lands on the deb line of a file under /etc/apt: a newline would add a source of its own.
  c.field(source.aptDistribution, `${prefix}.aptDistribution`, (v) =>
    nonEmptyString(v, "") ?? (/^[A-Za-z0-9./_ -]+$/.test(v as string) ? undefined : `must be a suite and components ("bookworm stable") or "./" for a flat repository: letters, digits, '.', '/', '_', '-' and spaces only, got ${JSON.stringify(v)}`),
  );
  c.field(source.aptKey, `${prefix}.aptKey`, (v) =>
    typeof v === "string" && v.includes("-----BEGIN PGP PUBLIC KEY BLOCK-----") && !v.includes("\0") && !v.includes("\x1b")
      ? undefined
      : "must be the repository's ASCII-armored public key (-----BEGIN PGP PUBLIC KEY BLOCK-----)",
  );
  if (source.aptRepository !== undefined && source.aptKey === undefined) {
    c.fail(`${prefix}.aptKey`, `is required with ${prefix}.aptRepository: ${what} from an unsigned repository would run as root on the host unverified`);
  }
}

function checkContainerd(c: Checker, containerd: Record<string, unknown> | undefined): void {
  if (!containerd || (containerd as unknown) === unknownValue) return;
  c.field(containerd.sandboxImage, "containerd.sandboxImage", (v) =>
    nonEmptyString(v, "") ?? (/[\s"'\\]/.test(v as string) || hasControlCharacter(v as string) ? "must be an image reference without spaces, quotes or control characters" : undefined),
  );
  checkAptSource(c, containerd, "containerd", "containerd");
  c.field(containerd.package, "containerd.package", (v) =>
    typeof v === "string" && /^[a-z0-9][a-z0-9+.-]+$/.test(v) ? undefined : `must be a Debian package name (lowercase letters, digits, '+', '-', '.'), got ${JSON.stringify(v)}`,
  );
  c.field(containerd.upgrade, "containerd.upgrade", isBoolean);
  c.field(containerd.configDropIn, "containerd.configDropIn", dropInProblem);
  const mirrors = containerd.registryMirrors;
  if (mirrors === undefined || mirrors === unknownValue) return;
  if (typeof mirrors !== "object" || mirrors === null || Array.isArray(mirrors)) {
    c.fail("containerd.registryMirrors", 'must map a registry host to a list of mirror URLs, e.g. { "docker.io": ["https://mirror:5000"] }');
    return;
  }
  for (const [registry, endpoints] of Object.entries(mirrors as Record<string, unknown>)) {
    const path = `containerd.registryMirrors["${registry}"]`;
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(registry)) c.fail(path, "registry must be a host name with an optional port");
    if (!Array.isArray(endpoints) || endpoints.length === 0 || !endpoints.every(isPlainHttpUrl)) {
      c.fail(path, "must be a non-empty list of http:// or https:// URLs");
    }
  }
}

function checkPackages(c: Checker, packages: Record<string, unknown> | undefined): void {
  if (!packages || (packages as unknown) === unknownValue) return;
  checkAptSource(c, packages, "packages", "packages");
}

/** C0 controls (newline included), DEL, C1 controls and the Unicode line and paragraph separators. */
function isControlCharacter(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/**
 * Refuses a control character (a newline above all) in text that ends up in a file on the host:
 * one newline in aptDistribution adds a line of our choosing to an apt source, one in a mirror URL
 * a section to containerd's hosts.toml. `allowed` lists the characters the value may hold (the
 * newlines of an armored key).
 */
export function controlCharacterProblem(value: string, { allowed = "", why = "it is written into a file on the host" } = {}): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (isControlCharacter(ch.charCodeAt(0)) && !allowed.includes(ch)) {
      const code = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
      return `must not contain newlines or control characters (found ${code} at position ${i}): ${why}`;
    }
  }
  return undefined;
}

const singleLineText: Rule = (v) => (typeof v === "string" ? controlCharacterProblem(v) : undefined);

/** Every free-text input that reaches a file on the host, checked for control characters. */
function checkHostFileText(c: Checker, news: Record<string, unknown>): void {
  const containerd = news.containerd as Record<string, unknown> | undefined;
  if (containerd && (containerd as unknown) !== unknownValue) {
    c.field(containerd.sandboxImage, "containerd.sandboxImage", singleLineText);
    const mirrors = containerd.registryMirrors;
    if (mirrors && mirrors !== unknownValue && typeof mirrors === "object" && !Array.isArray(mirrors)) {
      for (const [registry, endpoints] of Object.entries(mirrors as Record<string, unknown>)) {
        const path = `containerd.registryMirrors[${JSON.stringify(registry)}]`;
        const keyProblem = controlCharacterProblem(registry);
        if (keyProblem) c.fail(path, `registry ${keyProblem}`);
        if (Array.isArray(endpoints)) endpoints.forEach((endpoint, i) => c.field(endpoint, `${path}[${i}]`, singleLineText));
      }
    }
  }
  const packages = news.packages as Record<string, unknown> | undefined;
  if (packages && (packages as unknown) !== unknownValue) {
    c.field(packages.aptRepository, "packages.aptRepository", singleLineText);
    c.field(packages.aptDistribution, "packages.aptDistribution", singleLineText);
    c.field(packages.aptKey, "packages.aptKey", (v) => (typeof v === "string" ? controlCharacterProblem(v, { allowed: "\n\r" }) : undefined));
  }
}

const kubernetesVersionRule: Rule = (v) => {
  const parsed = typeof v === "string" ? parseKubernetesVersion(v) : undefined;
  if (!parsed || parsed.major !== 1) return `must be a Kubernetes release like "1.36.3" or "v1.36.3", got ${JSON.stringify(v)}`;
  return versionFloorProblem(parsed);
};

/** Checks the inputs of a WorkerNode and lists every problem at once. No I/O: safe at preview. */
export function validateWorkerNodeInputs(news: Record<string, unknown>): CheckFailure[] {
  const c = new Checker();
  const connection = news.connection as Record<string, unknown> | undefined;
  if (connection === undefined) {
    c.fail("connection", "is required: how to reach the host over SSH");
  } else if ((connection as unknown) !== unknownValue) {
    checkEndpoint(c, connection, "connection");
    const proxy = connection.proxy as Record<string, unknown> | undefined;
    if (proxy !== undefined && (proxy as unknown) !== unknownValue) checkEndpoint(c, proxy, "connection.proxy");
  }
  const cluster = (news.cluster ?? {}) as Record<string, unknown>;
  if ((cluster as unknown) !== unknownValue) {
    c.field(cluster.kubeconfig, "cluster.kubeconfig", (v) =>
      nonEmptyString(v, "") ?? (/\bclusters"?\s*:/.test(v as string) ? undefined : "must be the text of a kubeconfig, YAML or JSON (it has no clusters section); pass the file's content, not its path"),
    );
    c.field(cluster.apiServerEndpoint, "cluster.apiServerEndpoint", endpointRule);
  }
  c.field(news.nodeName, "nodeName", (v) => nonEmptyString(v, "") ?? dnsSubdomainProblem(v as string));
  c.field(news.kubernetesVersion, "kubernetesVersion", kubernetesVersionRule);
  checkLabels(c, news.labels);
  checkTaints(c, news.taints);
  checkContainerd(c, news.containerd as Record<string, unknown> | undefined);
  checkPackages(c, news.packages as Record<string, unknown> | undefined);
  checkHostFileText(c, news);
  c.field(news.joinTimeout, "joinTimeout", (v) => {
    const parsed = parseDurationSeconds(v);
    return typeof parsed === "string" ? parsed : undefined;
  });
  c.field(news.reset, "reset", isBoolean);
  c.field(news.adopt, "adopt", isBoolean);
  const kubeadm = news.kubeadm as Record<string, unknown> | undefined;
  if (kubeadm && (kubeadm as unknown) !== unknownValue) {
    c.field(kubeadm.ignorePreflightErrors, "kubeadm.ignorePreflightErrors", (v) => {
      if (!Array.isArray(v) || !v.every((e) => typeof e === "string" && /^[A-Za-z0-9-]+$/.test(e))) {
        return 'must be a list of kubeadm preflight check names, e.g. ["SystemVerification"]';
      }
      return v.some((e) => (e as string).toLowerCase() === "all") ? 'must name the checks to skip: "all" would hide real problems' : undefined;
    });
  }
  if (news.drain !== undefined && news.drain !== unknownValue) {
    const drain = resolveDrainOptions(news.drain);
    if (!drain.ok) {
      for (const failure of drain.failures) {
        const [property = "drain", ...rest] = failure.split(" ");
        c.fail(property, rest.join(" "));
      }
    }
  }
  return [...c.failures, ...textRuleFailures(news, c.failures)];
}
