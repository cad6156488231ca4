import { execFileSync } from "node:child_process";
import type { ClusterApi, NodeView } from "../../../providers/cluster/kube-api";
import { givenInputsOf, inputsFromOutputs } from "../../../providers/worker-node/given-inputs";
import type { WorkerNodeInputs } from "../../../providers/worker-node/inputs";
import type { WorkerNodeOutputs } from "../../../providers/worker-node/outputs";
import { readWorkerNode } from "../../../providers/worker-node/read";
import { caPem, caPemHash } from "../fixtures/ca";

const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPtMoHBY1M5qOYc0mHV6ArQNE6482s/Rijgc+Whk2nq";
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n";

/** The inputs as the stack program gives them (host key recorded on first use: none given). */
const inputs: WorkerNodeInputs = {
  connection: { host: "10.213.0.11", port: 22, user: "root", privateKey },
  cluster: { kubeconfig: "apiVersion: v1\nclusters: []\n" },
  labels: { tier: "web" },
  taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }],
  joinTimeout: "3m",
  owner: "kubeadm-workers/e2e/web-1",
};

/** What create records for those inputs. */
const outs: WorkerNodeOutputs = {
  nodeName: "web-1", host: "10.213.0.11", port: 22, user: "root", hostKey, hostKeyFingerprint: "SHA256:x", apiServerEndpoint: "10.213.0.1:6443",
  caCertHash: caPemHash, kubernetesVersion: "1.36.3", kubeletVersion: "v1.36.3", containerdVersion: "containerd://2.1.4", machineId: "m-1",
  labels: { tier: "web" }, taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }], reset: true, drain: {}, containerd: {}, packages: {},
  connection: { ...inputs.connection, hostKey }, cluster: inputs.cluster, joinInputs: { joinTimeout: "3m" }, owner: "kubeadm-workers/e2e/web-1",
  givenInputs: givenInputsOf(inputs),
};

function node(extra: Partial<NodeView> = {}): NodeView {
  return {
    name: "web-1", uid: "u", labels: { tier: "web" }, annotations: { "kubeadm-workers.io/machine-id": "m-1" }, taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }],
    unschedulable: false, ready: true, readyDetail: "True", kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://2.1.4", machineId: "m-1",
    conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }], capacity: { cpu: "2" }, allocatable: { cpu: "2" }, ...extra,
  };
}

/** A cluster that can only be read: any write fails the test. */
function readOnlyCluster(current: NodeView | undefined, clusterCa = caPem): ClusterApi {
  const writes = () => Promise.reject(new Error("read must not write"));
  return {
    server: "https://10.213.0.1:6443",
    caPem,
    clusterInfoCaPem: () => Promise.resolve(clusterCa),
    getNode: () => Promise.resolve(current),
    patchNode: writes,
    deleteNode: writes,
    createSecret: writes,
    deleteSecret: writes,
  } as unknown as ClusterApi;
}

async function read(current: NodeView | undefined, recorded: WorkerNodeOutputs = outs, clusterCa = caPem) {
  const lines: string[] = [];
  const result = await readWorkerNode("web-1", recorded, { connectCluster: () => readOnlyCluster(current, clusterCa), log: (l) => lines.push(l) });
  return { ...result, lines };
}

describe("given inputs: read rebuilds the inputs the program gave", () => {
  test.each<[string, WorkerNodeInputs]>([
    ["the stack program's shape", inputs],
    ["a pinned fingerprint and a bastion", { ...inputs, connection: { ...inputs.connection, hostKey: "SHA256:abc", proxy: { host: "bastion", privateKey, hostKey: "SHA256:def" } } }],
    ["every optional input", { ...inputs, nodeName: "web-1", kubernetesVersion: "1.36.3", containerd: { upgrade: true }, packages: { aptRepository: "http://m/" }, reset: false, kubeadm: { ignorePreflightErrors: ["SystemVerification"] }, drain: { timeoutSeconds: 60 }, adopt: true }],
    ["the bare minimum", { connection: { host: "10.213.0.11", privateKey }, cluster: {} }],
  ])("%s round-trips", (_, given) => {
    const { proxy, ...endpoint } = given.connection;
    const recorded: WorkerNodeOutputs = {
      ...outs,
      connection: { ...endpoint, hostKey, ...(proxy ? { proxy: { ...proxy, hostKey: "ssh-ed25519 BASTION" } } : {}) },
      cluster: given.cluster,
      kubernetesVersion: given.kubernetesVersion ?? "1.36.3",
      labels: given.labels ?? {},
      taints: given.taints ?? [],
      reset: given.reset ?? true,
      drain: given.drain ?? {},
      containerd: given.containerd ?? {},
      packages: given.packages ?? {},
      joinInputs: { ...(given.nodeName ? { nodeName: given.nodeName } : {}), ...(given.joinTimeout ? { joinTimeout: given.joinTimeout } : {}), ...(given.kubeadm ? { kubeadm: given.kubeadm } : {}) },
      ...(given.owner ? { owner: given.owner } : { owner: undefined }),
      ...(given.adopt ? { adopted: true } : {}),
      givenInputs: givenInputsOf(given),
    };
    expect(inputsFromOutputs(recorded)).toEqual(given);
  });

  test("state written before givenInputs existed cannot be rebuilt", () => {
    expect(inputsFromOutputs({ ...outs, givenInputs: undefined })).toBeUndefined();
  });
});

