import { execFileSync } from "node:child_process";
import { evaluatePreflight, existingNodeProblems, parseFacts, preflightScript, type ExistingNode, type PreflightExpectations } from "../../../providers/host/preflight";
import { caCertHash } from "../../../providers/cluster/ca-hash";
import { caPem } from "../fixtures/ca";

const healthy = {
  os_id: "debian", os_like: "", arch: "x86_64", uid: "0", sudo: "no", hostname: "lab-host-1", apt: "yes",
  mem_kb: String(4 * 1024 * 1024), var_free_kb: String(20 * 1024 * 1024), listening: "22 ",
  kubelet_conf: "no", kubelet_conf_server: "", kubelet_conf_ca: "", pid1: "sshd", control_plane_manifests: "", etcd_data: "no",
};
const clusterCa = caCertHash(caPem);
const caBase64 = Buffer.from(caPem).toString("base64");
const expectations = { apiServerEndpoint: "10.213.0.1:6443" };

test("the facts script runs on this machine and yields every fact evaluatePreflight reads", () => {
  const facts = parseFacts(execFileSync("bash", ["-s"], { input: preflightScript }).toString());
  expect(Object.keys(facts).sort()).toEqual(
    expect.arrayContaining([
      "apt", "arch", "containerd_binary", "containerd_binary_package", "control_plane_manifests", "etcd_data", "hostname", "kubelet_conf", "kubelet_conf_ca", "kubelet_conf_server", "listening",
      "machine_id", "mem_kb", "os_id", "os_like", "os_version", "pid1", "sudo", "swap_kb", "uid", "var_free_kb",
    ]),
  );
  expect(Number(facts.mem_kb)).toBeGreaterThan(0);
});

test("a healthy host passes", () => {
  expect(evaluatePreflight(healthy, expectations)).toEqual([]);
});

test.each([
  { description: "Ubuntu (Debian family)", change: { os_id: "ubuntu", os_like: "debian" } },
  { description: "a non-root user with sudo", change: { uid: "1000", sudo: "yes" } },
  { description: "an arm64 host", change: { arch: "aarch64" } },
  { description: "a re-run on a host we joined", change: { kubelet_conf: "yes", kubelet_conf_server: "https://10.213.0.1:6443", listening: "22 10248 10250" } },
  { description: "an invalid hostname when nodeName is set", change: { hostname: "Bad_Host" }, nodeName: "good-name" },
])("accepts $description", ({ change, nodeName }) => {
  expect(evaluatePreflight({ ...healthy, ...change }, { ...expectations, nodeName })).toEqual([]);
});

