import { unknownValue, validateWorkerNodeInputs } from "../../../providers/worker-node/validate";

const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPtMoHBY1M5qOYc0mHV6ArQNE6482s/Rijgc+Whk2nq";
const valid = {
  connection: { host: "10.213.0.11", port: 22, user: "root", privateKey, hostKey },
  cluster: { apiServerEndpoint: "10.213.0.1:6443" },
  nodeName: "lab-host-1",
  kubernetesVersion: "1.36.3",
  labels: { "node-role.kubernetes.io/worker": "", tier: "web" },
  taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }],
  joinTimeout: "10m",
  reset: true,
};

/** Returns the valid inputs with one property path replaced (undefined deletes it). */
function withChange(path: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
  const keys = path.split(".");
  let target = copy;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

describe("validateWorkerNodeInputs", () => {
  test("accepts complete valid inputs", () => {
    expect(validateWorkerNodeInputs(valid)).toEqual([]);
  });

  type Inputs = Record<string, any>;
  test.each<{ description: string; change: (inputs: Inputs) => void }>([
    { description: "a fingerprint host key", change: (i) => (i.connection.hostKey = "SHA256:yLGP66N6y7OpuqeObwEGWx+jErIFINQnOL9I3r+Mquo") },
    { description: "no host key (trust on first use)", change: (i) => delete i.connection.hostKey },
    { description: "a password instead of a key", change: (i) => ((i.connection.password = "s3cret"), delete i.connection.privateKey) },
    { description: "an agent socket", change: (i) => ((i.connection.agentSocketPath = "/run/agent.sock"), delete i.connection.privateKey) },
    { description: "a host unknown at preview", change: (i) => (i.connection.host = unknownValue) },
    { description: "a label value unknown at preview", change: (i) => (i.labels = { tier: unknownValue }) },
    { description: "a join timeout in seconds", change: (i) => (i.joinTimeout = 300) },
    { description: "a v-prefixed version", change: (i) => (i.kubernetesVersion = "v1.36.3") },
    { description: "an IPv6 API endpoint", change: (i) => (i.cluster.apiServerEndpoint = "[fd00::1]:6443") },
    { description: "a bastion with its own key", change: (i) => (i.connection.proxy = { host: "bastion.example.com", user: "jump", privateKey, hostKey }) },
    { description: "a named preflight check to skip", change: (i) => (i.kubeadm = { ignorePreflightErrors: ["SystemVerification"] }) },
    { description: "drain options", change: (i) => (i.drain = { timeoutSeconds: 120, deleteEmptyDirData: true, maxConcurrentDrains: 2 }) },
    { description: "a YAML kubeconfig", change: (i) => (i.cluster.kubeconfig = "apiVersion: v1\nkind: Config\nclusters: []\n") },
    // JSON is YAML: kubectl and client-node take it, and the leastPrivilege identity's kubeconfig is JSON.
    { description: "a JSON kubeconfig", change: (i) => (i.cluster.kubeconfig = JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [] })) },
    { description: "a signed package repository", change: (i) => (i.packages = { aptRepository: "http://10.213.0.1:8080/", aptKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\nx\n" }) },
  ])("accepts $description", ({ change }) => {
    const inputs = JSON.parse(JSON.stringify(valid)) as Inputs;
    change(inputs);
    expect(validateWorkerNodeInputs(inputs)).toEqual([]);
  });

  test.each([
    { description: "a missing connection", path: "connection", value: undefined, property: "connection", reason: /is required/ },
    { description: "a missing host", path: "connection.host", value: undefined, property: "connection.host", reason: /is required/ },
    { description: "a URL as host", path: "connection.host", value: "ssh://10.0.0.1", property: "connection.host", reason: /no scheme/ },
    { description: "port 0", path: "connection.port", value: 0, property: "connection.port", reason: /from 1 to 65535, got 0/ },
    { description: "no credentials", path: "connection.privateKey", value: undefined, property: "connection", reason: /needs one of privateKey, password or agentSocketPath/ },
    { description: "a key path instead of key text", path: "connection.privateKey", value: "~/.ssh/id_ed25519", property: "connection.privateKey", reason: /not its path/ },
    { description: "a garbled host key", path: "connection.hostKey", value: "ssh-ed25519 nope!", property: "connection.hostKey", reason: /OpenSSH public key line/ },
    { description: "a bastion without credentials", path: "connection.proxy", value: { host: "bastion" }, property: "connection.proxy", reason: /needs one of/ },
    { description: "a kubeconfig path", path: "cluster.kubeconfig", value: "/root/.kube/config", property: "cluster.kubeconfig", reason: /not its path/ },
    { description: "an endpoint with scheme", path: "cluster.apiServerEndpoint", value: "https://10.0.0.1:6443", property: "cluster.apiServerEndpoint", reason: /host:port/ },
    { description: "an upper-case node name", path: "nodeName", value: "Worker_1", property: "nodeName", reason: /RFC 1123/ },
    { description: "a node name too long", path: "nodeName", value: "a".repeat(254), property: "nodeName", reason: /at most 253/ },
    { description: "a version without patch", path: "kubernetesVersion", value: "1.36", property: "kubernetesVersion", reason: /like "1.36.3"/ },
    { description: "a label key with a bad prefix", path: "labels", value: { "Example.com/x": "y" }, property: 'labels["Example.com/x"]', reason: /prefix "Example.com"/ },
    { description: "a label value too long", path: "labels", value: { tier: "x".repeat(64) }, property: 'labels["tier"]', reason: /at most 63/ },
    { description: "a taint without effect", path: "taints", value: [{ key: "a" }], property: "taints[0].effect", reason: /must be one of NoSchedule, PreferNoSchedule, NoExecute/ },
    { description: "duplicate taints", path: "taints", value: [{ key: "a", effect: "NoSchedule" }, { key: "a", value: "b", effect: "NoSchedule" }], property: "taints[1]", reason: /one taint per key and effect/ },
    { description: "a zero join timeout", path: "joinTimeout", value: "0s", property: "joinTimeout", reason: /longer than zero/ },
    { description: "a join timeout with a typo", path: "joinTimeout", value: "10 min", property: "joinTimeout", reason: /like "90s"/ },
    { description: "reset as a string", path: "reset", value: "yes", property: "reset", reason: /true or false/ },
    { description: "a mirror without scheme", path: "containerd", value: { registryMirrors: { "docker.io": ["mirror:5000"] } }, property: 'containerd.registryMirrors["docker.io"]', reason: /http:\/\/ or https:\/\// },
    { description: "a negative drain timeout", path: "drain", value: { timeoutSeconds: -1 }, property: "drain.timeoutSeconds", reason: /must be a positive integer, got -1/ },
    { description: 'skipping "all" preflight checks', path: "kubeadm", value: { ignorePreflightErrors: ["all"] }, property: "kubeadm.ignorePreflightErrors", reason: /"all" would hide real problems/ },
    { description: "a repository without its key", path: "packages", value: { aptRepository: "http://10.213.0.1:8080/" }, property: "packages.aptKey", reason: /unsigned repository/ },
  ])("refuses $description, naming $property", ({ path, value, property, reason }) => {
    const failures = validateWorkerNodeInputs(withChange(path, value));
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) as string });
  });

  test("reports every problem at once", () => {
    const failures = validateWorkerNodeInputs({
      ...valid,
      nodeName: "Bad Name",
      kubernetesVersion: "latest",
      taints: [{ key: "k", effect: "Sometimes" }],
    });
    expect(failures.map((f) => f.property)).toEqual(["nodeName", "kubernetesVersion", "taints[0].effect"]);
  });
});
