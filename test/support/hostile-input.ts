// A corpus of hostile input, shared by the unit run (stackProblems and validateWorkerNodeInputs on
// each case) and the e2e runs on the lab: `pulumi preview` of the stack program (previewGroups, many
// entries per preview) and of a program of the user's own that builds one WorkerNode per preview
// (checkGroups). Each case is one thing a user, a template or an attacker could write into the stack
// config or a WorkerNode's inputs; each must be refused, naming its field, before anything is dialled.
import { drainOptionNames } from "../../providers/drain/options";
import { workerNodeFields } from "../../providers/worker-node/text-rules";
import { entryFields } from "../../stacks/entries";
import { entryInputs, stackConfigKeys, type StackSettings } from "../../stacks/stack-problems";

/** Node-entry fields of the stack program (stacks/entries.ts), and any field it does not have. */
export interface HostileEntry {
  readonly [field: string]: unknown;
  readonly name?: unknown;
  readonly host?: unknown;
  readonly port?: unknown;
  readonly user?: unknown;
  readonly hostKey?: unknown;
  readonly nodeName?: unknown;
  readonly labels?: unknown;
  readonly taints?: unknown;
}

export interface HostileCase {
  /** Short and unique: the stack entry's name in the e2e run, so the problem line names the case. */
  readonly id: string;
  readonly description: string;
  /** The start of the property the refusal must name, e.g. `packages.aptDistribution` or `labels["tier`. */
  readonly field: string;
  /** Fields of the case's own node entry. */
  readonly entry?: HostileEntry;
  /** Stack-level config (kubeadm-workers:<key>), deep-merged over the valid lab config. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** WorkerNode inputs the stack program cannot write (a bastion), deep-merged over the ones it builds. */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** Only the stack program sees it (an entry's name or unknown field, a config key): no WorkerNode input carries it. */
  readonly stackOnly?: boolean;
  /** Only a program of the user's own can write it (`inputs`): the stack program has no such field. */
  readonly resourceOnly?: boolean;
  /** The known name the refusal must suggest ("did you mean …?"). */
  readonly suggests?: string;
}

/** Shell metacharacters, quotes, whitespace and control characters: each goes into every free-text field. */
export const metacharacters: readonly string[] = [
  ";", "&", "|", "<", ">", "(", ")", "$", "`", "\\", '"', "'", " ", "\t", "\n", "\r", "*", "?", "[", "]", "#", "~", "{", "}", "!", "\u0000", "\u001b", "$(id)", "`id`", "${IFS}",
];

const visible = (s: string): string => JSON.stringify(s);

interface FreeTextField {
  readonly name: string;
  readonly field: (fragment: string) => string;
  /** Characters the field legitimately holds (a URL's `?`, an apt line's single space): not hostile there. */
  readonly allows: string;
  readonly entry?: (fragment: string) => HostileEntry;
  readonly config?: (fragment: string, index: number) => Record<string, unknown>;
  readonly inputs?: (fragment: string) => Record<string, unknown>;
  readonly stackOnly?: boolean;
  readonly resourceOnly?: boolean;
}

/** Every printable ASCII character: text the host receives only inside single quotes, never parsed by a shell, may hold any. */
const printableAscii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join("");

/** An ASCII-armored key around a body line. */
const armored = (body: string): string => `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGP${body}\n-----END PGP PUBLIC KEY BLOCK-----\n`;

/** A bastion the stack program cannot write: only a WorkerNode built in a program of the user's own has one. */
const bastion = (endpoint: Record<string, unknown>): Record<string, unknown> => ({
  connection: { proxy: { host: "10.213.0.1", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", ...endpoint } },
});

const freeTextFields: readonly FreeTextField[] = [
  { name: "entry name", field: () => "name", allows: "", entry: (f) => ({ name: `web${f}1` }), stackOnly: true },
  { name: "host", field: () => "connection.host", allows: "", entry: (f) => ({ host: `lab${f}host` }) },
  { name: "user", field: () => "connection.user", allows: "", entry: (f) => ({ user: `ops${f}user` }) },
  { name: "sshUser config key", field: () => "connection.user", allows: "", config: (f) => ({ sshUser: `ops${f}user` }) },
  { name: "node name", field: () => "nodeName", allows: "", entry: (f) => ({ nodeName: `web${f}1` }) },
  { name: "label key", field: () => 'labels["tier', allows: "", entry: (f) => ({ labels: { [`tier${f}x`]: "web" } }) },
  { name: "label value", field: () => 'labels["tier"]', allows: "", entry: (f) => ({ labels: { tier: `web${f}1` } }) },
  { name: "taint key", field: () => "taints[0].key", allows: "", entry: (f) => ({ taints: [{ key: `dedicated${f}x`, effect: "NoSchedule" }] }) },
  { name: "taint value", field: () => "taints[0].value", allows: "", entry: (f) => ({ taints: [{ key: "dedicated", value: `web${f}1`, effect: "NoSchedule" }] }) },
  { name: "API endpoint", field: () => "cluster.apiServerEndpoint", allows: "", config: (f) => ({ apiServerEndpoint: `10.213.0.1${f}x:6443` }) },
  { name: "Kubernetes version", field: () => "kubernetesVersion", allows: "", config: (f) => ({ kubernetesVersion: `1.36${f}.3` }) },
  { name: "apt repository", field: () => "packages.aptRepository", allows: "?#[]!~", config: (f) => ({ packages: { aptRepository: `http://10.213.0.1:8080/kube${f}x/` } }) },
  { name: "apt distribution", field: () => "packages.aptDistribution", allows: " ~", config: (f) => ({ packages: { aptDistribution: `stable${f}x` } }) },
  { name: "sandbox image", field: () => "containerd.sandboxImage", allows: "", config: (f) => ({ containerd: { sandboxImage: `registry.k8s.io/pause${f}x:3.10` } }) },
  {
    name: "mirror registry",
    field: (f) => `containerd.registryMirrors["mirror${f}x`,
    allows: "",
    config: (f) => ({ containerd: { registryMirrors: { [`mirror${f}x.example`]: ["https://m.example"] } } }),
  },
  {
    name: "mirror URL",
    field: (f) => `containerd.registryMirrors["r${metacharacters.indexOf(f)}.example"]`,
    allows: "?#[]!~",
    config: (f) => ({ containerd: { registryMirrors: { [`r${metacharacters.indexOf(f)}.example`]: [`https://m.example/v2${f}x`] } } }),
  },
  { name: "join timeout", field: () => "joinTimeout", allows: "", config: (f) => ({ joinTimeout: `1${f}0m` }) },
  { name: "preflight check name", field: () => "kubeadm.ignorePreflightErrors", allows: "", config: (f) => ({ kubeadm: { ignorePreflightErrors: [`Swap${f}x`] } }) },
  { name: "containerd apt repository", field: () => "containerd.aptRepository", allows: "?#[]!~", config: (f) => ({ containerd: { aptRepository: `http://10.213.0.1:8080/containerd${f}x/` } }) },
  { name: "containerd apt distribution", field: () => "containerd.aptDistribution", allows: " ~", config: (f) => ({ containerd: { aptDistribution: `bookworm${f}x` } }) },
  // A key travels single-quoted into its keyring file: printable text (an armor header's comment) and its line breaks are the key's own.
  { name: "containerd apt key", field: () => "containerd.aptKey", allows: `${printableAscii}\n\r`, config: (f) => ({ containerd: { aptKey: armored(`${f}x`) } }) },
  { name: "apt key", field: () => "packages.aptKey", allows: `${printableAscii}\n\r`, config: (f) => ({ packages: { aptKey: armored(`${f}x`) } }) },
  { name: "containerd package", field: () => "containerd.package", allows: "", config: (f) => ({ containerd: { package: `containerd${f}io` } }) },
  // TOML travels single-quoted into its file: quotes, brackets, '=', '#', tabs and newlines are TOML's own.
  { name: "containerd drop-in", field: () => "containerd.configDropIn", allows: `${printableAscii}\t\n`, config: (f) => ({ containerd: { configDropIn: `version = 3\n# a comment${f}x\n` } }) },
  { name: "bastion host", field: () => "connection.proxy.host", allows: "", inputs: (f) => bastion({ host: `bastion${f}host` }), resourceOnly: true },
  { name: "bastion user", field: () => "connection.proxy.user", allows: "", inputs: (f) => bastion({ user: `ops${f}user` }), resourceOnly: true },
];

function generated(): HostileCase[] {
  const cases: HostileCase[] = [];
  freeTextFields.forEach((field, fieldIndex) => {
    metacharacters.forEach((fragment, fragmentIndex) => {
      if ([...fragment].every((c) => field.allows.includes(c))) return;
      cases.push({
        id: `m${fieldIndex}x${fragmentIndex}`,
        description: `${visible(fragment)} in the ${field.name}`,
        field: field.field(fragment),
        ...(field.entry ? { entry: field.entry(fragment) } : {}),
        ...(field.config ? { config: field.config(fragment, fragmentIndex) } : {}),
        ...(field.inputs ? { inputs: field.inputs(fragment) } : {}),
        ...(field.stackOnly ? { stackOnly: true } : {}),
        ...(field.resourceOnly ? { resourceOnly: true } : {}),
      });
    });
  });
  return cases;
}

/** A typo of a name: two neighbouring letters swapped (`lbaels`), or the last one dropped (`label`). */
function typo(name: string, kind: number): string {
  if (kind % 2 === 1) return name.slice(0, -1);
  const at = [...name].findIndex((c, i) => i > 0 && i + 1 < name.length && c !== name[i + 1]);
  return `${name.slice(0, at)}${name[at + 1]}${name[at]}${name.slice(at + 2)}`;
}

/** One misspelling of every name the stack knows: entry fields, config keys, and the fields inside each config object. */
function misspelt(): HostileCase[] {
  const cases: Omit<HostileCase, "id">[] = [];
  entryFields.forEach((field, i) => {
    const wrong = typo(field, i);
    cases.push({ description: `the entry field ${field} misspelt ${wrong}`, field: wrong, suggests: field, entry: { [wrong]: "x" }, stackOnly: true });
  });
  stackConfigKeys.forEach((key, i) => {
    const wrong = typo(key, i);
    cases.push({ description: `the config key ${key} misspelt ${wrong}`, field: `kubeadm-workers:${wrong}`, suggests: `kubeadm-workers:${key}`, config: { [wrong]: "x" }, stackOnly: true });
  });
  for (const object of ["packages", "containerd", "kubeadm", "drain"] as const) {
    const known = object === "drain" ? drainOptionNames : (workerNodeFields[object] ?? []);
    known.forEach((field, i) => {
      const wrong = typo(field, i);
      cases.push({ description: `${object}.${field} misspelt ${wrong}`, field: `${object}.${wrong}`, suggests: field, config: { [object]: { [wrong]: "x" } } });
    });
  }
  (workerNodeFields.taint ?? []).forEach((field, i) => {
    const wrong = typo(field, i);
    cases.push({ description: `a taint's ${field} misspelt ${wrong}`, field: `taints[0].${wrong}`, suggests: field, entry: { taints: [{ key: "k", effect: "NoSchedule", [wrong]: "x" }] } });
  });
  return cases.map((c, i) => ({ id: `t${i}`, ...c }));
}

const long = (n: number, c = "a"): string => c.repeat(n);

/** Cases written by hand: traversal, sizes, types, unknown fields, address edge cases, Kubernetes rules. */
const handWritten: readonly Omit<HostileCase, "id">[] = [
  // path traversal
  { description: "a mirror registry that climbs out of certs.d", field: 'containerd.registryMirrors[".."]', config: { containerd: { registryMirrors: { "..": ["https://m.example"] } } } },
  { description: "a mirror registry that is the certs.d directory itself", field: 'containerd.registryMirrors["."]', config: { containerd: { registryMirrors: { ".": ["https://m.example"] } } } },
  { description: "a mirror registry with a path", field: 'containerd.registryMirrors["docker.io/../../etc"]', config: { containerd: { registryMirrors: { "docker.io/../../etc": ["https://m.example"] } } } },
  { description: "an apt distribution climbing out of the repository", field: "packages.aptDistribution", config: { packages: { aptDistribution: "../../../etc" } } },
  { description: "a sandbox image with .. path parts", field: "containerd.sandboxImage", config: { containerd: { sandboxImage: "registry.k8s.io/../pause:3.10" } } },
  { description: "a node name with a path", field: "nodeName", entry: { nodeName: "../../etc/kubernetes" } },
  { description: "a user that is a path", field: "connection.user", entry: { user: "../root" } },
  { description: "a file:// apt repository", field: "packages.aptRepository", config: { packages: { aptRepository: "file:///etc/apt" } } },
  { description: "an apt key with an escape sequence", field: "packages.aptKey", config: { packages: { aptKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\u001b[2J\n-----END PGP PUBLIC KEY BLOCK-----\n" } } },
  { description: "a containerd apt distribution climbing out of the repository", field: "containerd.aptDistribution", config: { containerd: { aptDistribution: "../../../etc" } } },
  { description: "a file:// containerd apt repository", field: "containerd.aptRepository", config: { containerd: { aptRepository: "file:///etc/apt" } } },
  { description: "a containerd drop-in that imports files of its choosing under a quoted key", field: "containerd.configDropIn", config: { containerd: { configDropIn: '"imports" = ["/tmp/*.toml"]\n' } } },
  { description: "a containerd drop-in that imports under an escaped key", field: "containerd.configDropIn", config: { containerd: { configDropIn: '"\\u0069mports" = ["/tmp/*.toml"]\n' } } },
  { description: "a containerd drop-in of a version containerd 2 cannot read, under a literal key", field: "containerd.configDropIn", config: { containerd: { configDropIn: "'version' = 4\n" } } },
  { description: "a containerd drop-in with a C1 control (an 8-bit terminal escape)", field: "containerd.configDropIn", config: { containerd: { configDropIn: "# \u009b2J\n" } } },
  { description: "a containerd apt key with a C1 control", field: "containerd.aptKey", config: { containerd: { aptKey: armored("\u009b2J") } } },
  { description: "a bastion that is an ssh option", field: "connection.proxy.host", inputs: bastion({ host: "-oProxyCommand=id" }), resourceOnly: true },
  // oversized strings
  { description: "a 254-character host", field: "connection.host", entry: { host: long(254) } },
  { description: "a 33-character user", field: "connection.user", entry: { user: long(33) } },
  { description: "a 254-character node name", field: "nodeName", entry: { nodeName: long(254) } },
  { description: "a 64-character label name", field: `labels["${long(64)}"]`, entry: { labels: { [long(64)]: "x" } } },
  { description: "a 254-character label prefix", field: `labels["${long(254)}/x"]`, entry: { labels: { [`${long(254)}/x`]: "x" } } },
  { description: "a 64-character label value", field: 'labels["tier"]', entry: { labels: { tier: long(64) } } },
  { description: "a 64-character taint value", field: "taints[0].value", entry: { taints: [{ key: "k", value: long(64), effect: "NoSchedule" }] } },
  { description: "a 300-character apt distribution", field: "packages.aptDistribution", config: { packages: { aptDistribution: long(300) } } },
  { description: "a 3000-character apt repository", field: "packages.aptRepository", config: { packages: { aptRepository: `http://10.213.0.1/${long(3000)}` } } },
  { description: "a 300-character sandbox image", field: "containerd.sandboxImage", config: { containerd: { sandboxImage: `registry.k8s.io/${long(300)}` } } },
  { description: "a 3000-character containerd apt repository", field: "containerd.aptRepository", config: { containerd: { aptRepository: `http://10.213.0.1/${long(3000)}` } } },
  { description: "a 300-character containerd apt distribution", field: "containerd.aptDistribution", config: { containerd: { aptDistribution: long(300) } } },
  { description: "a 33-character bastion user", field: "connection.proxy.user", inputs: bastion({ user: long(33) }), resourceOnly: true },
  // wrong types
  { description: "a port given as text", field: "connection.port", entry: { port: "22" } },
  { description: "port 0", field: "connection.port", entry: { port: 0 } },
  { description: "port 70000", field: "connection.port", entry: { port: 70000 } },
  { description: "a fractional port", field: "connection.port", entry: { port: 22.5 } },
  { description: "a node name that is a number", field: "nodeName", entry: { nodeName: 7 } },
  { description: "labels given as a list", field: "labels", entry: { labels: ["tier=web"] } },
  { description: "a label value that is a number", field: 'labels["replicas"]', entry: { labels: { replicas: 3 } } },
  { description: "taints given as one object", field: "taints", entry: { taints: { key: "k", effect: "NoSchedule" } } },
  { description: "a host key that is a number", field: "connection.hostKey", entry: { hostKey: 5 } },
  { description: "a Kubernetes version that is a number", field: "kubernetesVersion", config: { kubernetesVersion: 1.36 } },
  { description: "a join timeout that is an object", field: "joinTimeout", config: { joinTimeout: { minutes: 10 } } },
  { description: "a drain timeout given as text", field: "drain.timeoutSeconds", config: { drain: { timeoutSeconds: "600" } } },
  { description: "preflight checks given as one string", field: "kubeadm.ignorePreflightErrors", config: { kubeadm: { ignorePreflightErrors: "SystemVerification" } } },
  { description: "mirrors given as one URL", field: 'containerd.registryMirrors["docker.io"]', config: { containerd: { registryMirrors: { "docker.io": "https://m.example" } } } },
  { description: "a sandbox image that is a number", field: "containerd.sandboxImage", config: { containerd: { sandboxImage: 3.1 } } },
  // unknown fields
  { description: "a misspelt packages field", field: "packages.aptRepo", config: { packages: { aptRepo: "http://10.213.0.1:8080/" } } },
  { description: "a misspelt containerd field", field: "containerd.sandboxImg", config: { containerd: { sandboxImg: "registry.k8s.io/pause:3.10" } } },
  { description: "an unknown kubeadm field", field: "kubeadm.skipPhases", config: { kubeadm: { skipPhases: ["preflight"] } } },
  { description: "an unknown drain field", field: "drain.timeout", config: { drain: { timeout: 600 } } },
  { description: "an unknown taint field", field: "taints[0].operator", entry: { taints: [{ key: "k", effect: "NoSchedule", operator: "Exists" }] } },
  // IPv6 and host name edge cases
  { description: "an IPv4 address out of range", field: "connection.host", entry: { host: "10.213.0.256" } },
  { description: "a host with a port", field: "connection.host", entry: { host: "10.213.0.11:22" } },
  { description: "an IPv6 address in brackets", field: "connection.host", entry: { host: "[fd00::11]" } },
  { description: "an IPv6 address that is not one", field: "connection.host", entry: { host: "fd00::zz" } },
  { description: "a host name with an empty label", field: "connection.host", entry: { host: "lab..example" } },
  { description: "a host starting with a dash (an ssh option)", field: "connection.host", entry: { host: "-oProxyCommand" } },
  { description: "an empty host", field: "connection.host", entry: { host: "" } },
  { description: "an API endpoint with a scheme", field: "cluster.apiServerEndpoint", config: { apiServerEndpoint: "https://10.213.0.1:6443" } },
  { description: "an API endpoint without a port", field: "cluster.apiServerEndpoint", config: { apiServerEndpoint: "10.213.0.1" } },
  { description: "an API endpoint on port 0", field: "cluster.apiServerEndpoint", config: { apiServerEndpoint: "10.213.0.1:0" } },
  { description: "an IPv6 API endpoint without brackets", field: "cluster.apiServerEndpoint", config: { apiServerEndpoint: "fd00::1:6443" } },
  { description: "apt repository credentials in the URL", field: "packages.aptRepository", config: { packages: { aptRepository: "http://user:secret@10.213.0.1:8080/" } } },
  { description: "containerd apt repository credentials in the URL", field: "containerd.aptRepository", config: { containerd: { aptRepository: "http://user:secret@10.213.0.1:8080/" } } },
  { description: "a bastion IPv4 address out of range", field: "connection.proxy.host", inputs: bastion({ host: "10.213.0.256" }), resourceOnly: true },
  // Kubernetes label and taint rules
  { description: "an uppercase node name", field: "nodeName", entry: { nodeName: "Web-1" } },
  { description: "a node name starting with a dash", field: "nodeName", entry: { nodeName: "-web" } },
  { description: "a node name ending with a dot", field: "nodeName", entry: { nodeName: "web." } },
  { description: "a label key with an empty prefix", field: 'labels["/tier"]', entry: { labels: { "/tier": "web" } } },
  { description: "a label key with two slashes", field: 'labels["a/b/c"]', entry: { labels: { "a/b/c": "web" } } },
  { description: "a label prefix with uppercase", field: 'labels["Example.com/tier"]', entry: { labels: { "Example.com/tier": "web" } } },
  { description: "a label value starting with a dash", field: 'labels["tier"]', entry: { labels: { tier: "-web" } } },
  { description: "an empty label name", field: 'labels["example.com/"]', entry: { labels: { "example.com/": "web" } } },
  { description: "an unknown taint effect", field: "taints[0].effect", entry: { taints: [{ key: "k", effect: "Sometimes" }] } },
  { description: "a taint without an effect", field: "taints[0].effect", entry: { taints: [{ key: "k" }] } },
  { description: "a taint without a key", field: "taints[0].key", entry: { taints: [{ effect: "NoSchedule" }] } },
  { description: "the same taint twice", field: "taints[1]", entry: { taints: [{ key: "k", effect: "NoSchedule" }, { key: "k", value: "v", effect: "NoSchedule" }] } },
  { description: "a Kubernetes version without a patch", field: "kubernetesVersion", config: { kubernetesVersion: "1.36" } },
  { description: "a Kubernetes version 'latest'", field: "kubernetesVersion", config: { kubernetesVersion: "latest" } },
  { description: "preflight checks 'all'", field: "kubeadm.ignorePreflightErrors", config: { kubeadm: { ignorePreflightErrors: ["all"] } } },
  { description: "a host key of another format", field: "connection.hostKey", entry: { hostKey: "ssh-ed25519 garbage" } },
  { description: "a truncated fingerprint", field: "connection.hostKey", entry: { hostKey: "SHA256:short" } },
];

/** Every case, generated and hand-written, each with a unique id. */
export const hostileCases: readonly HostileCase[] = [...generated(), ...misspelt(), ...handWritten.map((c, i) => ({ id: `h${i}`, ...c }))];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * How a case's refusal shows in the stack program's problem list: a config key on a line of its own;
 * an entry case on its entry's line (`entryIndex`, the entry's place in `nodes`); any other config
 * case on every entry's line. With the suggestion, when the case names one.
 */
export function refusalPattern(c: HostileCase, entryIndex?: number): RegExp {
  const suggestion = c.suggests ? `[^\\n]*; did you mean "${escape(c.suggests)}"\\?` : "";
  if (c.field.startsWith("kubeadm-workers:")) return new RegExp(`(^|\\n)\\s*(- )?${escape(c.field)} is not a config key${suggestion}`);
  const entry = c.entry && entryIndex !== undefined ? `nodes\\[${entryIndex}\\]` : "nodes\\[\\d+\\]";
  return new RegExp(`${entry}(?: \\([^)\\n]*\\))?: ${escape(c.field)}(?![A-Za-z0-9])${suggestion}`);
}

/** The valid stack config of the lab the cases are merged over (what test/e2e/support/lab-stack.ts sets). */
export interface LabStackConfig {
  readonly [key: string]: unknown;
  readonly apiServerEndpoint: string;
  readonly packages: { aptRepository: string; aptDistribution: string; aptKey: string };
  readonly kubeadm: { ignorePreflightErrors: string[] };
  readonly joinTimeout: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects merged key by key, anything else replaced: how a case's config lands on the lab's. */
export function deepMerge(base: Record<string, unknown>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : value;
  }
  return out;
}

/** The leaves a config sets ("packages.aptDistribution", "containerd.registryMirrors.<registry>"): two cases clash when they share one. */
function leaves(config: Readonly<Record<string, unknown>>, prefix = ""): string[] {
  return Object.entries(config).flatMap(([key, value]) => (isPlainObject(value) ? leaves(value, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

/**
 * Groups the cases into as few previews as can hold them: every entry case fits in any group (each
 * has its own node entry); config cases share a group only when they set different leaves.
 */
export function previewGroups(cases: readonly HostileCase[]): HostileCase[][] {
  const groups: { cases: HostileCase[]; taken: Set<string> }[] = [];
  for (const c of cases) {
    const needs = c.config ? leaves(c.config) : [];
    let group = groups.find((g) => needs.every((leaf) => !g.taken.has(leaf)));
    if (!group) {
      group = { cases: [], taken: new Set() };
      groups.push(group);
    }
    group.cases.push(c);
    needs.forEach((leaf) => group.taken.add(leaf));
  }
  return groups.map((g) => g.cases);
}

/** The WorkerNode inputs of a case: what the stack program builds for it, with the case's own inputs merged over. */
export function inputsOf(c: HostileCase, lab: LabStackConfig, privateKey: string): Record<string, unknown> {
  const settings = stackSettingsOf(c, lab);
  return deepMerge(entryInputs((settings.nodes as Record<string, unknown>[])[0], settings, privateKey), c.inputs ?? {});
}

/**
 * What the stack program reads for a case (stacks/index.ts → stackProblems): the lab config with the
 * case's merged over it, and one entry named after the case (its own fields over a plain one).
 */
export function stackSettingsOf(c: HostileCase, lab: LabStackConfig): StackSettings {
  const config = deepMerge(lab, c.config ?? {});
  return {
    ...config,
    configKeys: [...Object.keys(config), "nodes", "sshPrivateKey", "kubeconfig"],
    nodes: [{ name: c.id, host: "10.213.0.11", ...c.entry }],
  };
}

// ---- The resource's own check, in a program of the user's own -------------------------------------
// The engine stops a preview at the first resource whose check fails, after printing every problem
// of that one resource: so a group of cases is one WorkerNode carrying each case's own inputs, no two
// setting the same input, and no two whose fields one line of output could stand for.

/** A path of keys into WorkerNode inputs; a list ends a path. */
type InputPath = readonly string[];

function valueAt(object: unknown, at: InputPath): unknown {
  return at.reduce<unknown>((value, key) => (isPlainObject(value) ? value[key] : undefined), object);
}

function paths(value: unknown, prefix: InputPath = []): InputPath[] {
  return isPlainObject(value) && Object.keys(value).length > 0 ? Object.entries(value).flatMap(([key, v]) => paths(v, [...prefix, key])) : [prefix];
}

const overlaps = (a: InputPath, b: InputPath): boolean => a.slice(0, Math.min(a.length, b.length)).every((key, i) => key === b[i]);

/** The inputs a case sets beyond a plain entry's: the paths where its WorkerNode inputs differ. */
function ownPaths(c: HostileCase, lab: LabStackConfig, privateKey: string): { at: InputPath; value: unknown }[] {
  const plain = inputsOf({ id: "plain", description: "", field: "" }, lab, privateKey);
  const mine = inputsOf(c, lab, privateKey);
  return paths(mine)
    .map((at) => ({ at, value: valueAt(mine, at) }))
    .filter(({ at, value }) => value !== undefined && JSON.stringify(value) !== JSON.stringify(valueAt(plain, at)));
}

function setAt(object: Record<string, unknown>, at: InputPath, value: unknown): void {
  let here = object;
  at.slice(0, -1).forEach((key) => {
    if (!isPlainObject(here[key])) here[key] = {};
    here = here[key] as Record<string, unknown>;
  });
  here[at[at.length - 1]] = value;
}

/** One WorkerNode of a check group: the cases it carries, each with the property its refusal names there. */
export interface CheckGroup {
  readonly cases: readonly { readonly case: HostileCase; readonly field: string }[];
  /** The inputs the cases set, to merge over a valid WorkerNode's. */
  readonly inputs: Record<string, unknown>;
}

/** Whether a line naming property `named` is one checkRefusalPattern takes for `field` (`connection.host` is not `connection.hostKey`). */
const names = (named: string, field: string): boolean => named.startsWith(field) && !/[A-Za-z0-9]/.test(named.charAt(field.length));
const clash = (a: string, b: string): boolean => names(a, b) || names(b, a);

interface Setting {
  readonly at: InputPath;
  readonly value: unknown;
  /** Set for the case's field (the bastion's user); else only so the rest is valid (the bastion's host), and any value will do. */
  readonly primary: boolean;
}

/** An input path as the check names its property: `labels["tier"]`, `containerd.registryMirrors["r.example"]`, `connection.host`. */
function propertyOf(at: InputPath): string {
  return at.reduce((property, key, i) => {
    const inMap = (i === 1 && at[0] === "labels") || (i === 2 && at[0] === "containerd" && at[1] === "registryMirrors");
    return inMap ? `${property}["${key}"]` : i === 0 ? key : `${property}.${key}`;
  }, "");
}

const sameSetting = (a: Setting, b: Setting): boolean => a.at.length === b.at.length && overlaps(a.at, b.at) && JSON.stringify(a.value) === JSON.stringify(b.value);

/**
 * Every case a WorkerNode input carries, in as few WorkerNodes as can hold them. A case fits a group
 * when its settings for its field clash with none of the group's (a setting only there to make the
 * rest valid gives way), and no other case's field could be named by the same line, unless the two
 * set the very same input (an entry's user and the sshUser key). Taints are a list: each case's go
 * after the group's, and its field's index moves with them.
 */
export function checkGroups(cases: readonly HostileCase[], lab: LabStackConfig, privateKey: string): CheckGroup[] {
  const groups: { cases: { case: HostileCase; field: string }[]; taken: Setting[]; inputs: Record<string, unknown> }[] = [];
  for (const c of cases.filter((each) => !each.stackOnly)) {
    const own = ownPaths(c, lab, privateKey);
    const taints = own.find(({ at, value }) => at.length === 1 && at[0] === "taints" && Array.isArray(value));
    const settings: Setting[] = own
      .filter((p) => p !== taints)
      .map(({ at, value }) => ({ at, value, primary: clash(propertyOf(at), c.field) }));
    // `labels["tier` names the start of a key: the key the case sets names it whole.
    const primaries = settings.filter((mine) => mine.primary);
    const exact = primaries.length === 1 && /\["[^\]]*$/.test(c.field) && propertyOf(primaries[0].at).startsWith(c.field) ? propertyOf(primaries[0].at) : c.field;
    const fieldIn = (g: { inputs: Record<string, unknown> }) => withTaintsBefore(exact, g.inputs);
    const fits = (g: (typeof groups)[number]): boolean => {
      const field = fieldIn(g);
      const sameInput = primaries.length > 0 && primaries.every((mine) => g.taken.some((t) => sameSetting(mine, t)));
      if (!sameInput && g.cases.some((other) => clash(other.field, field))) return false;
      if (primaries.some((mine) => g.taken.some((t) => t.primary && overlaps(mine.at, t.at) && !sameSetting(mine, t)))) return false;
      // a list of taints joins the group's list; anything else under taints clashes with it
      return !taints || g.taken.every((t) => t.at[0] !== "taints" || Array.isArray(t.value));
    };
    let group = groups.find(fits);
    if (!group) {
      group = { cases: [], taken: [], inputs: {} };
      groups.push(group);
    }
    const field = fieldIn(group);
    if (taints) {
      group.inputs.taints = [...((group.inputs.taints as unknown[] | undefined) ?? []), ...(taints.value as unknown[])];
      group.taken.push({ at: ["taints"], value: group.inputs.taints, primary: true });
    }
    for (const setting of settings) {
      const taken = group.taken.filter((t) => overlaps(setting.at, t.at));
      if (!setting.primary && taken.length > 0) continue;
      group.taken = [...group.taken.filter((t) => !taken.includes(t)), setting];
      setAt(group.inputs, setting.at, setting.value);
    }
    group.cases.push({ case: c, field });
  }
  return groups.map(({ cases: carried, inputs }) => ({ cases: carried, inputs }));
}

/** A field once the taints it names follow those already in the group's inputs. */
function withTaintsBefore(field: string, inputs: Record<string, unknown>): string {
  const before = Array.isArray(inputs.taints) ? inputs.taints.length : 0;
  return field.replace(/^taints\[(\d+)\]/, (_, index: string) => `taints[${Number(index) + before}]`);
}

/** How `pulumi preview` shows the resource's own check refusing a case's field. */
export function checkRefusalPattern(resource: string, field: string): RegExp {
  return new RegExp(`WorkerNode resource '${escape(resource)}': property ${escape(field)}(?![A-Za-z0-9])`);
}
