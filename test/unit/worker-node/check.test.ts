import { checkWorkerNode, oneReadPerCluster } from "../../../providers/worker-node/check";
import type { WorkerNodeInputs } from "../../../providers/worker-node/inputs";
import { unknownValue } from "../../../providers/worker-node/validate";

const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n";
const node = (kubernetesVersion?: string, kubeconfig = "clusters: []"): WorkerNodeInputs =>
  ({ connection: { host: "10.213.0.11", privateKey }, cluster: { kubeconfig }, ...(kubernetesVersion ? { kubernetesVersion } : {}) });

/** A control plane at `version`, counting the reads. */
function controlPlane(version: string | Error) {
  const reads: (string | undefined)[] = [];
  const read = (kubeconfig: string | undefined): Promise<string> => {
    reads.push(kubeconfig);
    return version instanceof Error ? Promise.reject(version) : Promise.resolve(version);
  };
  return { reads, read };
}

describe("checkWorkerNode: the version rules at preview", () => {
  test("normalizes the version it passes on (v1.36.3 → 1.36.3)", async () => {
    const { read } = controlPlane("v1.36.3");
    const { inputs, failures } = await checkWorkerNode({}, node("v1.36.3"), read);
    expect(failures).toEqual([]);
    expect(inputs.kubernetesVersion).toBe("1.36.3");
  });

  test("a new node newer than the control plane is refused, naming both versions", async () => {
    const { read } = controlPlane("v1.36.3");
    const { failures } = await checkWorkerNode({}, node("1.37.0"), read);
    expect(failures).toEqual([{ property: "kubernetesVersion", reason: expect.stringMatching(/1\.37\.0 is newer than the control plane \(kube-apiserver 1\.36\.3\)/) as string }]);
  });

  test("a version more than three minors behind the control plane is refused", async () => {
    const { read } = controlPlane("v1.36.3");
    const { failures } = await checkWorkerNode({}, node("1.32.0"), read);
    expect(failures[0]?.reason).toMatch(/4 minors older than the control plane/);
  });

  test("a downgrade or a skipped minor against the previous inputs is refused without reading anything", async () => {
    const { read, reads } = controlPlane("v1.38.0");
    expect((await checkWorkerNode(node("1.36.3"), node("1.36.2"), read)).failures[0]?.reason).toMatch(/never downgraded in place/);
    expect((await checkWorkerNode(node("1.35.1"), node("1.37.0"), read)).failures[0]?.reason).toMatch(/kubeadm upgrades one minor at a time/);
    expect(reads).toEqual([]);
  });

  test("an unset, unchanged or not-yet-known version reads nothing", async () => {
    const { read, reads } = controlPlane("v1.36.3");
    await checkWorkerNode({}, node(undefined), read);
    await checkWorkerNode(node("1.36.3"), node("v1.36.3"), read);
    await checkWorkerNode({}, node(unknownValue), read);
    await checkWorkerNode({}, node("1.36.3", unknownValue), read);
    expect(reads).toEqual([]);
  });

  test("invalid input is reported without reading the control plane", async () => {
    const { read, reads } = controlPlane("v1.36.3");
    const { failures } = await checkWorkerNode({}, { ...node("1.30.0"), nodeName: "Bad" }, read);
    expect(failures.map((f) => f.property)).toEqual(["nodeName", "kubernetesVersion"]);
    expect(reads).toEqual([]);
  });

  test("an unreachable control plane fails the check with the reason, rather than skipping the skew rule", async () => {
    const { read } = controlPlane(new Error("connect ECONNREFUSED 10.213.0.1:6443"));
    const { failures } = await checkWorkerNode({}, node("1.36.3"), read);
    expect(failures).toEqual([{ property: "kubernetesVersion", reason: expect.stringMatching(/could not be checked against the control plane's version.*ECONNREFUSED/) as string }]);
  });

  test("the kubeconfig given is the one read", async () => {
    const { read, reads } = controlPlane("v1.36.3");
    await checkWorkerNode({}, node("1.36.3", "clusters: [a]"), read);
    expect(reads).toEqual(["clusters: [a]"]);
  });
});

describe("oneReadPerCluster: a preview asks each cluster once, however many nodes", () => {
  test("ten new nodes of one cluster and two of another: two reads", async () => {
    const { read, reads } = controlPlane("v1.36.3");
    const cached = oneReadPerCluster(read);
    const checks = [...Array(10).fill("clusters: [a]"), "clusters: [b]", "clusters: [b]"].map((k: string) => checkWorkerNode({}, node("1.36.3", k), cached));
    expect((await Promise.all(checks)).flatMap((c) => c.failures)).toEqual([]);
    expect(reads).toEqual(["clusters: [a]", "clusters: [b]"]);
  });

  test("a failed read is retried by the next check", async () => {
    let calls = 0;
    const cached = oneReadPerCluster(() => (++calls === 1 ? Promise.reject(new Error("timeout")) : Promise.resolve("v1.36.3")));
    expect((await checkWorkerNode({}, node("1.36.3"), cached)).failures).toHaveLength(1);
    expect((await checkWorkerNode({}, node("1.36.3"), cached)).failures).toEqual([]);
    expect(calls).toBe(2);
  });
});

describe("adoptionPreview: what a preview says about an entry that adopts its host", () => {
  const readyNode = { name: "web-3", uid: "u", labels: {}, annotations: {}, taints: [], unschedulable: false, ready: true, readyDetail: "True", kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://2.1.4", machineId: "m-3" };
  const adopting = (extra: Partial<WorkerNodeInputs> = {}): WorkerNodeInputs => ({ ...node(), adopt: true, ...extra });
  const { read } = controlPlane("v1.36.3");

  test.each<[string, Partial<WorkerNodeInputs>, Partial<WorkerNodeInputs>, { notes: RegExp[]; failure?: RegExp; lookups: string[] }]>([
    [
      "a new entry with its nodeName: the Node as it runs, and the two annotations adopt writes",
      {},
      { nodeName: "web-3", owner: "kw/e2e/web-3" },
      {
        notes: [
          /^web-3: adopt: Node web-3 \(Ready, kubelet v1\.36\.3, machine-id m-3\) on host 10\.213\.0\.11 is taken over as it runs: no package, containerd, join, label, taint or cordon step; the only write is the Node's annotations kubeadm-workers\.io\/owner=kw\/e2e\/web-3 and kubeadm-workers\.io\/host=10\.213\.0\.11, by which the scale-in report finds the node when its entry goes or its host changes; nothing on the host changes$/,
        ],
        lookups: ["web-3"],
      },
    ],
    ["an entry without an owner (the WorkerNode class always sets one): nothing is written", {}, { nodeName: "web-3" }, { notes: [/is taken over as it runs: no package, containerd, join, label, taint or cordon step; nothing on the host or the Node is written$/], lookups: ["web-3"] }],
    [
      "a new entry named by its hostname: no lookup, said so",
      {},
      { owner: "kw/e2e/web-3" },
      { notes: [/^10\.213\.0\.11: adopt: create takes over the Node of this host as it runs, once it proves .*; the only write is the Node's annotations kubeadm-workers\.io\/owner=kw\/e2e\/web-3 and kubeadm-workers\.io\/host=10\.213\.0\.11,/], lookups: [] },
    ],
    ["a new entry whose Node does not exist: the preview fails", {}, { nodeName: "web-9" }, { notes: [], failure: /there is no Node named web-9 in the cluster: adopt takes over a node that already runs/, lookups: ["web-9"] }],
    [
      "a new entry whose Node another stack owns: the preview fails naming both owners",
      {},
      { nodeName: "web-owned", owner: "kw/staging/web-3" },
      { notes: [], failure: /^Node web-owned is already managed by kw\/prod\/web-3 \(kubeadm-workers\.io\/owner\), and this entry, kw\/staging\/web-3, names it through host 10\.213\.0\.11/, lookups: ["web-owned"] },
    ],
    ["an entry already in the state: adopt is create-only, nothing said", { connection: { host: "10.213.0.11" } }, { nodeName: "web-3" }, { notes: [], lookups: [] }],
  ])("%s", async (_, olds, extra, expected) => {
    const lookups: string[] = [];
    const owned = { ...readyNode, name: "web-owned", annotations: { "kubeadm-workers.io/owner": "kw/prod/web-3" } };
    const readNode = (_kubeconfig: string | undefined, name: string) => (lookups.push(name), Promise.resolve(name === "web-3" ? readyNode : name === "web-owned" ? owned : undefined));
    const { failures, notes } = await checkWorkerNode(olds, adopting(extra), read, readNode);
    expect(notes).toHaveLength(expected.notes.length);
    expected.notes.forEach((note, i) => expect(notes[i]).toMatch(note));
    if (expected.failure) expect(failures).toEqual([{ property: "adopt", reason: expect.stringMatching(expected.failure) as string }]);
    else expect(failures).toEqual([]);
    expect(lookups).toEqual(expected.lookups);
  });

  test("a cluster that cannot be read does not fail the preview: create checks", async () => {
    const { failures, notes } = await checkWorkerNode({}, adopting({ nodeName: "web-3" }), read, () => Promise.reject(new Error("connect ECONNREFUSED")));
    expect(failures).toEqual([]);
    expect(notes).toEqual(["web-3: adopt: Node web-3 could not be read (connect ECONNREFUSED); create checks it before adopting"]);
  });

  test("adopt must be a boolean", async () => {
    const { failures } = await checkWorkerNode({}, { ...node(), adopt: "yes" as unknown as boolean }, read);
    expect(failures).toEqual([{ property: "adopt", reason: 'must be true or false, got "yes"' }]);
  });
});
