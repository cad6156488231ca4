// Rules for text that reaches a host (a file, a command's argument, a path) or names one, beyond
// the shape checks of validate.ts: no control characters, no shell or apt syntax, no path
// traversal, bounded lengths, no unknown fields. Pure; validate.ts adds what these find.
import { isIP } from "node:net";
import { unknownNameReason } from "../closest-name";
import type { CheckFailure } from "./validate";

/** What preview passes for values not known yet (validate.ts's unknownValue; repeated to keep this module a leaf). */
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Rule = (value: string) => string | undefined;

const show = (value: string): string => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** Control characters (newline, tab, NUL, …) end a line in every file format a host reads. */
function noControl(value: string): string | undefined {
  const found = [...value].find((c) => isControl(c.charCodeAt(0)));
  return found === undefined
    ? undefined
    : `must not contain control characters (found U+${found.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}): it is written into a file on the host`;
}

function atMost(max: number): Rule {
  return (value) => (value.length > max ? `must be at most ${max} characters, got ${value.length}` : undefined);
}

const all =
  (...rules: Rule[]): Rule =>
  (value) => {
    for (const rule of rules) {
      const problem = rule(value);
      if (problem) return problem;
    }
    return undefined;
  };

const dnsName = /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*$/;

/** An SSH host: an IP address, or a DNS name of non-empty labels (no "..", no port, no brackets). */
const sshHost: Rule = all(atMost(253), (value) => {
  if (isIP(value)) return undefined;
  if (value.includes(":")) return `must be an IPv4 or IPv6 address or a host name, got ${show(value)} (IPv6 without brackets; the port goes in connection.port)`;
  if (/^[\d.]+$/.test(value)) return `is not a valid IPv4 address: ${show(value)}`;
  return dnsName.test(value) ? undefined : `must be a host name of dot-separated labels (letters, digits, '-'), got ${show(value)}`;
});

/** Linux user names are at most 32 characters (useradd's limit). */
const userName: Rule = atMost(32);

/** Characters a URL written into a host file may hold: RFC 3986's, without those shells and apt treat specially. */
const plainUrlCharacters = /^[A-Za-z0-9\-._~:/?#[\]@!+,=%]+$/;

const httpUrl: Rule = all(noControl, atMost(2048), (value) => {
  if (!plainUrlCharacters.test(value)) {
    return `must be a plain http:// or https:// URL (letters, digits and - . _ ~ : / ? # [ ] @ ! + , = %; percent-encode anything else), got ${show(value)}`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a URL: ${show(value)}`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must be an http:// or https:// URL, got ${show(value)}`;
  if (url.username || url.password) return "must not hold credentials (user:password@): they would be written in plaintext into the host's files";
  return undefined;
});

/** apt's distribution field: a suite path ("/", "./", "stable") optionally followed by components. */
const aptDistribution: Rule = all(noControl, atMost(256), (value) => {
  if (!/^[A-Za-z0-9._~/-]+( [A-Za-z0-9._-]+)*$/.test(value)) {
    return `must be an apt suite ("/", "./", "bookworm") optionally followed by components separated by single spaces, got ${show(value)}`;
  }
  return value.split(/[/ ]/).includes("..") ? `must not climb out of the repository with "..", got ${show(value)}` : undefined;
});

/** An ASCII-armored key is printable ASCII in lines: anything else in the keyring file is not a key. */
const armoredKey: Rule = all(atMost(64 * 1024), (value) =>
  [...value].every((c) => c === "\n" || c === "\r" || (c >= " " && c <= "~"))
    ? undefined
    : "must be the ASCII-armored key as gpg --armor --export prints it: printable ASCII in lines, nothing else",
);

/** A container image reference: [registry[:port]/]path[:tag][@digest], as containerd parses it. */
const imageReference: Rule = all(noControl, atMost(255), (value) => {
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@+=]*$/.test(value)) return `must be an image reference like "registry.k8s.io/pause:3.10", got ${show(value)}`;
  return value.split("/").some((part) => part === "." || part === "..") ? `must not hold "." or ".." path parts, got ${show(value)}` : undefined;
});

/** A registry key of registryMirrors names the directory /etc/containerd/certs.d/<registry>/. */
const registryHost: Rule = all(atMost(253), (value) => {
  const [host = "", port, ...rest] = value.split(":");
  if (rest.length > 0 || !dnsName.test(host) || (port !== undefined && !/^\d{1,5}$/.test(port))) {
    return `registry must be a host name with an optional port (it names the directory /etc/containerd/certs.d/<registry>), got ${show(value)}`;
  }
  return undefined;
});

