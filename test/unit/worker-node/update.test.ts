import { hostOsScript } from "../../../providers/host/containerd";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import type { ClusterApi, LeaseView, NodePatch, NodeView } from "../../../providers/cluster/kube-api";
import type { CommandResult, RemoteShell, RunOptions } from "../../../providers/host/ssh-session";
import type { WorkerNodeEffects } from "../../../providers/worker-node/create";
import type { WorkerNodeInputs } from "../../../providers/worker-node/inputs";
import type { WorkerNodeOutputs } from "../../../providers/worker-node/outputs";
import type { ConnectionInputs } from "../../../providers/worker-node/inputs";
import { updateWorkerNode } from "../../../providers/worker-node/update";
import { caPem, caPemHash } from "../fixtures/ca";

const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPtMoHBY1M5qOYc0mHV6ArQNE6482s/Rijgc+Whk2nq";
const newHostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBtVmz0CBcKSuJmVsmP6jMRDtzCxJjvXzbl3ExnWhP1X";
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n";
const packages = { aptRepository: "http://10.213.0.1:8080/k8s/", aptDistribution: "/", aptKey: "KEY" };

/** Every event in one list, cluster and host alike, so the tests can assert the order. */
type Events = string[];

/** A host on which each step's check fails until its apply has run. */
class FakeShell implements RemoteShell {
  readonly address = "10.213.0.11:22";
  private readonly applied = new Set<string>();
  closed = false;
  /** The key the bastion presented, when the connection went through one. */
  bastionHostKey?: string;
  /** Every apply script run, in order. */
  readonly applies: string[] = [];
  /** Checks the host passes from the start (e.g. containerd 2 already installed). */
  alreadyDone: (check: string) => boolean = () => false;
  constructor(
    private readonly events: Events,
    readonly hostKey = hostKeyOfHost,
    private readonly onRestart: () => void = () => undefined,
  ) {}
  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.runScript(options.stdin ?? command);
  }
  runScript(script: string): Promise<CommandResult> {
    if (script === hostOsScript) return Promise.resolve({ code: 0, stdout: "os_id=debian\nos_codename=bookworm\n", stderr: "" });
    if (script.startsWith("kubeadm config images list")) return Promise.resolve({ code: 0, stdout: "registry.k8s.io/pause:3.10.1\n", stderr: "" });
    if (script.startsWith("set -e\n")) {
      const body = script.slice("set -e\n".length);
      this.applied.add(body);
      this.applies.push(script);
      if (script.includes("systemctl restart kubelet")) {
        this.events.push("host: restart kubelet");
        this.onRestart();
      } else this.events.push(`host: apply ${firstMeaningfulLine(body)}`);
      return Promise.resolve({ code: 0, stdout: "", stderr: "" });
    }
    // a check: done once an apply ran after it was first asked
    if (this.alreadyDone(script)) return Promise.resolve({ code: 0, stdout: "", stderr: "" });
    const done = this.applied.size > 0 && [...this.applied].some((a) => a.length > 0 && this.seen.has(script));
    this.seen.add(script);
    return Promise.resolve({ code: done ? 0 : 1, stdout: "", stderr: "" });
  }
  private readonly seen = new Set<string>();
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
let hostKeyOfHost = hostKey;

