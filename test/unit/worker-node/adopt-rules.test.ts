import type { NodeView } from "../../../providers/cluster/kube-api";
import type { HostFacts } from "../../../providers/host/preflight";
import { adoptionProblems, joinedByOthersProblem, registeredUnderAnotherNameProblem, type AdoptionCase } from "../../../providers/worker-node/adopt-rules";
import { caPem, caPemHash } from "../fixtures/ca";

const caData = Buffer.from(caPem).toString("base64");
const otherHash = `sha256:${"0".repeat(64)}`;

const facts: HostFacts = { hostname: "web-3", machine_id: "m-3", kubelet_conf: "yes", kubelet_conf_server: "https://localhost:6443", kubelet_conf_ca: caData, control_plane_manifests: "", etcd_data: "no" };

function node(extra: Partial<NodeView> = {}): NodeView {
  return {
    name: "web-3", uid: "u", labels: { "kubernetes.io/hostname": "web-3", tier: "web" }, annotations: {}, taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }],
    unschedulable: false, ready: true, readyDetail: "True (KubeletReady)", kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://2.1.4", machineId: "m-3", ...extra,
  };
}

function adoption(extra: Partial<AdoptionCase> = {}): AdoptionCase {
  return { nodeName: "web-3", host: "web-3.example.com", facts, node: node(), caCertHash: caPemHash, owner: "kw/prod/web-3", labels: { tier: "web" }, taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }], ...extra };
}

