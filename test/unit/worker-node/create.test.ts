import { KubernetesApiError, type ClusterApi, type NodePatch, type NodeView, type SecretSpec } from "../../../providers/cluster/kube-api";
import { SshError } from "../../../providers/host/ssh-error";
import type { CommandResult, RemoteShell, RunOptions } from "../../../providers/host/ssh-session";
import { createWorkerNode, type WorkerNodeEffects } from "../../../providers/worker-node/create";
import type { WorkerNodeInputs } from "../../../providers/worker-node/inputs";
import { caPem } from "../fixtures/ca";

const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPtMoHBY1M5qOYc0mHV6ArQNE6482s/Rijgc+Whk2nq";
const facts = [
  "os_id=debian", "os_like=", "os_version=12", "arch=x86_64", "uid=0", "sudo=no", "hostname=worker-1", "machine_id=m-1",
  "apt=yes", `mem_kb=${8 * 1024 * 1024}`, `var_free_kb=${50 * 1024 * 1024}`, "listening=22 ", "kubelet_conf=no", "kubelet_conf_server=",
  "pid1=systemd", "os_codename=bookworm",
].join("\n");
const kubeadmImages = "registry.k8s.io/kube-proxy:v1.36.3\nregistry.k8s.io/pause:3.10.1\nregistry.k8s.io/etcd:3.6.4-0\n";
const hostLogs = [
  "=== kubeadm-workers log kubelet journalctl -u kubelet -n 30",
  'E1130 kubelet.go:3000] "Container runtime not ready" err="container runtime is down" token=abcdef.0123456789abcdef',
  "=== kubeadm-workers log containerd journalctl -u containerd -n 30",
  "level=info msg=\"Stop CRI service\"",
].join("\n");

type Responder = (command: string, options: RunOptions) => CommandResult | Error;