function firstMeaningfulLine(script: string): string {
  const lines = script.split("\n").filter((l) => l && l !== "set -e");
  if (script.includes("/etc/apt/keyrings")) return "apt source";
  return lines.find((l) => /kubeadm upgrade node|apt-mark unhold|rm -f '\/etc\/containerd/.test(l)) ?? lines[0] ?? "";
}

class FakeCluster {
  readonly server = "https://10.213.0.1:6443";
  readonly caPem = caPem;
  private readonly leases = new Map<string, LeaseView>();
  constructor(
    private readonly events: Events,
    public node: NodeView,
    private readonly serverGitVersion = "v1.36.3",
    private readonly clusterCa = caPem,
  ) {}
  serverVersion = (): Promise<string> => Promise.resolve(this.serverGitVersion);
  clusterInfoCaPem = (): Promise<string> => Promise.resolve(this.clusterCa);
  getNode = (): Promise<NodeView | undefined> => Promise.resolve(this.node);
  patchNode = (name: string, patch: NodePatch): Promise<NodeView> => {
    if (patch.unschedulable !== undefined) this.events.push(`cluster: ${patch.unschedulable ? "cordon" : "uncordon"} ${name}`);
    const annotations = { ...this.node.annotations } as Record<string, string>;
    for (const [k, v] of Object.entries(patch.annotations ?? {})) {
      if (v === null) delete annotations[k];
      else annotations[k] = v;
    }
    this.node = { ...this.node, annotations, ...(patch.unschedulable !== undefined ? { unschedulable: patch.unschedulable } : {}) };
    return Promise.resolve(this.node);
  };
  private drained = false;
  listPodsOnNode = (): Promise<never[]> => {
    if (!this.drained) this.events.push("cluster: drain (list pods)");
    this.drained = true;
    return Promise.resolve([]);
  };
  terminatingNamespaces = (): Promise<Set<string>> => Promise.resolve(new Set());
  canI = (): Promise<boolean> => Promise.resolve(true);
  volumeAttachmentsOn = (): Promise<string[]> => Promise.resolve([]);
  configMapData = (_ns: string, name: string): Promise<Record<string, string> | undefined> =>
    Promise.resolve(name === "kubelet-config" ? { kubelet: "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n" } : undefined);
  listCordonedNodes = (): Promise<NodeView[]> => Promise.resolve(this.node.unschedulable ? [this.node] : []);
  readLease = (_ns: string, name: string): Promise<LeaseView | undefined> => Promise.resolve(this.leases.get(name));
  writeLease = (lease: LeaseView): Promise<boolean> => {
    if (!this.leases.has(lease.name)) this.events.push(`cluster: slot ${lease.name} taken by ${lease.holder}`);
    this.leases.set(lease.name, lease);
    return Promise.resolve(true);
  };
  deleteLease = (_ns: string, name: string): Promise<void> => {
    this.events.push(`cluster: slot ${name} released`);
    this.leases.delete(name);
    return Promise.resolve();
  };
}

function nodeAt(kubeletVersion: string, extra: Partial<NodeView> = {}): NodeView {
  return {
    name: "lab-host-1", uid: "uid-1", labels: {}, annotations: { "kubeadm-workers.io/machine-id": "m-1" }, taints: [], unschedulable: false,
    ready: true, readyDetail: "KubeletReady", kubeletVersion, containerRuntimeVersion: "containerd://2.2.9", machineId: "m-1", ...extra,
  };
}

const olds = {
  nodeName: "lab-host-1", host: "10.213.0.11", port: 22, user: "root", hostKey, hostKeyFingerprint: "SHA256:yLGP66N6y7OpuqeObwEGWx+jErIFINQnOL9I3r+Mquo",
  apiServerEndpoint: "10.213.0.1:6443", caCertHash: caPemHash, kubernetesVersion: "1.36.2", kubeletVersion: "v1.36.2",
  containerdVersion: "containerd://2.2.9", machineId: "m-1", labels: {}, taints: [], reset: true, drain: {}, containerd: {}, packages,
  connection: { host: "10.213.0.11", privateKey, hostKey }, cluster: {},
} as WorkerNodeOutputs;
const news = (extra: Partial<WorkerNodeInputs> = {}): WorkerNodeInputs => ({ connection: { host: "10.213.0.11", privateKey }, cluster: {}, packages, ...extra });

function effectsFor(cluster: FakeCluster, shell: FakeShell | undefined, events: Events, opened: string[] = []): WorkerNodeEffects {
  let clock = Date.parse("2026-11-30T05:00:00Z");
  return {
    connectCluster: () => cluster as unknown as ClusterApi,
    openSession: (connection) => {
      opened.push(connection.hostKey ?? "");
      events.push("host: connected");
      return shell ? Promise.resolve(shell) : Promise.reject(new Error("unreachable"));
    },
    randomBytes: (size) => Buffer.alloc(size, 1),
    now: () => new Date(clock),
    sleep: (ms) => ((clock += ms), Promise.resolve()),
    log: () => undefined,
  };
}

describe("updateWorkerNode: a Node removed behind the stack's back", () => {
  test.each([
    ["state written with refresh support: refresh drops it", { givenInputs: { keys: [] } }, /someone removed it\. Run `pulumi refresh` \(it drops the node from the state\), then run `pulumi up` to join the host again/],
    ["older state, whose stored provider has no refresh: state delete", {}, /Its state predates refresh support \(a refresh would keep it\): drop it with `pulumi state delete <urn>`/],
  ])("%s", async (_, recorded, message) => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"));
    (cluster as unknown as { node: NodeView | undefined }).node = undefined;
    const error = await updateWorkerNode({ ...olds, ...recorded }, news({ labels: { tier: "web" } }), effectsFor(cluster, undefined, events)).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^Node lab-host-1 is no longer in the cluster \(https:\/\/10\.213\.0\.1:6443\)/);
    expect((error as Error).message).toMatch(message);
  });
});