describe("readWorkerNode: pulumi refresh", () => {
  test("nothing drifted: status recorded, inputs left as they are", async () => {
    const result = await read(node({ capacity: { cpu: "2", memory: "4Gi" } }));
    expect(result.id).toBe("web-1");
    expect(result.inputs).toBeUndefined();
    expect(result.props).toMatchObject({ labels: { tier: "web" }, drift: [], nodeStatus: { ready: true, capacity: { cpu: "2", memory: "4Gi" }, cordonedByOthers: false } });
    expect(result.lines).toEqual([]);
  });

  test("the Node is gone: no id (dropped from the state), and the line says the next up joins again", async () => {
    const result = await read(undefined);
    expect(result).toEqual({ id: "", lines: ["web-1: refresh: Node web-1 is gone from the cluster (https://10.213.0.1:6443): dropped from the state; the next pulumi up joins host 10.213.0.11 again"] });
  });

  test("a managed label changed: reported, and inputs that show it so the next up restores it", async () => {
    const result = await read(node({ labels: { tier: "edge", team: "theirs" } }));
    expect(result.props?.labels).toEqual({ tier: "web" }); // the declared ones, which the next refresh compares with
    expect(result.props?.drift).toEqual(['label tier is "edge", declared "web"']);
    expect(result.inputs).toEqual({ ...inputs, labels: { tier: "edge" } });
    expect(result.lines).toEqual(['web-1: refresh: label tier is "edge", declared "web" (the next pulumi up restores it)']);
  });

  test("drift fixed by hand since the last refresh: inputs go back to the declared ones", async () => {
    const result = await read(node(), { ...outs, drift: ['label tier is "edge", declared "web"'] });
    expect(result.props?.drift).toEqual([]);
    expect(result.inputs).toEqual(inputs);
  });

  test("state from an older version: drift reported, no inputs", async () => {
    const result = await read(node({ labels: { tier: "edge" } }), { ...outs, givenInputs: undefined });
    expect(result.props?.drift).toEqual(['label tier is "edge", declared "web"']);
    expect(result.inputs).toBeUndefined();
    expect(result.lines[0]).toMatch(/state written by an older kubeadm-workers/);
  });

  test("cordoned by someone else, NotReady, kubelet upgraded by hand: reported, nothing undone", async () => {
    const result = await read(node({ unschedulable: true, ready: false, readyDetail: "Unknown (NodeStatusUnknown)", kubeletVersion: "v1.36.4" }));
    expect(result.props).toMatchObject({ kubeletVersion: "v1.36.4", kubernetesVersion: "1.36.3", nodeStatus: { unschedulable: true, cordonedByOthers: true, ready: false } });
    expect(result.inputs).toBeUndefined();
    expect(result.lines).toEqual(["web-1: refresh: cordoned by someone else; left cordoned (pulumi up does not uncordon it)", "web-1: refresh: not Ready (Unknown (NodeStatusUnknown))"]);
  });

  test("a drain of ours that did not finish: reported with what the next up does, nothing undone", async () => {
    const marks = { "kubeadm-workers.io/drain-phase": "timed-out", "kubeadm-workers.io/drain-purpose": "remove" };
    const result = await read(node({ unschedulable: true, annotations: { ...node().annotations, ...marks } }));
    expect(result.inputs).toBeUndefined();
    expect(result.lines).toEqual([
      "web-1: refresh: marked by a drain of ours that did not finish (drain phase timed-out, cordoned by it): with its entry in the program the next pulumi up uncordons it and removes the marks; without it, the next pulumi up resumes the scale-in",
    ]);
  });

  test("a kubeconfig that reaches another cluster fails the refresh instead of dropping the node", async () => {
    const otherCa = execFileSync("sh", ["-c", "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=kubernetes -days 1 2>/dev/null"]).toString();
    await expect(read(undefined, outs, otherCa)).rejects.toThrow(/publishes CA sha256:[0-9a-f]{64} in kube-public\/cluster-info, but the node joined the cluster with CA sha256:7b4deb/);
  });

  test("the name now belongs to another machine: the refresh fails naming both", async () => {
    await expect(read(node({ machineId: "m-2", annotations: {} }))).rejects.toThrow(/it joined as machine m-1, but Node web-1 .* reports machine m-2/);
  });

  test("a Node without our annotations (adopted, or registered again by its kubelet) is proven by its machine-id alone", async () => {
    expect((await read(node({ annotations: {} }), { ...outs, adopted: true })).id).toBe("web-1");
    const reregistered = await read(node({ annotations: {}, labels: {} }));
    expect(reregistered.props?.drift).toEqual(['label tier is missing, declared "web"']);
    await expect(read(node({ annotations: { "kubeadm-workers.io/machine-id": "m-2" } }))).rejects.toThrow(/carries kubeadm-workers\.io\/machine-id=m-2/);
  });
});