/** The input properties of a WorkerNode, by the object that holds them ("" the top, "taint" each taint). */
export const workerNodeFields: Readonly<Record<string, readonly string[]>> = {
  "": ["connection", "cluster", "nodeName", "kubernetesVersion", "containerd", "packages", "labels", "taints", "joinTimeout", "reset", "kubeadm", "drain", "owner", "adopt"],
  connection: ["host", "port", "user", "password", "privateKey", "privateKeyPassword", "agentSocketPath", "hostKey", "perDialTimeout", "dialErrorLimit", "proxy"],
  "connection.proxy": ["host", "port", "user", "password", "privateKey", "privateKeyPassword", "agentSocketPath", "hostKey", "perDialTimeout", "dialErrorLimit"],
  cluster: ["kubeconfig", "apiServerEndpoint"],
  containerd: ["sandboxImage", "registryMirrors", "aptRepository", "aptDistribution", "aptKey", "package", "upgrade", "configDropIn"],
  packages: ["aptRepository", "aptDistribution", "aptKey"],
  kubeadm: ["ignorePreflightErrors"],
  taint: ["key", "value", "effect"],
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keys the provider does not know: a typo ("lables") would otherwise be dropped without a word. */
function unknownFields(object: unknown, path: string, known: readonly string[]): CheckFailure[] {
  if (!isObject(object)) return [];
  return Object.keys(object)
    // Pulumi's own fields (the serialized dynamic provider travels as __provider).
    .filter((key) => !key.startsWith("__") && !known.includes(key))
    .map((key) => ({ property: path ? `${path}.${key}` : key, reason: unknownNameReason(key, known, "a WorkerNode input", { knownLabel: "known here" }) }));
}

/** Text the rules above look at: property path and value, for every such field present as a string. */
function textFields(news: Record<string, unknown>): [string, string, Rule][] {
  const fields: [string, unknown, Rule][] = [];
  const connection = isObject(news.connection) ? news.connection : {};
  for (const [path, endpoint] of [
    ["connection", connection],
    ["connection.proxy", connection.proxy],
  ] as const) {
    if (!isObject(endpoint)) continue;
    fields.push([`${path}.host`, endpoint.host, sshHost], [`${path}.user`, endpoint.user, userName]);
  }
  const packages = isObject(news.packages) ? news.packages : {};
  const containerd = isObject(news.containerd) ? news.containerd : {};
  // Both apt sources reach the host the same way: a deb line, a keyring, and messages that name the URL.
  for (const [path, source] of [
    ["packages", packages],
    ["containerd", containerd],
  ] as const) {
    fields.push(
      [`${path}.aptRepository`, source.aptRepository, httpUrl],
      [`${path}.aptDistribution`, source.aptDistribution, aptDistribution],
      [`${path}.aptKey`, source.aptKey, armoredKey],
    );
  }
  fields.push(["containerd.sandboxImage", containerd.sandboxImage, imageReference]);
  if (isObject(containerd.registryMirrors)) {
    for (const [registry, endpoints] of Object.entries(containerd.registryMirrors)) {
      const path = `containerd.registryMirrors["${registry}"]`;
      fields.push([path, registry, registryHost]);
      if (Array.isArray(endpoints)) endpoints.forEach((endpoint, i) => fields.push([`${path}[${i}]`, endpoint, httpUrl]));
    }
  }
  return fields.filter((field): field is [string, string, Rule] => typeof field[1] === "string" && field[1] !== unknownValue);
}

/**
 * The problems these rules find in a WorkerNode's inputs, leaving out properties validate.ts has
 * already refused (`already`), so each problem is named once.
 */
export function textRuleFailures(news: Record<string, unknown>, already: readonly CheckFailure[]): CheckFailure[] {
  const failures: CheckFailure[] = [
    ...unknownFields(news, "", workerNodeFields[""] ?? []),
    ...(["connection", "connection.proxy", "cluster", "containerd", "packages", "kubeadm"] as const).flatMap((path) => {
      const value = path.split(".").reduce<unknown>((object, key) => (isObject(object) ? object[key] : undefined), news);
      return unknownFields(value, path, workerNodeFields[path] ?? []);
    }),
    ...(Array.isArray(news.taints) ? news.taints.flatMap((taint, i) => unknownFields(taint, `taints[${i}]`, workerNodeFields.taint ?? [])) : []),
  ];
  for (const [property, value, rule] of textFields(news)) {
    const reason = rule(value);
    if (reason) failures.push({ property, reason });
  }
  const refused = new Set(already.map((f) => f.property));
  // A registry's mirror list is refused under the registry's own path: count its entries as refused too.
  const isRefused = (property: string) => refused.has(property) || [...refused].some((p) => property.startsWith(`${p}[`));
  return failures.filter((f) => !isRefused(f.property));
}