describe("updateWorkerNode: a Node whose owner annotation names another resource", () => {
  test("is refused before anything is patched or any host contacted, naming both owners; a stack renamed since (the recorded owner on the Node) is re-annotated", async () => {
    const events: Events = [];
    const claimed = nodeAt("v1.36.2", { annotations: { "kubeadm-workers.io/machine-id": "m-1", "kubeadm-workers.io/owner": "kw/prod/lab-host-1" } });
    const cluster = new FakeCluster(events, claimed);
    const error = await updateWorkerNode({ ...olds, owner: "kw/staging/lab-host-1" }, news({ labels: { tier: "web" }, owner: "kw/staging/lab-host-1" }), effectsFor(cluster, undefined, events)).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^refusing to update node lab-host-1: Node lab-host-1 is managed by kw\/prod\/lab-host-1 \(kubeadm-workers\.io\/owner\), not by this resource kw\/staging\/lab-host-1\./);
    expect(cluster.node).toEqual(claimed);
    expect(events).toEqual([]);

    // the recorded owner is on the Node: the stack was renamed since, and the Node follows
    const renamed = new FakeCluster(events, claimed);
    await updateWorkerNode({ ...olds, owner: "kw/prod/lab-host-1" }, news({ labels: { tier: "web" }, owner: "kw/production/lab-host-1" }), effectsFor(renamed, undefined, events));
    expect(renamed.node.annotations["kubeadm-workers.io/owner"]).toBe("kw/production/lab-host-1");
  });
});

describe("updateWorkerNode: the endpoint a node joined through", () => {
  test("a node we joined gets the API endpoint annotation the scale-in report compares; an adopted one does not (another tool joined it)", async () => {
    for (const adopted of [false, true]) {
      const events: Events = [];
      const cluster = new FakeCluster(events, nodeAt("v1.36.2", { annotations: { "kubeadm-workers.io/machine-id": "m-1", "kubeadm-workers.io/owner": "kw/prod/lab-host-1" } }));
      await updateWorkerNode({ ...olds, owner: "kw/prod/lab-host-1", ...(adopted ? { adopted: true } : {}) }, news({ labels: { tier: "web" }, owner: "kw/prod/lab-host-1" }), effectsFor(cluster, undefined, events));
      expect(cluster.node.annotations["kubeadm-workers.io/api-server-endpoint"]).toBe(adopted ? undefined : "10.213.0.1:6443");
    }
  });
});

describe("updateWorkerNode: labels after a refresh", () => {
  test("a Node its kubelet registered again (no annotation of ours) gets its labels and our machine-id annotation back; an adopted one only its labels", async () => {
    for (const adopted of [false, true]) {
      const events: Events = [];
      const cluster = new FakeCluster(events, nodeAt("v1.36.2", { annotations: {} }));
      const { outs } = await updateWorkerNode({ ...olds, adopted, drift: ["label tier is missing"] }, news({ labels: { tier: "web" } }), effectsFor(cluster, undefined, events));
      expect(cluster.node.annotations["kubeadm-workers.io/machine-id"]).toBe(adopted ? undefined : "m-1");
      expect(outs.drift).toBeUndefined();
    }
  });
});