/** A host that answers each command through `respond` and records what it was asked. */
class FakeShell implements RemoteShell {
  readonly address = "10.0.0.21:22";
  readonly hostKey = hostKey;
  readonly commands: string[] = [];
  /** Every script run, whole. */
  readonly scripts: string[] = [];
  closed = false;
  constructor(private readonly respond: Responder) {}
  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const label = command === "bash -s" ? (options.stdin ?? "").trim().split("\n")[0] ?? "" : command;
    this.commands.push(label);
    if (command === "bash -s") this.scripts.push(options.stdin ?? "");
    const answer = this.respond(command, options);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }
  runScript(script: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.run("bash -s", { ...options, stdin: script });
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const ok = (stdout = ""): CommandResult => ({ code: 0, stdout, stderr: "" });

/** Every host step already done; preflight facts as above; the join answers `join`. */
function host(join: () => CommandResult | Error, reset: () => CommandResult | Error = () => ok(), hostFacts = facts): FakeShell {
  return new FakeShell((command, options) => {
    const script = options.stdin ?? "";
    if (script.includes('echo "os_id=')) return ok(hostFacts);
    if (command.startsWith("kubeadm config images list")) return ok(kubeadmImages);
    if (script.includes("=== kubeadm-workers log")) return ok(hostLogs);
    if (command.startsWith("kubeadm join")) return join();
    if (script.includes("kubeadm reset -f")) return reset();
    return ok();
  });
}

class FakeCluster implements Partial<ClusterApi> {
  readonly server = "https://10.0.0.1:6443";
  readonly caPem = caPem;
  readonly calls: string[] = [];
  node: NodeView | undefined;
  serverVersion = (): Promise<string> => Promise.resolve("v1.36.3");
  clusterInfoCaPem = (): Promise<string> => Promise.resolve(caPem);
  kubeadmControlPlaneEndpoint = (): Promise<string | undefined> => Promise.resolve("10.0.0.1:6443");
  kubeletConfig: string | undefined = "apiVersion: kubelet.config.k8s.io/v1beta1\ncgroupDriver: systemd\nkind: KubeletConfiguration\n";
  configMapData = (_ns: string, name: string): Promise<Readonly<Record<string, string>> | undefined> =>
    Promise.resolve<Readonly<Record<string, string>> | undefined>(
      name === "kubelet-config" ? (this.kubeletConfig === undefined ? undefined : { kubelet: this.kubeletConfig })
      : name === "kubeadm-config" ? { ClusterConfiguration: "imageRepository: registry.k8s.io\n" }
      : undefined,
    );
  createSecret = (secret: SecretSpec): Promise<void> => (this.calls.push(`create ${secret.name}`), Promise.resolve());
  deleteSecret = (_ns: string, name: string): Promise<void> => (this.calls.push(`delete ${name}`), Promise.resolve());
  getNode = (_name?: string): Promise<NodeView | undefined> => Promise.resolve(this.node);
  /** Every Node the cluster has: the one getNode answers with, by default. */
  nodes = (): Promise<NodeView[]> => Promise.all([this.getNode("worker-1")]).then((found) => found.filter((n): n is NodeView => n !== undefined));
  findNodeByMachineId = (machineId: string): Promise<NodeView | undefined> => this.nodes().then((all) => all.find((n) => n.machineId === machineId));
  deleteNode = (name: string): Promise<void> => (this.calls.push(`delete node ${name}`), Promise.resolve());
  patchNode = (name: string, patch: NodePatch): Promise<NodeView> => {
    this.calls.push(`patch ${name} ${JSON.stringify(patch)}`);
    return Promise.resolve(this.node as NodeView);
  };
}

function readyNode(): NodeView {
  return {
    name: "worker-1", uid: "u", labels: {}, annotations: {}, taints: [], unschedulable: false, ready: true, readyDetail: "True",
    kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://1.7.24", machineId: "m-1",
  };
}

const inputs: WorkerNodeInputs = {
  connection: { host: "10.0.0.21", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n", hostKey },
  cluster: {},
  labels: { tier: "web" },
};

function effects(cluster: FakeCluster, shells: FakeShell[], opened: { hostKey?: string }[] = []): WorkerNodeEffects {
  let clock = new Date("2026-11-29T10:00:00Z").getTime();
  return {
    connectCluster: () => cluster as unknown as ClusterApi,
    openSession: (connection) => {
      opened.push({ ...(connection.hostKey ? { hostKey: connection.hostKey } : {}) });
      const next = shells.shift();
      return next ? Promise.resolve(next) : Promise.reject(new Error("no more sessions"));
    },
    randomBytes: (size) => Buffer.alloc(size, 7),
    now: () => new Date(clock),
    sleep: (ms) => ((clock += ms), Promise.resolve()),
    log: () => undefined,
  };
}

/** The error a promise rejects with; a resolution fails the test. */
function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected create to fail, it succeeded");
    },
    (error: Error) => error,
  );
}