test.each([
  { description: "a RHEL host", change: { os_id: "rhel", os_like: "fedora", apt: "no" }, problem: /operating system "rhel" is not Debian or Ubuntu/ },
  { description: "a 32-bit host", change: { arch: "i686" }, problem: /architecture "i686" is not supported/ },
  { description: "a user without sudo", change: { uid: "1000" }, problem: /uid 1000 and no password-less sudo/ },
  { description: "an invalid hostname", change: { hostname: "Bad_Host" }, problem: /hostname "Bad_Host" cannot be a Node name.*set nodeName/ },
  { description: "little memory", change: { mem_kb: String(512 * 1024) }, problem: /memory is 512 MiB, below the 1024 MiB/ },
  { description: "a full /var", change: { var_free_kb: "1024" }, problem: /\/var has 1 MiB free/ },
  { description: "busy kubelet ports", change: { listening: "22 10250 10256" }, problem: /ports 10250, 10256 already in use/ },
  { description: "a host of another cluster", change: { kubelet_conf: "yes", kubelet_conf_server: "https://10.9.9.9:6443" }, problem: /already belongs to a cluster \(.*10\.9\.9\.9.*kubeadm reset -f/ },
])("refuses $description", ({ change, problem }) => {
  expect(evaluatePreflight({ ...healthy, ...change }, expectations)).toEqual([expect.stringMatching(problem)]);
});

test("lists every problem at once", () => {
  const problems = evaluatePreflight({ ...healthy, arch: "i686", uid: "1000", listening: "10250" }, expectations);
  expect(problems).toHaveLength(3);
});

const v136 = { ...expectations, kubernetesVersion: "1.36.3", caCertHash: clusterCa, cgroupDriver: "cgroupfs" as const };

test.each<{ description: string; change: Record<string, string>; expect: Partial<PreflightExpectations> }>([
  { description: "a re-run on a host we joined, same server and CA", change: { kubelet_conf: "yes", kubelet_conf_server: "https://10.213.0.1:6443", kubelet_conf_ca: caBase64, listening: "22 10250" }, expect: {} },
  { description: "containerd.io 2 already installed", change: { containerd_package: "containerd.io", containerd_version: "2.1.4-1", containerd_binary: "/usr/bin/containerd" }, expect: {} },
  { description: "containerd 1.x when it will be upgraded", change: { containerd_package: "containerd", containerd_version: "1.6.20~ds1-1+b1" }, expect: { containerdUpgrade: true } },
  { description: "containerd 1.x for Kubernetes 1.35", change: { containerd_package: "containerd", containerd_version: "1.7.24~ds1-6" }, expect: { kubernetesVersion: "1.35.4" } },
  { description: "a containerd binary some package owns (left half-configured)", change: { containerd_binary: "/usr/bin/containerd", containerd_binary_package: "containerd" }, expect: {} },
  { description: "the systemd driver with systemd as PID 1", change: { pid1: "systemd" }, expect: { cgroupDriver: "systemd" as const } },
  { description: "the cgroupfs driver without systemd", change: { pid1: "tini" }, expect: {} },
])("accepts $description", ({ change, expect: extra }) => {
  expect(evaluatePreflight({ ...healthy, ...change }, { ...v136, ...extra })).toEqual([]);
});

test.each<{ description: string; change: Record<string, string>; extra: Partial<PreflightExpectations>; problem: RegExp }>([
  {
    description: "containerd 1.x on Kubernetes 1.36",
    change: { containerd_package: "containerd", containerd_version: "1.6.20~ds1-1+b1" },
    extra: {},
    problem: /^containerd 1\.6\.20~ds1-1\+b1 \(package containerd\) is installed, but Kubernetes 1\.36 requires containerd 2\.0 or newer: set containerd\.upgrade: true to replace it in place with containerd\.io 2\.x/,
  },
  {
    description: "an old containerd.io with another package configured",
    change: { containerd_package: "containerd.io", containerd_version: "1.7.28-1" },
    extra: { containerdPackage: "containerd-lab" },
    problem: /containerd 1\.7\.28-1 \(package containerd\.io\).*replace it in place with containerd-lab 2\.x/,
  },
  {
    description: "the systemd driver without systemd",
    change: { pid1: "tini" },
    extra: { cgroupDriver: "systemd" as const },
    problem: /sets cgroupDriver systemd, but PID 1 on this host is "tini", not systemd/,
  },
  {
    description: "a control-plane host",
    change: { control_plane_manifests: "kube-apiserver.yaml etcd.yaml " },
    extra: {},
    problem: /host runs a control plane: \/etc\/kubernetes\/manifests holds kube-apiserver\.yaml, etcd\.yaml: a control-plane host must never become a worker/,
  },
  {
    description: "a containerd that no package installed",
    change: { containerd_binary: "/usr/local/bin/containerd" },
    extra: {},
    problem: /^containerd at \/usr\/local\/bin\/containerd is not from a Debian package.*containerd\.io is the only containerd/,
  },
  { description: "etcd data", change: { etcd_data: "yes" }, extra: {}, problem: /host holds etcd data \(\/var\/lib\/etcd\/member\)/ },
  {
    description: "a host joined to another cluster behind the same address (its CA differs)",
    change: { kubelet_conf: "yes", kubelet_conf_server: "https://10.213.0.1:6443", kubelet_conf_ca: caBase64 },
    extra: { caCertHash: "sha256:0000000000000000000000000000000000000000000000000000000000000000" },
    problem: new RegExp(`already joined to another cluster: /etc/kubernetes/kubelet.conf points at https://10\\.213\\.0\\.1:6443 and trusts CA ${clusterCa}, but this cluster .* has CA sha256:0{64}: run "kubeadm reset -f"`),
  },
  {
    description: "a host of this cluster joined through another endpoint",
    change: { kubelet_conf: "yes", kubelet_conf_server: "https://lb.example:6443", kubelet_conf_ca: caBase64 },
    extra: {},
    problem: /points at https:\/\/lb\.example:6443, not https:\/\/10\.213\.0\.1:6443; it trusts this cluster's CA, so set cluster\.apiServerEndpoint to lb\.example:6443/,
  },
])("refuses $description", ({ change, extra, problem }) => {
  expect(evaluatePreflight({ ...healthy, ...change }, { ...v136, ...extra })).toEqual([expect.stringMatching(problem)]);
});

test("lists the runtime, control-plane and cluster problems together", () => {
  const problems = evaluatePreflight(
    { ...healthy, containerd_package: "containerd", containerd_version: "1.6.20", control_plane_manifests: "etcd.yaml", etcd_data: "yes", pid1: "bash" },
    { ...v136, cgroupDriver: "systemd" },
  );
  expect(problems).toHaveLength(4);
});

describe("the Node of the host's name", () => {
  const facts = { ...healthy, machine_id: "m-1" };
  test.each<{ description: string; node: ExistingNode | undefined; problem: RegExp | undefined }>([
    { description: "no Node", node: undefined, problem: undefined },
    { description: "this host's worker Node", node: { name: "w", labels: {}, thisHost: true, machineId: "m-1" }, problem: undefined },
    {
      description: "another machine's Node",
      node: { name: "w", labels: {}, thisHost: false, machineId: "m-2" },
      problem: /a Node named w already exists and is not this host \(machine-id m-1, Node's m-2\).*kubectl delete node w/,
    },
    {
      description: "this host as a control-plane Node",
      node: { name: "cp-1", labels: { "node-role.kubernetes.io/control-plane": "" }, thisHost: true, machineId: "m-1" },
      problem: /this host is the control-plane node cp-1 \(label node-role\.kubernetes\.io\/control-plane\): kubeadm-workers manages worker nodes only/,
    },
  ])("$description", ({ node, problem }) => {
    expect(existingNodeProblems(node, facts)).toEqual(problem ? [expect.stringMatching(problem)] : []);
  });
});

describe("Kubernetes packages already on the host", () => {
  const wants = { ...expectations, kubernetesVersion: "1.36.2" };

  test.each([
    { description: "none installed", kube_packages: "" },
    { description: "the same release (a re-run)", kube_packages: "kubeadm=1.36.2-1.1 kubelet=1.36.2-1.1 kubectl=1.36.2-1.1" },
    { description: "an older release (apt upgrades it)", kube_packages: "kubelet=1.35.4-1.1" },
  ])("accepts $description", ({ kube_packages }) => {
    expect(evaluatePreflight({ ...healthy, kube_packages }, wants)).toEqual([]);
  });

  test("refuses a newer release, which apt would have to downgrade, naming both versions and the fixes", () => {
    expect(evaluatePreflight({ ...healthy, kube_packages: "kubeadm=1.36.3-1.1 kubelet=1.36.3-1.1 kubectl=1.36.2-1.1" }, wants)).toEqual([
      "kubeadm 1.36.3-1.1, kubelet 1.36.3-1.1 already installed, newer than kubernetesVersion 1.36.2: " +
        "set kubernetesVersion to 1.36.3, or remove them from the host (apt-mark unhold kubeadm kubelet; apt-get purge kubeadm kubelet)",
    ]);
  });
});