describe("adoptionProblems: when a running node may be taken over as it runs", () => {
  test.each<[string, Partial<AdoptionCase>]>([
    ["a Ready Node of this cluster with this machine-id, carrying what the entry declares", {}],
    ["the same, declaring less than the Node carries (others' labels and taints stay theirs)", { labels: {}, taints: [] }],
    ["its kubelet.conf naming the CA by file (kubespray) rather than embedding it", { facts: { ...facts, kubelet_conf_ca: "", kubelet_conf_ca_file: caData } }],
    ["the declared version, spelled with a v", { kubernetesVersion: "v1.36.3" }],
    ["already owned by this very resource (an adoption re-run)", { node: node({ annotations: { "kubeadm-workers.io/owner": "kw/prod/web-3" } }) }],
    ["cordoned by its operator: adopted cordoned, the cordon stays theirs", { node: node({ unschedulable: true }) }],
  ])("adopted: %s", (_, extra) => {
    expect(adoptionProblems(adoption(extra))).toEqual([]);
  });

  test.each<[string, Partial<AdoptionCase>, RegExp]>([
    ["a host not joined at all", { facts: { ...facts, kubelet_conf: "no" }, node: undefined }, /has no \/etc\/kubernetes\/kubelet\.conf: it is not a joined kubeadm node.*remove adopt to join it/],
    ["no Node of that name", { node: undefined }, /there is no Node named web-3 in the cluster.*unset, it is the host's hostname "web-3"/],
    ["a host of another cluster", { caCertHash: otherHash }, /the host's kubelet trusts CA sha256:7b4deb.*, but this cluster's cluster-info publishes sha256:0{64}: the host belongs to another cluster/],
    ["a kubelet.conf whose CA cannot be read", { facts: { ...facts, kubelet_conf_ca: "" } }, /cannot be proven to belong to this cluster/],
    ["a Node that is another machine", { node: node({ machineId: "m-9" }) }, /Node web-3 reports machine-id m-9 \(status\.nodeInfo\.machineID\), but this host's \/etc\/machine-id is m-3: the Node is another machine/],
    ["a host without a machine-id", { facts: { ...facts, machine_id: "" } }, /no \/etc\/machine-id/],
    [
      "a Node another stack manages",
      { node: node({ annotations: { "kubeadm-workers.io/owner": "kw/staging/web-3" } }) },
      /Node web-3 is already managed by kw\/staging\/web-3 \(kubeadm-workers\.io\/owner\), and this entry, kw\/prod\/web-3, names it through host web-3\.example\.com: .*pulumi state delete.*in the stack of kw\/staging\/web-3.*kubectl annotate node web-3 kubeadm-workers\.io\/owner-/,
    ],
    ["a Node annotated as another machine", { node: node({ annotations: { "kubeadm-workers.io/machine-id": "m-1" } }) }, /carries kubeadm-workers\.io\/machine-id=m-1, which is not this host's machine-id m-3/],
    ["a NotReady Node", { node: node({ ready: false, readyDetail: "Unknown (NodeStatusUnknown)" }) }, /Node web-3 is not Ready \(Unknown \(NodeStatusUnknown\)\): .*bring it back to Ready first/],
    ["a control-plane Node", { node: node({ labels: { tier: "web", "node-role.kubernetes.io/control-plane": "" } }) }, /is a control-plane node \(label node-role\.kubernetes\.io\/control-plane\)/],
    ["a host running a control plane", { facts: { ...facts, control_plane_manifests: "kube-apiserver.yaml " } }, /host runs a control plane/],
    ["a declared label the Node has another value of", { labels: { tier: "batch" } }, /label tier: the entry declares "batch", Node web-3 has "web"; adopt records a node exactly as it runs/],
    ["a declared label the Node lacks", { labels: { zone: "a" } }, /label zone: the entry declares "a", Node web-3 has no such label/],
    ["a declared taint the Node lacks", { taints: [{ key: "gpu", effect: "NoSchedule" }] }, /taint gpu:NoSchedule: the entry declares it, Node web-3 does not carry it \(its taints: dedicated=web:NoSchedule\)/],
    ["a declared taint with another value", { taints: [{ key: "dedicated", value: "batch", effect: "NoSchedule" }] }, /taint dedicated=batch:NoSchedule: the entry declares it/],
    ["another Kubernetes version", { kubernetesVersion: "1.36.4" }, /kubernetesVersion: the entry declares 1\.36\.4, Node web-3 runs kubelet v1\.36\.3; adopt it at the version it runs .*set 1\.36\.3/],
  ])("refused: %s", (_, extra, problem) => {
    const problems = adoptionProblems(adoption(extra));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  test("every problem at once", () => {
    const problems = adoptionProblems(adoption({ caCertHash: otherHash, node: node({ machineId: "m-9", ready: false }), labels: { tier: "batch" } }));
    expect(problems.map((p) => p.split(":")[0])).toEqual(["the host's kubelet trusts CA sha256", "Node web-3 reports machine-id m-9 (status.nodeInfo.machineID), but this host's /etc/machine-id is m-3", "Node web-3 is not Ready (True (KubeletReady))", "label tier"]);
  });
});

describe("joinedByOthersProblem: without adopt, someone else's node is refused", () => {
  test.each<[string, NodeView | undefined, HostFacts, boolean]>([
    ["a Node joined by another tool (no annotation of ours)", node(), facts, true],
    ["a Node we joined (our machine-id annotation)", node({ annotations: { "kubeadm-workers.io/machine-id": "m-3" } }), facts, false],
    ["no Node (stale join state: reset and joined again)", undefined, facts, false],
    ["a Node but no kubelet.conf (the host was reset)", node(), { ...facts, kubelet_conf: "no" }, false],
  ])("%s: refused=%s", (_, existing, hostFacts, refused) => {
    const problem = joinedByOthersProblem("web-3", existing, hostFacts);
    expect(problem !== undefined).toBe(refused);
    if (problem) expect(problem).toMatch(/set adopt: true in its entry to take it over as it runs, or run "kubeadm reset -f" on the host/);
  });
});

describe("registeredUnderAnotherNameProblem: join state whose Node has another name is not stale", () => {
  const registered = (extra: Partial<NodeView> = {}): NodeView => node({ name: "web-3", ...extra });
  test.each<[string, NodeView | undefined, RegExp | undefined]>([
    ["no Node reports the host's machine-id: stale, reset and joined again", undefined, undefined],
    ["the Node of the entry's own name, registered again by its kubelet since it was read", registered({ name: "web-9" }), undefined],
    ["a Node of another name owned by no stack", registered(), /^the host already is Node web-3 of this cluster \(its machine-id m-3\), not web-9 as this entry names it: set nodeName: web-3/],
    ["a Node of another name another stack owns", registered({ annotations: { "kubeadm-workers.io/owner": "kw/staging/web-3" } }), /^Node web-3 is already managed by kw\/staging\/web-3/],
  ])("%s", (_, found, problem) => {
    const answer = registeredUnderAnotherNameProblem({ nodeName: "web-9", host: "10.0.0.23", registered: found, facts, owner: "kw/prod/web-9" });
    if (problem) expect(answer).toMatch(problem);
    else expect(answer).toBeUndefined();
  });
});
