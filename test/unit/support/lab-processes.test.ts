import { labHostOfCgroup, leftoverTestProcesses, newSightings, type ProcessEntry } from "../../support/lab-processes";

const labDir = "/work/x/.lab";
const marks = { kubeconfig: `${labDir}/kubeconfig`, sshKey: `${labDir}/ssh/id_ed25519`, projectDirPrefix: "/tmp/kw-", samplerScript: "host-sampler-main.js", exceptPids: [] as number[] };

describe("labHostOfCgroup: the lab host whose cgroup tree a process runs in", () => {
  test.each<[string, string, string | undefined]>([
    ["a host's init (cgroup v2)", "0::/user.slice/session-1.scope/kubeadm-workers-lab/lab-host-2\n", "lab-host-2"],
    ["a container under a host's kubelet", "0::/init.scope/kubeadm-workers-lab/lab-host-1/kubepods/besteffort/pod1/abc\n", "lab-host-1"],
    ["cgroup v1 hierarchies", "12:pids:/kubeadm-workers-lab/lab-host-3\n11:memory:/kubeadm-workers-lab/lab-host-3/kubepods\n", "lab-host-3"],
    ["a process of the machine", "0::/user.slice/user-0.slice/session-4.scope\n", undefined],
    ["the lab's own tree above the hosts (host-start.sh between two moves)", "0::/kubeadm-workers-lab\n", undefined],
  ])("%s", (_what, cgroup, host) => {
    expect(labHostOfCgroup(cgroup)).toBe(host);
  });
});

describe("newSightings: each process of a lab host written once per command line it shows", () => {
  test("the first sample writes every host process, the same sample again nothing, the machine's never", () => {
    const seen = new Set<string>();
    const sample: ProcessEntry[] = [
      { pid: 10, args: "kubeadm join --config /etc/kubernetes/kubeadm-workers-join.json", host: "lab-host-1" },
      { pid: 11, args: "pulumi up --yes" },
      { pid: 12, args: "/usr/sbin/sshd -D -e", host: "lab-host-2" },
    ];
    expect(newSightings(sample, seen)).toEqual(["lab-host-1 10: kubeadm join --config /etc/kubernetes/kubeadm-workers-join.json", "lab-host-2 12: /usr/sbin/sshd -D -e"]);
    expect(newSightings(sample, seen)).toEqual([]);
  });

  test("a process that execs (new command line, same pid) and a second run of one command (new pid) are written again", () => {
    const seen = new Set<string>();
    newSightings([{ pid: 10, args: "sh -c kubeadm join", host: "lab-host-1" }], seen);
    expect(newSightings([{ pid: 10, args: "kubeadm join", host: "lab-host-1" }], seen)).toEqual(["lab-host-1 10: kubeadm join"]);
    expect(newSightings([{ pid: 20, args: "kubeadm join", host: "lab-host-1" }], seen)).toEqual(["lab-host-1 20: kubeadm join"]);
  });
});

describe("leftoverTestProcesses: processes the tests started that still run", () => {
  const leftovers = (processes: ProcessEntry[], except: number[] = []) => leftoverTestProcesses(processes, { ...marks, exceptPids: except });

  test.each<[string, ProcessEntry, RegExp]>([
    ["a PdbObserver's watch", { pid: 1, args: `kubectl --kubeconfig ${labDir}/kubeconfig get --raw /api/v1/namespaces/e2e/pods?watch=1&resourceVersion=5` }, /^pid 1 on the machine: kubectl against the lab: kubectl --kubeconfig/],
    ["a followed container log", { pid: 2, args: `kubectl --kubeconfig ${labDir}/kubeconfig logs -f -n e2e web-1` }, /^pid 2 on the machine: kubectl against the lab/],
    ["an SSH command to a lab host", { pid: 3, args: `ssh -i ${labDir}/ssh/id_ed25519 -o StrictHostKeyChecking=no root@10.213.0.11 sleep 600` }, /^pid 3 on the machine: ssh to a lab host/],
    ["a background pulumi up", { pid: 4, args: "pulumi up --yes --skip-preview --non-interactive", backend: "file:///tmp/kw-faults-AbC123/.backend" }, /^pid 4 on the machine: pulumi \(or a plugin\) of test project \/tmp\/kw-faults-AbC123: pulumi up/],
    ["the provider plugin it started", { pid: 5, args: "/usr/bin/node /x/node_modules/@pulumi/pulumi/cmd/dynamic-provider", backend: "file:///tmp/kw-faults-AbC123/.backend" }, /^pid 5 on the machine: pulumi \(or a plugin\)/],
    ["a host process sampler of another run", { pid: 6, args: "/opt/node/bin/node /work/x/dist/test/e2e/support/host-sampler-main.js 999" }, /^pid 6 on the machine: a host process sampler/],
    ["an armed SSH cutter on a host", { pid: 7, args: "sh /tmp/kw-cut-1765000000000.sh", host: "lab-host-2" }, /^pid 7 on lab-host-2: a script the tests put on the host: sh \/tmp\/kw-cut-/],
  ])("%s", (_what, process, description) => {
    expect(leftovers([process])).toEqual([expect.stringMatching(description)]);
  });

  test.each<[string, ProcessEntry]>([
    ["the lab's control plane", { pid: 1, args: "kube-apiserver --bind-address=10.213.0.1 --client-ca-file=/work/x/.lab/pki/ca.crt" }],
    ["kwok, with a kubeconfig of its own", { pid: 2, args: `kwok --kubeconfig=${labDir}/control-plane/kwok.conf` }],
    ["another lab's kubectl (another checkout)", { pid: 3, args: "kubectl --kubeconfig /work/other/.lab/kubeconfig get --raw /api?watch=1" }],
    ["a pulumi of the user's own (another backend)", { pid: 4, args: "pulumi up", backend: "file:///home/user/state" }],
    ["a host's kubelet", { pid: 5, args: "/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml", host: "lab-host-1" }],
    ["the sampler of this run", { pid: 6, args: "/opt/node/bin/node /work/x/dist/test/e2e/support/host-sampler-main.js 999" }],
  ])("not one: %s", (_what, process) => {
    expect(leftovers([process], [6])).toEqual([]);
  });

  test("a long command line is cut in the description", () => {
    const [line] = leftovers([{ pid: 1, args: `kubectl --kubeconfig ${labDir}/kubeconfig get ${"x".repeat(1000)}` }]);
    expect(line.length).toBeLessThan(300);
  });
});
