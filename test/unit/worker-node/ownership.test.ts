import type { ClusterApi, NodeView } from "../../../providers/cluster/kube-api";
import { deleteWorkerNode } from "../../../providers/worker-node/delete";
import type { WorkerNodeEffects } from "../../../providers/worker-node/create";
import type { WorkerNodeOutputs } from "../../../providers/worker-node/outputs";
import { OwnershipError, proveNodeIsOurs } from "../../../providers/worker-node/ownership";
import { caPem, caPemHash } from "../fixtures/ca";

const otherHash = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

function nodeOf(machineId: string, annotated: string | undefined): NodeView {
  return {
    name: "worker-1", uid: "u", labels: {}, annotations: annotated === undefined ? {} : { "kubeadm-workers.io/machine-id": annotated }, taints: [],
    unschedulable: false, ready: true, readyDetail: "True", kubeletVersion: "v1.36.3", containerRuntimeVersion: "containerd://1.7.24", machineId,
  };
}

/** A cluster that answers reads and records every write; writes must never happen on a refusal. */
class RecordingCluster implements Partial<ClusterApi> {
  readonly server = "https://10.0.0.1:6443";
  readonly caPem = caPem;
  readonly writes: string[] = [];
  constructor(private readonly node: NodeView | undefined) {}
  clusterInfoCaPem = () => Promise.resolve(caPem);
  getNode = () => Promise.resolve(this.node);
  patchNode = (name: string) => (this.writes.push(`patch ${name}`), Promise.resolve(this.node as NodeView));
  deleteNode = (name: string) => (this.writes.push(`delete ${name}`), Promise.resolve());
  canI = () => (this.writes.push("canI"), Promise.resolve(true));
  evictPod = () => (this.writes.push("evict"), Promise.reject(new Error("no")));
}

const recorded = { nodeName: "worker-1", machineId: "m-1", caCertHash: caPemHash };

describe("proveNodeIsOurs", () => {
  test.each([
    { description: "same CA, same machine: the Node", node: nodeOf("m-1", "m-1"), record: recorded, result: "node" },
    { description: "same CA, Node gone: undefined (the host may still be reset)", node: undefined, record: recorded, result: "gone" },
    { description: "another cluster's CA: refused naming both hashes", node: nodeOf("m-1", "m-1"), record: { ...recorded, caCertHash: otherHash }, result: new RegExp(`publishes CA ${caPemHash}.*joined the cluster with CA ${otherHash}`) },
    { description: "another cluster's CA, Node gone: still refused", node: undefined, record: { ...recorded, caCertHash: otherHash }, result: /joined the cluster with CA/ },
    { description: "no CA recorded: refused", node: nodeOf("m-1", "m-1"), record: { ...recorded, caCertHash: "" }, result: /no caCertHash was recorded/ },
    { description: "kubelet reports another machine: refused naming both", node: nodeOf("m-2", "m-1"), record: recorded, result: /joined as machine m-1, but Node worker-1 .* reports machine m-2 \(status.nodeInfo.machineID\)/ },
    { description: "our annotation names another machine: refused", node: nodeOf("m-1", "m-9"), record: recorded, result: /kubeadm-workers.io\/machine-id=m-9/ },
    { description: "our annotation missing: refused", node: nodeOf("m-1", undefined), record: recorded, result: /machine-id=\(none\)/ },
    { description: "nothing recorded for the machine: refused", node: nodeOf("", ""), record: { ...recorded, machineId: "" }, result: /joined as machine \(none recorded\)/ },
  ])("$description", async ({ node, record, result }) => {
    const outcome = await proveNodeIsOurs(new RecordingCluster(node) as unknown as ClusterApi, record).then(
      (value) => (value ? "node" : "gone"),
      (error: Error) => error,
    );
    if (typeof result === "string") expect(outcome).toBe(result);
    else {
      expect(outcome).toBeInstanceOf(OwnershipError);
      expect((outcome as Error).message).toMatch(result);
      expect((outcome as Error).message).toMatch(/Nothing was drained, deleted or reset/);
    }
  });
});

describe("deleteWorkerNode on a node that is not ours", () => {
  test.each([
    { description: "another CA", node: nodeOf("m-1", "m-1"), olds: { caCertHash: otherHash } },
    { description: "another machine under the name", node: nodeOf("m-2", "m-2"), olds: {} },
  ])("$description: touches nothing, not even the host", async ({ node, olds }) => {
    const cluster = new RecordingCluster(node);
    const sessions: string[] = [];
    const effects: WorkerNodeEffects = {
      connectCluster: () => cluster as unknown as ClusterApi,
      openSession: () => (sessions.push("opened"), Promise.reject(new Error("must not connect"))),
      randomBytes: (n) => Buffer.alloc(n),
      now: () => new Date(),
      sleep: () => Promise.resolve(),
      log: () => undefined,
    };
    const state = { nodeName: "worker-1", host: "10.0.0.21", machineId: "m-1", caCertHash: caPemHash, reset: true, drain: {}, cluster: {}, connection: { host: "10.0.0.21" }, ...olds } as unknown as WorkerNodeOutputs;

    const error = await deleteWorkerNode(state, effects).catch((e: Error) => e);

    expect(error).toBeInstanceOf(OwnershipError);
    expect(cluster.writes).toEqual([]);
    expect(sessions).toEqual([]);
  });
});
