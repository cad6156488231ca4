import { isEquivalentToRecorded } from "../../../providers/worker-node/diff";
import type { WorkerNodeInputs } from "../../../providers/worker-node/inputs";
import type { WorkerNodeOutputs } from "../../../providers/worker-node/outputs";
import { unknownValue } from "../../../providers/worker-node/validate";

const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPtMoHBY1M5qOYc0mHV6ArQNE6482s/Rijgc+Whk2nq";
const hostKeyFingerprint = "SHA256:yLGP66N6y7OpuqeObwEGWx+jErIFINQnOL9I3r+Mquo";
const otherKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBtVmz0CBcKSuJmVsmP6jMRDtzCxJjvXzbl3ExnWhP1X";
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n";
const provider = "exports.handler = …";

/** A node joined with kubernetesVersion and nodeName unset: they resolved to 1.36.3 and the hostname. */
const recorded = {
  __provider: provider,
  nodeName: "lab-host-1",
  host: "10.213.0.11",
  port: 22,
  user: "root",
  hostKey,
  hostKeyFingerprint,
  apiServerEndpoint: "10.213.0.1:6443",
  caCertHash: "sha256:abc",
  kubernetesVersion: "1.36.3",
  kubeletVersion: "v1.36.3",
  containerdVersion: "containerd://1.7.24",
  machineId: "m-1",
  labels: { tier: "web" },
  taints: [],
  reset: true,
  drain: {},
  containerd: {},
  packages: { aptRepository: "http://10.213.0.1:8080/", aptKey: "KEY" },
  connection: { host: "10.213.0.11", port: 22, user: "root", privateKey, hostKey },
  cluster: { kubeconfig: "clusters: []", apiServerEndpoint: "10.213.0.1:6443" },
  joinInputs: { joinTimeout: "3m", kubeadm: { ignorePreflightErrors: ["SystemVerification"] } },
} as unknown as WorkerNodeOutputs;

/** The inputs the stack program passes for that node, unchanged. */
const inputs = {
  __provider: provider,
  connection: { host: "10.213.0.11", port: 22, user: "root", privateKey },
  cluster: { kubeconfig: "clusters: []", apiServerEndpoint: "10.213.0.1:6443" },
  labels: { tier: "web" },
  taints: [],
  packages: { aptRepository: "http://10.213.0.1:8080/", aptKey: "KEY" },
  joinTimeout: "3m",
  kubeadm: { ignorePreflightErrors: ["SystemVerification"] },
} as unknown as WorkerNodeInputs;

type Change = (i: Record<string, any>) => void;

describe("isEquivalentToRecorded: no change when the inputs describe what the node already is", () => {
  test.each<[string, Change]>([
    ["the same inputs", () => undefined],
    ["kubernetesVersion set to the release it runs", (i) => (i.kubernetesVersion = "1.36.3")],
    ["kubernetesVersion written with a v", (i) => (i.kubernetesVersion = "v1.36.3")],
    ["nodeName set to the name it registered with", (i) => (i.nodeName = "lab-host-1")],
    ["the recorded host key pinned as a line", (i) => (i.connection.hostKey = hostKey)],
    ["the recorded host key pinned by fingerprint", (i) => (i.connection.hostKey = hostKeyFingerprint)],
    ["reset set to its default", (i) => (i.reset = true)],
    ["port and user left to their defaults", (i) => (delete i.connection.port, delete i.connection.user)],
    ["containerd and drain given as empty objects", (i) => ((i.containerd = {}), (i.drain = {}))],
  ])("%s", (_description, change) => {
    const news = JSON.parse(JSON.stringify(inputs)) as Record<string, any>;
    change(news);
    expect(isEquivalentToRecorded(recorded, news as WorkerNodeInputs)).toBe(true);
  });
});

describe("isEquivalentToRecorded: everything else is left to the engine's diff", () => {
  test.each<[string, Change]>([
    ["a new patch release", (i) => (i.kubernetesVersion = "1.36.4")],
    ["an older release", (i) => (i.kubernetesVersion = "v1.36.2")],
    ["a label change", (i) => (i.labels = { tier: "api" })],
    ["a taint", (i) => (i.taints = [{ key: "a", effect: "NoSchedule" }])],
    ["another host", (i) => (i.connection.host = "10.213.0.12")],
    ["a rotated SSH key", (i) => (i.connection.privateKey = "other")],
    ["another host key pinned (a re-pin)", (i) => (i.connection.hostKey = otherKey)],
    ["a bastion added", (i) => (i.connection.proxy = { host: "bastion", privateKey })],
    ["another nodeName", (i) => (i.nodeName = "web-1")],
    ["another API endpoint", (i) => (i.cluster.apiServerEndpoint = "10.213.0.1:7443")],
    ["the API endpoint left to kubeadm's", (i) => delete i.cluster.apiServerEndpoint],
    ["another kubeconfig", (i) => (i.cluster.kubeconfig = "clusters: [x]")],
    ["a package source change", (i) => (i.packages = {})],
    ["registry mirrors", (i) => (i.containerd = { registryMirrors: { "docker.io": ["https://m"] } })],
    ["a drain option", (i) => (i.drain = { timeoutSeconds: 60 })],
    ["reset off", (i) => (i.reset = false)],
    ["a join timeout change", (i) => (i.joinTimeout = "5m")],
    ["another preflight check skipped", (i) => (i.kubeadm = { ignorePreflightErrors: ["Swap"] })],
    ["a value not known at preview", (i) => (i.labels = { tier: unknownValue })],
    ["an input this rule does not know", (i) => (i.somethingNew = 1)],
    ["a new serialized provider", (i) => (i.__provider = "exports.handler = … v2")],
  ])("%s", (_description, change) => {
    const news = JSON.parse(JSON.stringify(inputs)) as Record<string, any>;
    change(news);
    expect(isEquivalentToRecorded(recorded, news as WorkerNodeInputs)).toBe(false);
  });

  test("an unset nodeName is provably the same only when it was unset at join (the hostname is not read at preview)", () => {
    const joinedWithName = { ...recorded, joinInputs: { ...recorded.joinInputs, nodeName: "lab-host-1" } } as WorkerNodeOutputs;
    expect(isEquivalentToRecorded(joinedWithName, inputs)).toBe(false);
    expect(isEquivalentToRecorded(joinedWithName, { ...inputs, nodeName: "lab-host-1" })).toBe(true);
  });

  test("drift a refresh found is never equivalent (the engine's diff shows it, the update restores it); none found, or an adopt flag, is", () => {
    expect(isEquivalentToRecorded({ ...recorded, drift: ['label tier is "edge", declared "web"'] }, inputs)).toBe(false);
    expect(isEquivalentToRecorded({ ...recorded, drift: [] }, inputs)).toBe(true);
    expect(isEquivalentToRecorded({ ...recorded, adopted: true }, { ...inputs, adopt: true })).toBe(true);
    expect(isEquivalentToRecorded(recorded, { ...inputs, adopt: false })).toBe(true);
  });

  test("state written before joinInputs was recorded is never called equivalent", () => {
    const { joinInputs: _dropped, ...older } = recorded as WorkerNodeOutputs & Record<string, unknown>;
    expect(isEquivalentToRecorded(older as WorkerNodeOutputs, { ...inputs, kubernetesVersion: "1.36.3" })).toBe(false);
  });
});
