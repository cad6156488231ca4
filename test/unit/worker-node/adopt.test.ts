import type { ClusterApi, NodePatch, NodeView } from "../../../providers/cluster/kube-api";
import type { CommandResult, RemoteShell, RunOptions } from "../../../providers/host/ssh-session";
import { adoptWorkerNode } from "../../../providers/worker-node/adopt";
import type { WorkerNodeEffects } from "../../../providers/worker-node/create";
import type { WorkerNodeInputs } from "../../../providers/worker-node/inputs";
import { caPem, caPemHash } from "../fixtures/ca";

const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPPtMoHBY1M5qOYc0mHV6ArQNE6482s/Rijgc+Whk2nq";
const facts = ["hostname=web-3", "machine_id=m-3", "kubelet_conf=yes", "kubelet_conf_server=https://127.0.0.1:6443", `kubelet_conf_ca=${Buffer.from(caPem).toString("base64")}`].join("\n");

/** A host that answers the facts script and records every command; anything else fails the test. */
class FactsOnlyShell implements RemoteShell {
  readonly address = "10.213.0.13:22";
  readonly hostKey = hostKey;
  readonly scripts: string[] = [];
  closed = false;
  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.runScript(options.stdin ?? command);
  }
  runScript(script: string): Promise<CommandResult> {
    this.scripts.push(script);
    return Promise.resolve(script.includes('echo "machine_id=') ? { code: 0, stdout: facts, stderr: "" } : { code: 99, stdout: "", stderr: "adopt must only read facts" });
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** A cluster that records every write; the only one adopt may make is the ownership annotations' patch. */
function cluster(node: NodeView | undefined, writes: string[]): ClusterApi {
  const write = (what: string) => () => (writes.push(what), Promise.reject(new Error(`adopt must not ${what}`)));
  return {
    server: "https://10.213.0.1:6443", caPem,
    clusterInfoCaPem: () => Promise.resolve(caPem),
    kubeadmControlPlaneEndpoint: () => Promise.resolve("10.213.0.1:6443"),
    getNode: () => Promise.resolve(node),
    patchNode: (name: string, patch: NodePatch) => (writes.push(`patch ${name} ${JSON.stringify(patch)}`), Promise.resolve({ ...(node as NodeView), annotations: { ...node?.annotations, ...patch.annotations } })),
    deleteNode: write("delete the Node"), createSecret: write("create a Secret"), deleteSecret: write("delete a Secret"),
  } as unknown as ClusterApi;
}

const readyNode: NodeView = {
  name: "web-3", uid: "u", labels: { tier: "web" }, annotations: {}, taints: [], unschedulable: false, ready: true, readyDetail: "True",
  kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://1.7.24", machineId: "m-3", capacity: { cpu: "2" }, allocatable: { cpu: "2" },
};
const inputs: WorkerNodeInputs = { connection: { host: "10.213.0.13", privateKey: "k" }, cluster: {}, labels: { tier: "web" }, adopt: true, owner: "kw/e2e/web-3" };

function effects(shell: FactsOnlyShell, api: ClusterApi, lines: string[]): WorkerNodeEffects {
  return { connectCluster: () => api, openSession: () => Promise.resolve(shell), randomBytes: (n) => Buffer.alloc(n), now: () => new Date(0), sleep: () => Promise.resolve(), log: (l) => lines.push(l) };
}

describe("adoptWorkerNode", () => {
  test("records the Node as it runs after reading the host's facts: no other command; the only write is the owner and host annotations on the Node, and the log says so", async () => {
    const shell = new FactsOnlyShell();
    const writes: string[] = [];
    const lines: string[] = [];
    const { id, outs } = await adoptWorkerNode(inputs, effects(shell, cluster(readyNode, writes), lines));
    expect(id).toBe("web-3");
    expect(outs).toMatchObject({
      nodeName: "web-3", machineId: "m-3", caCertHash: caPemHash, kubernetesVersion: "1.36.3", kubeletVersion: "v1.36.3", containerdVersion: "containerd://1.7.24",
      labels: { tier: "web" }, adopted: true, hostKey, connection: { host: "10.213.0.13", privateKey: "k", hostKey }, nodeStatus: { ready: true, capacity: { cpu: "2" } }, owner: "kw/e2e/web-3",
    });
    expect(shell.scripts).toHaveLength(1);
    // The owner annotation makes the Node this resource's: another stack's create or adopt is refused
    // on it, and the scale-in report finds it when the entry goes; the host annotation lets the report
    // see a host change. No label, taint or cordon.
    expect(writes).toEqual([`patch web-3 ${JSON.stringify({ annotations: { "kubeadm-workers.io/owner": "kw/e2e/web-3", "kubeadm-workers.io/host": "10.213.0.13" } })}`]);
    expect(shell.closed).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^web-3: adopted as it runs: Node web-3 Ready, kubelet v1\.36\.3, containerd:\/\/1\.7\.24, machine-id m-3, CA sha256:7b4deb1b5b79…; the only write is the Node's annotations kubeadm-workers\.io\/owner=kw\/e2e\/web-3 and kubeadm-workers\.io\/host=10\.213\.0\.13, by which the scale-in report finds the node when its entry goes or its host changes; nothing on the host changed$/,
    );
  });

  test("a refusal lists every problem and says nothing was changed", async () => {
    const shell = new FactsOnlyShell();
    const writes: string[] = [];
    const error = await adoptWorkerNode({ ...inputs, labels: { tier: "batch" } }, effects(shell, cluster({ ...readyNode, machineId: "m-9" }, writes), [])).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^adoption of host 10\.213\.0\.13:22 \(node web-3\) refused; nothing was changed on the host or the Node:\n {2}- Node web-3 reports machine-id m-9 .*\n {2}- label tier: the entry declares "batch"/);
    expect(writes).toEqual([]);
    expect(shell.closed).toBe(true);
  });

  test("a Node another stack owns is refused naming both owners, the node, the host and the way out; nothing is written", async () => {
    const shell = new FactsOnlyShell();
    const writes: string[] = [];
    const owned = { ...readyNode, annotations: { "kubeadm-workers.io/owner": "kw/prod/web-3", "kubeadm-workers.io/host": "web-3.example.com" } };
    const error = await adoptWorkerNode(inputs, effects(shell, cluster(owned, writes), [])).catch((e: Error) => e);
    expect((error as Error).message).toContain(
      "Node web-3 is already managed by kw/prod/web-3 (kubeadm-workers.io/owner; it joined through host web-3.example.com), and this entry, kw/e2e/web-3, names it through host 10.213.0.13",
    );
    expect(writes).toEqual([]);
  });
});
