import type { ClusterApi, NodePatch, NodeView } from "../../../providers/cluster/kube-api";
import { uncordonIfAbandoned } from "../../../providers/drain/abandoned";

// The end of an abandoned scale-in, run by every update: what it writes on the Node and what it says.

/** A cluster holding one Node: reads it, records the patches. */
function clusterWith(node: Partial<NodeView>) {
  const patches: NodePatch[] = [];
  const cluster = {
    getNode: () => Promise.resolve({ name: "web-1", labels: {}, annotations: {}, unschedulable: false, ...node }),
    patchNode: (_name: string, patch: NodePatch) => (patches.push(patch), Promise.resolve({} as NodeView)),
  } as unknown as ClusterApi;
  return { cluster, patches };
}

async function run(node: Partial<NodeView>) {
  const { cluster, patches } = clusterWith(node);
  const lines: string[] = [];
  await uncordonIfAbandoned(cluster, "web-1", (line) => lines.push(line));
  return { patches, lines };
}

test("our cordon from a drain that timed out: lifted, marks and label removed, said", async () => {
  const { patches, lines } = await run({ unschedulable: true, labels: { "kubeadm-workers.io/draining": "true" }, annotations: { "kubeadm-workers.io/drain-phase": "timed-out" } });
  expect(patches).toEqual([expect.objectContaining({ unschedulable: false, labels: { "kubeadm-workers.io/draining": null } })]);
  expect(lines).toEqual(["uncordoned: the scale-in that cordoned it was abandoned"]);
});

test("only our label left (a finished upgrade cleared the annotations): the label removed, nothing said about an abandoned scale-in", async () => {
  const { patches, lines } = await run({ labels: { "kubeadm-workers.io/draining": "true" } });
  expect(patches).toEqual([{ labels: { "kubeadm-workers.io/draining": null } }]);
  expect(lines).toEqual([]);
});

test("no drain of ours: nothing written", async () => {
  const { patches, lines } = await run({ unschedulable: true });
  expect(patches).toEqual([]);
  expect(lines).toEqual([]);
});
