import { execFileSync } from "node:child_process";
import { evaluatePreflight, parseFacts, preflightScript } from "../../../providers/host/preflight";

const healthy = {
  os_id: "debian", os_like: "", arch: "x86_64", uid: "0", sudo: "no", hostname: "lab-host-1", apt: "yes",
  mem_kb: String(4 * 1024 * 1024), var_free_kb: String(20 * 1024 * 1024), listening: "22 ",
  kubelet_conf: "no", kubelet_conf_server: "",
};
const expectations = { apiServerEndpoint: "10.213.0.1:6443" };

test("the facts script runs on this machine and yields every fact evaluatePreflight reads", () => {
  const facts = parseFacts(execFileSync("bash", ["-s"], { input: preflightScript }).toString());
  expect(Object.keys(facts).sort()).toEqual(
    ["apt", "arch", "hostname", "kubelet_conf", "kubelet_conf_server", "listening", "machine_id", "mem_kb", "os_id", "os_like", "os_version", "sudo", "swap_kb", "uid", "var_free_kb"],
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