describe("updateWorkerNode: a kubernetesVersion change is kubeadm's in-place worker upgrade", () => {
  beforeEach(() => (hostKeyOfHost = hostKey));

  test("slot, cordon, drain, kubeadm, kubeadm upgrade node, kubelet and kubectl, restart, Ready at the new version, uncordon, release", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"));
    const shell = new FakeShell(events, hostKey, () => (cluster.node = { ...cluster.node, kubeletVersion: "v1.36.3" }));

    const { outs } = await updateWorkerNode(olds, news({ kubernetesVersion: "v1.36.3" }), effectsFor(cluster, shell, events));

    expect(events).toEqual([
      "host: connected",
      "cluster: slot kubeadm-workers-drain-0 taken by lab-host-1",
      "cluster: cordon lab-host-1",
      "cluster: drain (list pods)",
      "host: apply apt source",
      "host: apply apt-mark unhold kubeadm",
      "host: apply kubeadm upgrade node --v=1",
      "host: apply apt-mark unhold kubelet kubectl",
      "host: restart kubelet",
      "cluster: uncordon lab-host-1",
      "cluster: slot kubeadm-workers-drain-0 released",
    ]);
    expect(outs).toMatchObject({ kubernetesVersion: "1.36.3", kubeletVersion: "v1.36.3", nodeName: "lab-host-1" });
    expect(Object.keys(cluster.node.annotations).filter((k) => k.startsWith("kubeadm-workers.io/drain-"))).toEqual([]);
    expect(shell.closed).toBe(true);
  });

  test("an upgrade leaves no drain annotation behind, not even one an earlier drain left", async () => {
    const events: Events = [];
    const stale = { "kubeadm-workers.io/machine-id": "m-1", "kubeadm-workers.io/drain-owners": "[]", "kubeadm-workers.io/drain-phase": "timed-out", "kubeadm-workers.io/cordoned-before-drain": "true" };
    const cluster = new FakeCluster(events, nodeAt("v1.36.2", { annotations: stale }));
    const shell = new FakeShell(events, hostKey, () => (cluster.node = { ...cluster.node, kubeletVersion: "v1.36.3" }));

    await updateWorkerNode(olds, news({ kubernetesVersion: "1.36.3" }), effectsFor(cluster, shell, events));

    expect(Object.keys(cluster.node.annotations).filter((k) => k.startsWith("kubeadm-workers.io/drain-") || k.startsWith("kubeadm-workers.io/cordoned-"))).toEqual([]);
  });

  test("a kubelet that never reports the new version fails naming what was awaited; the node stays cordoned and the slot is released", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"));
    const shell = new FakeShell(events);

    const error = await updateWorkerNode(olds, news({ kubernetesVersion: "1.36.3", joinTimeout: "1m" }), effectsFor(cluster, shell, events)).catch((e: Error) => e);

    expect((error as Error).message).toMatch(
      /Node lab-host-1 did not report Ready with kubelet v1\.36\.3 within 1m after the kubelet restart \(Ready: KubeletReady, kubelet v1\.36\.2\)\. It stays cordoned/,
    );
    expect(cluster.node.unschedulable).toBe(true);
    expect(events.at(-1)).toBe("cluster: slot kubeadm-workers-drain-0 released");
    expect(events).not.toContain("cluster: uncordon lab-host-1");
  });

  // A slot lost after the drain (during the host steps or the Ready wait) goes unnoticed by the
  // drain's pauses: the node must not be uncordoned as if the budget still held (issue 8, item 7).
  test("a slot taken by another drain during the upgrade stops it before the uncordon, naming the Lease and its holder; the node stays cordoned", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"));
    const leases = (cluster as unknown as { leases: Map<string, LeaseView> }).leases;
    const shell = new FakeShell(events, hostKey, () => {
      cluster.node = { ...cluster.node, kubeletVersion: "v1.36.3" };
      // GIVEN another drain takes the slot over while the kubelet restarts
      const lease = leases.get("kubeadm-workers-drain-0") as LeaseView;
      leases.set(lease.name, { ...lease, holder: "lab-host-2" });
    });

    const error = await updateWorkerNode(olds, news({ kubernetesVersion: "1.36.3" }), effectsFor(cluster, shell, events)).catch((e: Error) => e);

    expect((error as Error).message).toMatch(
      /upgrade of lab-host-1 stopped before the uncordon: drain slot kubeadm-workers-drain-0 \(Lease kube-system\/kubeadm-workers-drain-0\) is now held by lab-host-2\..*stays cordoned.*next `pulumi up`.*resumes/,
    );
    expect(events).not.toContain("cluster: uncordon lab-host-1");
    expect(cluster.node.unschedulable).toBe(true);
    // the other holder's slot is left alone
    expect(leases.get("kubeadm-workers-drain-0")?.holder).toBe("lab-host-2");
  });

  test("the node is uncordoned only once the node lifecycle controller has lifted a not-ready taint the kubelet restart brought", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"));
    const tainted = (): NodeView => ({ ...cluster.node, kubeletVersion: "v1.36.3", taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }] });
    const shell = new FakeShell(events, hostKey, () => (cluster.node = tainted()));
    let polls = 0;
    const read = cluster.getNode;
    cluster.getNode = async () => {
      const node = await read();
      if (node?.taints.length && ++polls === 3) {
        events.push("cluster: not-ready taint lifted");
        cluster.node = { ...cluster.node, taints: [] };
      }
      return node;
    };

    await updateWorkerNode(olds, news({ kubernetesVersion: "1.36.3" }), effectsFor(cluster, shell, events));

    expect(events.slice(-3)).toEqual(["cluster: not-ready taint lifted", "cluster: uncordon lab-host-1", "cluster: slot kubeadm-workers-drain-0 released"]);
  });

  test("a cluster with another CA is refused before anything is cordoned or installed", async () => {
    const events: Events = [];
    // another cluster's CA: a fresh self-signed certificate
    const otherCa = execFileSync("sh", ["-c", 'openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=kubernetes -days 1 2>/dev/null']).toString();
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"), "v1.36.3", otherCa);

    const error = await updateWorkerNode(olds, news({ kubernetesVersion: "1.36.3" }), effectsFor(cluster, new FakeShell(events), events)).catch((e: Error) => e);

    expect((error as Error).message).toMatch(/the cluster at https:\/\/10\.213\.0\.1:6443 publishes CA sha256:[0-9a-f]{64} in kube-public\/cluster-info, but the node joined the cluster with CA sha256:7b4deb/);
    expect(events).toEqual([]); // not even a connection to the host
  });

  test.each([
    ["a label change", { labels: { tier: "web" } }],
    ["a kubeconfig that now reaches another cluster", { cluster: { kubeconfig: "apiVersion: v1\nkind: Config\n" } }],
  ])("%s against a cluster with another CA patches no Node: refused naming both CAs", async (_what, change) => {
    const events: Events = [];
    const otherCa = execFileSync("sh", ["-c", 'openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=kubernetes -days 1 2>/dev/null']).toString();
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"), "v1.36.2", otherCa);
    const patched: string[] = [];
    const patchNode = cluster.patchNode;
    cluster.patchNode = (name, patch) => (patched.push(name), patchNode(name, patch));

    const error = await updateWorkerNode(olds, news({ kubernetesVersion: "1.36.2", ...change }), effectsFor(cluster, new FakeShell(events), events)).catch((e: Error) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/publishes CA sha256:[0-9a-f]{64} in kube-public\/cluster-info, but the node joined the cluster with CA sha256:7b4deb.*another cluster/);
    expect(patched).toEqual([]);
  });

  test("a Node that is another machine is refused before anything is touched", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2", { machineId: "m-2", annotations: {} }));

    const error = await updateWorkerNode(olds, news({ kubernetesVersion: "1.36.3" }), effectsFor(cluster, new FakeShell(events), events)).catch((e: Error) => e);

    expect((error as Error).message).toMatch(/it joined as machine m-1, but Node lab-host-1 on https:\/\/10\.213\.0\.1:6443 reports machine m-2/);
    expect(events).toEqual([]); // not even a connection to the host
  });

  test.each([
    ["1.36.1", "v1.36.3", /never downgraded in place/],
    ["1.38.0", "v1.38.0", /skips 1 minor release/],
    ["1.36.4", "v1.36.3", /newer than the control plane \(kube-apiserver 1\.36\.3\)/],
  ])("%s on a node at 1.36.2 (control plane %s) is refused before any connection", async (version, controlPlane, reason) => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"), controlPlane);
    const error = await updateWorkerNode(olds, news({ kubernetesVersion: version }), effectsFor(cluster, new FakeShell(events), events)).catch((e: Error) => e);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).toMatch(/Nothing was changed/);
    expect(events).toEqual([]);
  });

  test("a cordon someone else set survives the upgrade", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2", { unschedulable: true }));
    const shell = new FakeShell(events, hostKey, () => (cluster.node = { ...cluster.node, kubeletVersion: "v1.36.3" }));
    await updateWorkerNode(olds, news({ kubernetesVersion: "1.36.3" }), effectsFor(cluster, shell, events));
    expect(cluster.node.unschedulable).toBe(true);
    expect(events.filter((e) => /uncordon/.test(e))).toEqual([]);
  });

  test("a node an earlier up already upgraded is not drained again", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.3"));
    const { outs } = await updateWorkerNode(olds, news({ kubernetesVersion: "1.36.3" }), effectsFor(cluster, new FakeShell(events), events));
    expect(outs.kubernetesVersion).toBe("1.36.3");
    expect(events).toEqual(["host: connected"]);
  });

  test("an unset or equal version changes nothing on the host", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"));
    for (const kubernetesVersion of [undefined, "1.36.2", "v1.36.2"]) {
      const { outs } = await updateWorkerNode(olds, news(kubernetesVersion ? { kubernetesVersion } : {}), effectsFor(cluster, undefined, events));
      expect(outs.kubernetesVersion).toBe("1.36.2");
    }
    expect(events).toEqual([]);
  });
});

