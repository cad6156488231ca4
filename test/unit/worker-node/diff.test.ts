import { diffWorkerNode, isEquivalentToRecorded } from "../../../providers/worker-node/diff";
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

describe("diffWorkerNode: unchanged inputs, but the Node still carries an abandoned scale-in", () => {
  type Marked = { name: string; unschedulable: boolean; labels: Record<string, string>; annotations: Record<string, string> };
  const ourCordon: Marked = { name: "lab-host-1", unschedulable: true, labels: { "kubeadm-workers.io/draining": "true" }, annotations: { "kubeadm-workers.io/drain-phase": "timed-out", "kubeadm-workers.io/drain-purpose": "remove" } };

  /** The cluster as a reader of marked Nodes, recording the kubeconfig of each read. */
  function cluster(nodes: Marked[] | undefined) {
    const reads: (string | undefined)[] = [];
    return { reads, read: (kubeconfig: string | undefined) => (reads.push(kubeconfig), Promise.resolve(nodes)) };
  }

  test("a node our drain cordoned: an update, and a line that says the up uncordons it", async () => {
    const { reads, read } = cluster([ourCordon]);
    const lines: string[] = [];
    await expect(diffWorkerNode(recorded, inputs, read, (line) => lines.push(line))).resolves.toEqual({ changes: true });
    expect(reads).toEqual(["clusters: []"]);
    expect(lines).toEqual([expect.stringMatching(/^lab-host-1: abandoned scale-in: .*drain phase timed-out, cordoned by our drain.*pulumi up uncordons it and removes our drain marks$/)]);
  });

  test("a slot wait that timed out (marked leaving, never cordoned): an update that removes the marks", async () => {
    const waiting = { ...ourCordon, unschedulable: false, annotations: { "kubeadm-workers.io/drain-phase": "waiting-for-slot", "kubeadm-workers.io/drain-purpose": "remove" } };
    const lines: string[] = [];
    await expect(diffWorkerNode(recorded, inputs, cluster([waiting]).read, (line) => lines.push(line))).resolves.toEqual({ changes: true });
    expect(lines).toEqual([expect.stringMatching(/not cordoned\) and counts as leaving: pulumi up removes our drain marks$/)]);
  });

  test("someone else's cordon from before our drain: an update that keeps their cordon", async () => {
    const theirs = { ...ourCordon, annotations: { ...ourCordon.annotations, "kubeadm-workers.io/cordoned-before-drain": "true" } };
    const lines: string[] = [];
    await expect(diffWorkerNode(recorded, inputs, cluster([theirs]).read, (line) => lines.push(line))).resolves.toEqual({ changes: true });
    expect(lines).toEqual([expect.stringMatching(/cordoned by someone else before our drain\).*pulumi up removes our drain marks and leaves their cordon$/)]);
  });

  test("an upgrade whose drain did not finish, its version put back: an update, named as an upgrade (it never counted as leaving)", async () => {
    const upgrade = { ...ourCordon, annotations: { "kubeadm-workers.io/drain-phase": "timed-out", "kubeadm-workers.io/drain-purpose": "upgrade" } };
    const lines: string[] = [];
    await expect(diffWorkerNode(recorded, inputs, cluster([upgrade]).read, (line) => lines.push(line))).resolves.toEqual({ changes: true });
    expect(lines).toEqual([expect.stringMatching(/^lab-host-1: abandoned upgrade: .*cordoned by our drain\): pulumi up uncordons it and removes our drain marks$/)]);
  });

  test("a replacement whose drain did not finish, its inputs put back: an update, named as a replacement (it never counted as leaving)", async () => {
    const replacement = { ...ourCordon, annotations: { "kubeadm-workers.io/drain-phase": "timed-out", "kubeadm-workers.io/drain-purpose": "replace" } };
    const lines: string[] = [];
    await expect(diffWorkerNode(recorded, inputs, cluster([replacement]).read, (line) => lines.push(line))).resolves.toEqual({ changes: true });
    expect(lines).toEqual([expect.stringMatching(/^lab-host-1: abandoned replacement: its inputs are back, but the Node .*cordoned by our drain\): pulumi up uncordons it and removes our drain marks$/)]);
  });

  test.each<[string, Marked[]]>([
    ["no Node marked", []],
    ["another Node marked", [{ ...ourCordon, name: "lab-host-2" }]],
    ["this Node cordoned by someone else, no drain of ours", [{ name: "lab-host-1", unschedulable: true, labels: {}, annotations: {} }]],
    ["only our label left (an upgrade that finished cleared the annotations)", [{ name: "lab-host-1", unschedulable: false, labels: { "kubeadm-workers.io/draining": "true" }, annotations: {} }]],
  ])("%s: no change", async (_description, nodes) => {
    const lines: string[] = [];
    await expect(diffWorkerNode(recorded, inputs, cluster(nodes).read, (line) => lines.push(line))).resolves.toEqual({ changes: false });
    expect(lines).toEqual([]);
  });

  test("a cluster that could not be read (the cached reader warned): today's answer, no change, never a failure", async () => {
    await expect(diffWorkerNode(recorded, inputs, cluster(undefined).read, () => undefined)).resolves.toEqual({ changes: false });
  });

  test("changed inputs are left to the engine without reading the cluster", async () => {
    const { reads, read } = cluster([ourCordon]);
    await expect(diffWorkerNode(recorded, { ...inputs, labels: { tier: "api" } }, read, () => undefined)).resolves.toEqual({});
    expect(reads).toEqual([]);
  });

  test("a version the node cannot move to in place still fails the diff", async () => {
    await expect(diffWorkerNode(recorded, { ...inputs, kubernetesVersion: "1.38.0" }, cluster([]).read, () => undefined)).rejects.toThrow(/node lab-host-1: kubernetesVersion 1\.38\.0 refused/);
  });
});