describe("createWorkerNode", () => {
  test("stale join state (kubelet.conf, no Node) is reset before the host steps, which bring containerd back up for the join", async () => {
    const cluster = new FakeCluster();
    const staleFacts = facts.replace("kubelet_conf=no", "kubelet_conf=yes").replace("kubelet_conf_server=", "kubelet_conf_server=https://10.0.0.1:6443");
    const events: string[] = [];
    const shell = new FakeShell((command, options) => {
      const script = options.stdin ?? "";
      if (script.includes('echo "os_id=')) return ok(staleFacts);
      if (command.startsWith("kubeadm config images list")) return events.push("host steps"), ok(kubeadmImages);
      if (script.includes("kubeadm reset -f")) return events.push("reset"), ok();
      if (command.startsWith("kubeadm join")) {
        events.push("join");
        cluster.node = readyNode();
      }
      return ok();
    });

    await createWorkerNode(inputs, effects(cluster, [shell]));

    // kubeadm reset removes /etc/cni/net.d, which stops containerd 2: the host steps after it start it again
    expect(events.filter((e, i) => events.indexOf(e) === i)).toEqual(["reset", "host steps", "join"]);
  });

  test("a host that already is this cluster's Node, joined by another tool (no annotation of ours), is refused pointing at adopt; nothing runs on it", async () => {
    const cluster = new FakeCluster();
    cluster.node = readyNode(); // the kubelet reports this host's machine-id; no kubeadm-workers annotation
    const joinedFacts = facts.replace("kubelet_conf=no", "kubelet_conf=yes").replace("kubelet_conf_server=", "kubelet_conf_server=https://10.0.0.1:6443");
    const shell = host(() => ok(), () => ok(), joinedFacts);

    const error = await failureOf(createWorkerNode(inputs, effects(cluster, [shell])));

    expect(error.message).toMatch(/the host already is Node worker-1 of this cluster, joined by another tool or by hand .*set adopt: true in its entry/);
    expect(error.message).toMatch(/nothing was changed on it/);
    expect(shell.scripts).toHaveLength(1); // the facts only
    expect(cluster.calls).toEqual([]);
  });

  // Gap C (issue 8): one Node must never have two owners, whose removal would drain and delete it
  // while the other still declares it (a second stack, or one host spelled two ways in one stack).
  test("a host whose Node another resource owns (kubeadm-workers.io/owner) is refused naming both owners, the node and the host; nothing runs on it", async () => {
    const cluster = new FakeCluster();
    cluster.node = {
      ...readyNode(),
      annotations: { "kubeadm-workers.io/machine-id": "m-1", "kubeadm-workers.io/owner": "kw/prod/web-1", "kubeadm-workers.io/host": "worker-1.example.com" },
    };
    const joinedFacts = facts.replace("kubelet_conf=no", "kubelet_conf=yes").replace("kubelet_conf_server=", "kubelet_conf_server=https://10.0.0.1:6443");
    const shell = host(() => ok(), () => ok(), joinedFacts);

    const error = await failureOf(createWorkerNode({ ...inputs, owner: "kw/staging/web-1" }, effects(cluster, [shell])));

    expect(error.message).toMatch(/nothing was changed on it/);
    expect(error.message).toContain(
      "Node worker-1 is already managed by kw/prod/web-1 (kubeadm-workers.io/owner; it joined through host worker-1.example.com), and this entry, kw/staging/web-1, names it through host 10.0.0.21",
    );
    expect(error.message).toMatch(/remove one of the two entries.*pulumi state delete.*in the stack of kw\/prod\/web-1.*kubectl annotate node worker-1 kubeadm-workers\.io\/owner- kubeadm-workers\.io\/host-/s);
    expect(shell.scripts).toHaveLength(1); // the facts only: no host step, no join, no reset
    expect(cluster.calls).toEqual([]); // no token, no patch of the other owner's Node
  });

  test("a host another stack joined under another node name is refused naming that Node and its owner; it is not reset as stale join state", async () => {
    const cluster = new FakeCluster();
    const theirs: NodeView = { ...readyNode(), annotations: { "kubeadm-workers.io/machine-id": "m-1", "kubeadm-workers.io/owner": "kw/prod/web-1", "kubeadm-workers.io/host": "10.0.0.21" } };
    cluster.getNode = (name?: string) => Promise.resolve(name === "worker-1" ? theirs : undefined);
    const joinedFacts = facts.replace("kubelet_conf=no", "kubelet_conf=yes").replace("kubelet_conf_server=", "kubelet_conf_server=https://10.0.0.1:6443");
    const shell = host(() => ok(), () => ok(), joinedFacts);

    // GIVEN this entry names the Node web-b: there is no Node of that name, but the host is worker-1
    const error = await failureOf(createWorkerNode({ ...inputs, nodeName: "web-b", owner: "kw/staging/web-b" }, effects(cluster, [shell])));

    expect(error.message).toMatch(/nothing was changed on it/);
    expect(error.message).toContain("Node worker-1 is already managed by kw/prod/web-1 (kubeadm-workers.io/owner; it joined through host 10.0.0.21), and this entry, kw/staging/web-b, names it through host 10.0.0.21");
    expect(shell.scripts).toHaveLength(1); // the facts only: above all, no kubeadm reset
    expect(cluster.calls).toEqual([]);
  });

  test("a host that already is a Node of another name, owned by no stack, is refused pointing at nodeName; it is not reset", async () => {
    const cluster = new FakeCluster();
    cluster.getNode = (name?: string) => Promise.resolve(name === "worker-1" ? readyNode() : undefined);
    const joinedFacts = facts.replace("kubelet_conf=no", "kubelet_conf=yes").replace("kubelet_conf_server=", "kubelet_conf_server=https://10.0.0.1:6443");
    const shell = host(() => ok(), () => ok(), joinedFacts);

    const error = await failureOf(createWorkerNode({ ...inputs, nodeName: "web-b" }, effects(cluster, [shell])));

    expect(error.message).toContain("the host already is Node worker-1 of this cluster (its machine-id m-1), not web-b as this entry names it");
    expect(shell.scripts).toHaveLength(1);
    expect(cluster.calls).toEqual([]);
  });

  test("a Node this very resource owns (a create resumed after it joined) takes the already-joined path", async () => {
    const cluster = new FakeCluster();
    cluster.node = { ...readyNode(), annotations: { "kubeadm-workers.io/machine-id": "m-1", "kubeadm-workers.io/owner": "kw/prod/web-1" } };
    const joinedFacts = facts.replace("kubelet_conf=no", "kubelet_conf=yes").replace("kubelet_conf_server=", "kubelet_conf_server=https://10.0.0.1:6443");
    const shell = host(() => new Error("no join expected: the host is already joined"), () => ok(), joinedFacts);

    const { outs } = await createWorkerNode({ ...inputs, owner: "kw/prod/web-1" }, effects(cluster, [shell]));

    expect(outs.owner).toBe("kw/prod/web-1");
    expect(shell.commands.some((c) => c.startsWith("kubeadm join"))).toBe(false);
  });

  test("a resumed create of a Node our unfinished drain left cordoned uncordons it and clears every drain mark, the draining label too", async () => {
    const cluster = new FakeCluster();
    cluster.node = {
      ...readyNode(),
      unschedulable: true,
      labels: { "kubeadm-workers.io/draining": "true" },
      annotations: { "kubeadm-workers.io/machine-id": "m-1", "kubeadm-workers.io/owner": "kw/prod/web-1", "kubeadm-workers.io/drain-phase": "evicting" },
    };
    const joinedFacts = facts.replace("kubelet_conf=no", "kubelet_conf=yes").replace("kubelet_conf_server=", "kubelet_conf_server=https://10.0.0.1:6443");
    const shell = host(() => new Error("no join expected: the host is already joined"), () => ok(), joinedFacts);

    await createWorkerNode({ ...inputs, owner: "kw/prod/web-1" }, effects(cluster, [shell]));

    const patch = JSON.parse(cluster.calls.find((c) => c.startsWith("patch worker-1 "))!.slice("patch worker-1 ".length)) as NodePatch;
    expect(patch.unschedulable).toBe(false);
    expect(patch.labels).toMatchObject({ "kubeadm-workers.io/draining": null });
    expect(patch.annotations).toMatchObject({ "kubeadm-workers.io/drain-phase": null });
  });

  test("joins, labels the Node, records the host key and deletes the token", async () => {
    const cluster = new FakeCluster();
    const shell = host(() => {
      cluster.node = readyNode();
      return ok();
    });

    const { id, outs } = await createWorkerNode(inputs, effects(cluster, [shell]));

    expect(id).toBe("worker-1");
    expect(outs).toMatchObject({ nodeName: "worker-1", hostKey, machineId: "m-1", kubernetesVersion: "1.36.3", apiServerEndpoint: "10.0.0.1:6443" });
    expect(cluster.calls[0]).toMatch(/^create bootstrap-token-[a-z0-9]{6}$/);
    expect(cluster.calls[1]).toMatch(/"labels":\{"tier":"web"\}.*"kubeadm-workers.io\/machine-id":"m-1"/);
    expect(cluster.calls[2]).toBe(cluster.calls[0]?.replace("create", "delete"));
    // the join config went over stdin to a mode-600 file, and was removed
    expect(shell.commands).toContain("mkdir -p /etc/kubernetes && umask 077 && cat > /etc/kubernetes/kubeadm-workers-join.json");
    expect(shell.commands).toContain("rm -f /etc/kubernetes/kubeadm-workers-join.json");
    expect(shell.closed).toBe(true);
  });

  test("the joined Node records its owner, its host and the API endpoint it joined through, for the scale-in report", async () => {
    const cluster = new FakeCluster();
    const shell = host(() => {
      cluster.node = readyNode();
      return ok();
    });

    await createWorkerNode({ ...inputs, owner: "kw/prod/web-1" }, effects(cluster, [shell]));

    const patch = JSON.parse(cluster.calls[1].slice("patch worker-1 ".length)) as NodePatch;
    expect(patch.annotations).toMatchObject({
      "kubeadm-workers.io/owner": "kw/prod/web-1",
      "kubeadm-workers.io/host": "10.0.0.21",
      "kubeadm-workers.io/api-server-endpoint": "10.0.0.1:6443",
    });
  });

  test("an API server restarted while the join waits for Ready: the waits ride through it, the node joins and the token is deleted", async () => {
    const cluster = new FakeCluster();
    const shell = host(() => {
      cluster.node = readyNode();
      return ok();
    });
    // the API server goes away right after the join and answers again after three attempts
    let outage = 0;
    const getNode = cluster.getNode;
    cluster.getNode = () => (cluster.node && outage++ < 3 ? Promise.reject(new KubernetesApiError("Kubernetes API https://10.0.0.1:6443: reading Node worker-1 failed: connect ECONNREFUSED 10.0.0.1:6443.", undefined)) : getNode());
    const lines: string[] = [];

    const { outs } = await createWorkerNode(inputs, { ...effects(cluster, [shell]), log: (l) => void lines.push(l) });

    expect(outs.nodeName).toBe("worker-1");
    expect(cluster.calls[cluster.calls.length - 1]).toMatch(/^delete bootstrap-token-/);
    expect(lines.filter((l) => /API server/.test(l))).toEqual([
      "worker-1: the API server does not answer (Kubernetes API https://10.0.0.1:6443: reading Node worker-1 failed: connect ECONNREFUSED 10.0.0.1:6443.); retrying for up to 60s",
      "worker-1: the API server answers again",
    ]);
  });

  test("a refused join resets the host, deletes the token and says what was undone", async () => {
    const cluster = new FakeCluster();
    const shell = host(() => ({ code: 1, stdout: "", stderr: "[ERROR SystemVerification]: cgroups v1" }));

    const error = await failureOf(createWorkerNode(inputs, effects(cluster, [shell])));

    expect(error.message).toMatch(/^create of worker worker-1 on 10\.0\.0\.21:22 failed: host 10\.0\.0\.21:22: kubeadm join failed with exit code 1:/);
    expect(error.message).toMatch(/cgroups v1/);
    expect(error.message).toMatch(/undone: host reset \(kubeadm reset -f\)$/);
    expect(shell.commands.some((c) => c.includes("rm -f /etc/kubernetes/kubeadm-workers-join.json"))).toBe(true);
    expect(cluster.calls.filter((c) => c.startsWith("delete bootstrap-token-"))).toHaveLength(1);
    expect(cluster.calls.some((c) => c.startsWith("delete node"))).toBe(false);
  });

  test("a connection lost during the join is rolled back over a new connection pinned to the same host key", async () => {
    const cluster = new FakeCluster();
    const lost = (): Error => new SshError("connection to 10.0.0.21:22 was lost while running: kubeadm join", "CONNECTION_LOST");
    const first = host(lost, lost);
    const second = host(() => ok());
    const opened: { hostKey?: string }[] = [];

    const error = await failureOf(createWorkerNode({ ...inputs, connection: { ...inputs.connection, hostKey: undefined } }, effects(cluster, [first, second], opened)));

    expect(error.message).toMatch(/was lost while running: kubeadm join/);
    expect(error.message).toMatch(/undone: host reset/);
    // the second connection had to present the key the first one recorded
    expect(opened).toEqual([{}, { hostKey }]);
    expect(second.commands.some((c) => c.includes("set -u"))).toBe(true);
    expect(second.closed).toBe(true);
  });

  test("a preflight failure changes nothing: no host step, no token", async () => {
    const cluster = new FakeCluster();
    cluster.node = { ...readyNode(), machineId: "someone-else" };
    const shell = host(() => ok());

    const error = await failureOf(createWorkerNode(inputs, effects(cluster, [shell])));

    expect(error.message).toMatch(/preflight of host 10\.0\.0\.21:22 \(node worker-1\) failed; nothing was changed on it/);
    expect(error.message).toMatch(/a Node named worker-1 already exists and is not this host \(machine-id m-1, Node's someone-else\)/);
    expect(shell.commands).toHaveLength(1);
    expect(cluster.calls).toEqual([]);
  });

  // Rollback removes only a Node this create registered (drain-safety, issue 8 item 3).
  test("a join that fails after this host's kubelet registered its Node removes that Node", async () => {
    const cluster = new FakeCluster();
    const shell = host(() => {
      cluster.node = readyNode();
      return { code: 1, stdout: "", stderr: "timed out waiting for the condition" };
    });

    const error = await failureOf(createWorkerNode(inputs, effects(cluster, [shell])));

    expect(error.message).toMatch(/undone: host reset \(kubeadm reset -f\); Node worker-1 removed$/);
    expect(cluster.calls).toContain("delete node worker-1");
  });

  test("a join that fails while a Node of that name from another machine appeared leaves that Node alone", async () => {
    const cluster = new FakeCluster();
    const shell = host(() => {
      cluster.node = { ...readyNode(), machineId: "another-machine" };
      return { code: 1, stdout: "", stderr: "a Node with name worker-1 and status Ready already exists" };
    });

    const error = await failureOf(createWorkerNode(inputs, effects(cluster, [shell])));

    expect(error.message).toMatch(/undone: host reset \(kubeadm reset -f\)$/);
    expect(cluster.calls.some((c) => c.startsWith("delete node"))).toBe(false);
  });

  test("the runtime follows the cluster: systemd cgroups from kubelet-config, the sandbox image the version's kubeadm names", async () => {
    const cluster = new FakeCluster();
    const shell = host(() => ((cluster.node = readyNode()), ok()));

    await createWorkerNode(inputs, effects(cluster, [shell]));

    expect(shell.commands).toContain("kubeadm config images list --kubernetes-version 'v1.36.3' --image-repository 'registry.k8s.io'");
    const configCheck = shell.scripts.find((s) => s.includes("/etc/containerd/config.toml") && s.includes("pinned_images")) ?? "";
    expect(configCheck).toContain('sandbox = "registry.k8s.io/pause:3.10.1"');
    expect(configCheck).toContain("SystemdCgroup = true");
  });

  test("a cluster without kubeadm's kubelet-config is refused before the host is touched", async () => {
    const cluster = new FakeCluster();
    cluster.kubeletConfig = undefined;
    const shell = host(() => ok());

    const error = await failureOf(createWorkerNode(inputs, effects(cluster, [shell])));

    expect(error.message).toMatch(/no ConfigMap kube-system\/kubelet-config with a "kubelet" key/);
    expect(shell.commands).toEqual([]);
  });

  test("preflight refuses containerd 1.x on Kubernetes 1.36, naming both versions and the option", async () => {
    const cluster = new FakeCluster();
    const shell = host(() => ok(), () => ok(), `${facts}\ncontainerd_package=containerd\ncontainerd_version=1.6.20~ds1-1+b1`);

    const error = await failureOf(createWorkerNode(inputs, effects(cluster, [shell])));

    expect(error.message).toMatch(/containerd 1\.6\.20~ds1-1\+b1 \(package containerd\) is installed, but Kubernetes 1\.36 requires containerd 2\.0 or newer: set containerd\.upgrade: true/);
    expect(shell.commands).toHaveLength(1);
    expect(cluster.calls).toEqual([]);
  });

  test("a Node that registers but is not Ready within joinTimeout fails with its conditions and the host's logs, and is rolled back", async () => {
    const cluster = new FakeCluster();
    const notReady: NodeView = {
      ...readyNode(),
      ready: false,
      readyDetail: "False (KubeletNotReady: container runtime is down)",
      conditions: [
        { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory" },
        { type: "Ready", status: "False", reason: "KubeletNotReady", message: "container runtime is down" },
      ],
    };
    const shell = host(() => ((cluster.node = notReady), ok()));

    const error = await failureOf(createWorkerNode({ ...inputs, joinTimeout: "2m" }, effects(cluster, [shell])));

    expect(error.message).toContain("Node worker-1 registered but was not Ready within joinTimeout (2m); its conditions:\n    Ready=False (KubeletNotReady: container runtime is down)\n    MemoryPressure=False (KubeletHasSufficientMemory)");
    expect(error.message).toContain("last lines of the kubelet log on 10.0.0.21:22 (journalctl -u kubelet -n 30):\n    E1130");
    expect(error.message).toContain("last lines of the containerd log on 10.0.0.21:22 (journalctl -u containerd -n 30):\n    level=info");
    expect(error.message).not.toContain("abcdef.0123456789abcdef");
    expect(error.message).toMatch(/undone: host reset \(kubeadm reset -f\); Node worker-1 removed$/);
    expect(cluster.calls).toContain("delete node worker-1");
    expect(cluster.calls.filter((c) => c.startsWith("delete bootstrap-token-"))).toHaveLength(1);
  });

  test("a Node Ready before the node lifecycle controller lifted its not-ready taint is waited on until the taint is gone", async () => {
    const cluster = new FakeCluster();
    const tainted: NodeView = { ...readyNode(), taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }] };
    const seen: string[] = [];
    let polls = 0;
    cluster.getNode = () => {
      // The controller lifts the taint a few seconds after the kubelet reports Ready.
      if (cluster.node === tainted && ++polls > 3) cluster.node = readyNode();
      if (cluster.node) seen.push(cluster.node.taints.map((t) => t.key).join(",") || "untainted");
      return Promise.resolve(cluster.node);
    };
    const shell = host(() => ((cluster.node = tainted), ok()));

    await createWorkerNode(inputs, effects(cluster, [shell]));

    expect(seen).toEqual(["node.kubernetes.io/not-ready", "node.kubernetes.io/not-ready", "node.kubernetes.io/not-ready", "untainted"]);
  });

  test("a Node Ready whose not-ready taint is never lifted fails at joinTimeout naming the taint and kube-controller-manager", async () => {
    const cluster = new FakeCluster();
    const shell = host(() => ((cluster.node = { ...readyNode(), taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }] }), ok()));

    const error = await failureOf(createWorkerNode({ ...inputs, joinTimeout: "2m" }, effects(cluster, [shell])));

    expect(error.message).toContain(
      "Node worker-1 is Ready but did not take pods within joinTimeout (2m): the node lifecycle controller (kube-controller-manager) has not lifted node.kubernetes.io/not-ready:NoExecute yet",
    );
    expect(error.message).toMatch(/Check kube-controller-manager/);
    expect(cluster.calls).toContain("delete node worker-1");
  });

  test("a failed kubeadm join carries the host's kubelet and containerd logs", async () => {
    const cluster = new FakeCluster();
    const shell = host(() => ({ code: 1, stdout: "", stderr: "[kubelet-check] The kubelet is not healthy after 4m0s" }));

    const error = await failureOf(createWorkerNode(inputs, effects(cluster, [shell])));

    expect(error.message).toMatch(/kubeadm join failed with exit code 1:[\s\S]*The kubelet is not healthy[\s\S]*last lines of the kubelet log on 10\.0\.0\.21:22/);
    expect(error.message).toMatch(/undone: host reset/);
  });
});