describe("updateWorkerNode converges what it records", () => {
  beforeEach(() => (hostKeyOfHost = hostKey));

  test("a re-pinned host key is proved on a connection and stored in the outputs", async () => {
    const events: Events = [];
    const opened: string[] = [];
    hostKeyOfHost = newHostKey;
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"));
    const shell = new FakeShell(events, newHostKey);

    const { outs } = await updateWorkerNode(olds, news({ connection: { host: "10.213.0.11", privateKey, hostKey: newHostKey } }), effectsFor(cluster, shell, events, opened));

    expect(opened).toEqual([newHostKey]);
    expect(outs.hostKey).toBe(newHostKey);
    expect(outs.connection.hostKey).toBe(newHostKey);
    const blob = Buffer.from(newHostKey.split(" ")[1], "base64");
    expect(outs.hostKeyFingerprint).toBe(`SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`);
  });

  test("the recorded key pinned by fingerprint is not a re-pin: no connection", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"));
    const { outs } = await updateWorkerNode(olds, news({ connection: { host: "10.213.0.11", privateKey, hostKey: olds.hostKeyFingerprint } }), effectsFor(cluster, undefined, events));
    expect(outs.hostKey).toBe(hostKey);
    expect(events).toEqual([]);
  });

  test("a changed package source re-runs the apt source step; dropped mirrors are removed", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.36.2"));
    const withMirrors = { ...olds, containerd: { registryMirrors: { "docker.io": ["https://m:5000"], "quay.io": ["https://q:5000"] } } } as WorkerNodeOutputs;
    const shell = new FakeShell(events);

    await updateWorkerNode(
      withMirrors,
      news({ packages: { ...packages, aptRepository: "http://mirror.lab/k8s/" }, containerd: { registryMirrors: { "quay.io": ["https://q:5000"] } } }),
      effectsFor(cluster, shell, events),
    );

    expect(events.slice(0, 3)).toEqual(["host: connected", "host: apply apt source", "host: apply rm -f '/etc/containerd/certs.d/docker.io/hosts.toml' && { rmdir '/etc/containerd/certs.d/docker.io' 2>/dev/null || true; }"]);
    expect(events.some((e) => /apt-mark unhold|kubeadm upgrade|cordon/.test(e))).toBe(false);
  });
});

describe("updateWorkerNode converges the containerd apt source (issue 8 item 8)", () => {
  const containerdSourceList = "/etc/apt/sources.list.d/kubeadm-workers-containerd.list";
  const mirror = { aptRepository: "http://10.213.0.1:8080/containerd/", aptDistribution: "/", aptKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmirror\n" };
  beforeEach(() => (hostKeyOfHost = hostKey));

  /** A host with containerd 2 installed: the runtime package step has nothing to do. */
  function withContainerd2(events: Events): FakeShell {
    const shell = new FakeShell(events);
    shell.alreadyDone = (check) => check.includes("kw_installed");
    return shell;
  }

  test("going back from a mirror to Docker's repository writes Docker's source and fetches its key, with containerd 2 already installed", async () => {
    const events: Events = [];
    const shell = withContainerd2(events);

    await updateWorkerNode({ ...olds, containerd: mirror }, news({ containerd: {} }), effectsFor(new FakeCluster(events, nodeAt("v1.36.2")), shell, events));

    const written = shell.applies.filter((script) => script.includes(containerdSourceList));
    expect(written).toHaveLength(1);
    expect(written[0]).toContain("https://download.docker.com/linux/debian/ bookworm stable");
    expect(written[0]).toContain("curl -fsSL 'https://download.docker.com/linux/debian/gpg'");
    expect(written[0]).not.toMatch(/apt-get .* install/);
  });

  test("a changed mirror key is written; a change of the mirrors alone leaves the apt source alone", async () => {
    const events: Events = [];
    const shell = withContainerd2(events);
    const newKey = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nrotated\n";

    await updateWorkerNode({ ...olds, containerd: mirror }, news({ containerd: { ...mirror, aptKey: newKey } }), effectsFor(new FakeCluster(events, nodeAt("v1.36.2")), shell, events));
    expect(shell.applies.filter((script) => script.includes(containerdSourceList) && script.includes(shellQuoted(newKey)))).toHaveLength(1);

    const mirrorsOnly = withContainerd2(events);
    await updateWorkerNode(
      { ...olds, containerd: mirror },
      news({ containerd: { ...mirror, registryMirrors: { "docker.io": ["https://m:5000"] } } }),
      effectsFor(new FakeCluster(events, nodeAt("v1.36.2")), mirrorsOnly, events),
    );
    expect(mirrorsOnly.applies.filter((script) => script.includes(containerdSourceList))).toEqual([]);
  });
});

function shellQuoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

describe("updateWorkerNode records a bastion's host key as create does (pinned if given, else the key met first)", () => {
  const bastionKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBtVmz0CBcKSuJmVsmP6jMRDtzCxJjvXzbl3ExnWhP1X";
  const bastionFingerprint = `SHA256:${createHash("sha256").update(Buffer.from(bastionKey.split(" ")[1], "base64")).digest("base64").replace(/=+$/, "")}`;
  const bastion = { host: "10.213.0.1", user: "jump", privateKey };
  beforeEach(() => (hostKeyOfHost = hostKey));

  /** The update's connections, whole, through a host whose bastion presents `bastionKey`. */
  function throughBastion(events: Events, cluster: FakeCluster, presented = bastionKey): { effects: WorkerNodeEffects; dialled: ConnectionInputs[] } {
    const shell = new FakeShell(events);
    shell.bastionHostKey = presented;
    const dialled: ConnectionInputs[] = [];
    const base = effectsFor(cluster, shell, events);
    return { effects: { ...base, openSession: (connection, options) => (dialled.push(connection), base.openSession(connection, options)) }, dialled };
  }

  test("a bastion added by an update (no key given) is met on a connection, and the key it presented is recorded", async () => {
    const events: Events = [];
    const { effects, dialled } = throughBastion(events, new FakeCluster(events, nodeAt("v1.36.2")));

    const { outs } = await updateWorkerNode(olds, news({ connection: { host: "10.213.0.11", privateKey, proxy: bastion } }), effects);

    expect(dialled).toHaveLength(1);
    expect(dialled[0].hostKey).toBe(hostKey);
    expect(outs.connection.proxy).toEqual({ ...bastion, hostKey: bastionKey });
    expect(outs.hostKey).toBe(hostKey);
  });

  test("the key the pre-update check met at a new bastion is the one this update's connection must meet", async () => {
    const events: Events = [];
    const { effects, dialled } = throughBastion(events, new FakeCluster(events, nodeAt("v1.36.2")));

    const { outs } = await updateWorkerNode(olds, news({ connection: { host: "10.213.0.11", privateKey, proxy: bastion } }), effects, { hostKey, bastionHostKey: bastionKey });

    expect(dialled[0].proxy?.hostKey).toBe(bastionKey);
    expect(outs.connection.proxy?.hostKey).toBe(bastionKey);
  });

  test("a bastion pinned by fingerprint in the update is proved on a connection, and the key line it presented recorded", async () => {
    const events: Events = [];
    const { effects, dialled } = throughBastion(events, new FakeCluster(events, nodeAt("v1.36.2")));

    const { outs } = await updateWorkerNode(olds, news({ connection: { host: "10.213.0.11", privateKey, proxy: { ...bastion, hostKey: bastionFingerprint } } }), effects);

    expect(dialled[0].proxy?.hostKey).toBe(bastionFingerprint);
    expect(outs.connection.proxy?.hostKey).toBe(bastionKey);
  });

  test("another bastion address is met for the first time: its key is recorded, not the old bastion's", async () => {
    const events: Events = [];
    const recorded = { ...olds, connection: { ...olds.connection, proxy: { ...bastion, hostKey: "ssh-ed25519 AAAAold" } } } as WorkerNodeOutputs;
    const { effects, dialled } = throughBastion(events, new FakeCluster(events, nodeAt("v1.36.2")));

    const { outs } = await updateWorkerNode(recorded, news({ connection: { host: "10.213.0.11", privateKey, proxy: { ...bastion, host: "10.213.0.2" } } }), effects);

    expect(dialled[0].proxy?.hostKey).toBeUndefined();
    expect(outs.connection.proxy).toEqual({ ...bastion, host: "10.213.0.2", hostKey: bastionKey });
  });

  test("the recorded bastion keeps its key: no connection for it alone, and any connection of the update must meet that key", async () => {
    const events: Events = [];
    const recorded = { ...olds, connection: { ...olds.connection, proxy: { ...bastion, hostKey: bastionKey } } } as WorkerNodeOutputs;
    const unchanged = throughBastion(events, new FakeCluster(events, nodeAt("v1.36.2")));

    // pinned by its fingerprint now: the same key, so the recorded line stays and nothing is dialled
    const { outs } = await updateWorkerNode(recorded, news({ labels: { tier: "web" }, connection: { host: "10.213.0.11", privateKey, proxy: { ...bastion, hostKey: bastionFingerprint } } }), unchanged.effects);
    expect(unchanged.dialled).toEqual([]);
    expect(outs.connection.proxy?.hostKey).toBe(bastionKey);

    const hostChange = throughBastion(events, new FakeCluster(events, nodeAt("v1.36.2")));
    await updateWorkerNode(recorded, news({ packages: { ...packages, aptRepository: "http://mirror.lab/k8s/" }, connection: { host: "10.213.0.11", privateKey, proxy: bastion } }), hostChange.effects);
    expect(hostChange.dialled.map((c) => c.proxy?.hostKey)).toEqual([bastionKey]);
  });
});

describe("updateWorkerNode: an upgrade to a Kubernetes release that needs containerd 2", () => {
  beforeEach(() => (hostKeyOfHost = hostKey));

  test("is refused before any host is contacted or any Node cordoned when the live Node reports containerd 1.x, naming both versions and the way out", async () => {
    const events: Events = [];
    const opened: string[] = [];
    // the version recorded at the last up says containerd 2; the Node as it is now says 1.7
    const cluster = new FakeCluster(events, nodeAt("v1.35.4", { containerRuntimeVersion: "containerd://1.7.24" }));
    const at135 = { ...olds, kubernetesVersion: "1.35.4", kubeletVersion: "v1.35.4" } as WorkerNodeOutputs;

    const error = await updateWorkerNode(at135, news({ kubernetesVersion: "1.36.3" }), effectsFor(cluster, new FakeShell(events), events, opened)).catch((e: Error) => e);

    expect((error as Error).message).toBe(
      "node lab-host-1: kubernetesVersion 1.36.3 refused: the node runs containerd 1.7.24 (its Node reports containerd://1.7.24), but Kubernetes 1.36 requires containerd 2.0 or newer " +
        "(1.35 was the last release to support containerd 1.x), and an in-place upgrade never replaces the container runtime. Keep kubernetesVersion at 1.35, or set containerd.upgrade: true " +
        "and replace the node (`pulumi up --replace <its URN>`; `pulumi stack --show-urns` lists them): it is drained and removed, and its host joins again with containerd 2 in place of 1.x. Nothing was changed.",
    );
    expect(opened).toEqual([]);
    expect(events).toEqual([]);
    expect(cluster.node.unschedulable).toBe(false);
  });

  test("a node at 1.35 stays on containerd 1.x through a 1.35 patch upgrade", async () => {
    const events: Events = [];
    const cluster = new FakeCluster(events, nodeAt("v1.35.4", { containerRuntimeVersion: "containerd://1.7.24" }), "v1.36.3");
    const shell = new FakeShell(events, hostKey, () => (cluster.node = { ...cluster.node, kubeletVersion: "v1.35.5" }));
    const at135 = { ...olds, kubernetesVersion: "1.35.4", kubeletVersion: "v1.35.4", containerdVersion: "containerd://1.7.24" } as WorkerNodeOutputs;

    const { outs } = await updateWorkerNode(at135, news({ kubernetesVersion: "1.35.5" }), effectsFor(cluster, shell, events));

    expect(outs.kubernetesVersion).toBe("1.35.5");
  });
});
