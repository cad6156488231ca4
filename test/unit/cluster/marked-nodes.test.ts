import { readNodesMarkedByDrains } from "../../../providers/cluster/marked-nodes";
import { observeApiRequests } from "../../../providers/cluster/request-count";
import { startLoopbackApi, type LoopbackApi } from "../../support/loopback-api";

type ApiNode = { metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: { unschedulable?: boolean } };

/** 1,000 Nodes: two marked with our label (one cordoned), one cordoned by a drain from before the label, one cordoned by someone else. */
const nodes: ApiNode[] = Array.from({ length: 1000 }, (_, i) => ({ metadata: { name: `n${i}` }, spec: {} }));
const drainState = (phase: string) => ({ "kubeadm-workers.io/drain-phase": phase, "kubeadm-workers.io/drain-purpose": "remove" });
nodes[10] = { metadata: { name: "n10", labels: { "kubeadm-workers.io/draining": "true" }, annotations: drainState("waiting-for-slot") }, spec: {} };
nodes[11] = { metadata: { name: "n11", labels: { "kubeadm-workers.io/draining": "true" }, annotations: drainState("timed-out") }, spec: { unschedulable: true } };
nodes[12] = { metadata: { name: "n12", annotations: drainState("blocked") }, spec: { unschedulable: true } };
nodes[13] = { metadata: { name: "n13" }, spec: { unschedulable: true } };

/** Answers Node lists as kube-apiserver does for the two selectors the read uses (label present; spec.unschedulable=true). */
function selected(query: URLSearchParams): ApiNode[] {
  const label = query.get("labelSelector");
  const field = query.get("fieldSelector");
  return nodes.filter((node) => (label === null || node.metadata.labels?.[label] !== undefined) && (field === null || (field === "spec.unschedulable=true" && node.spec.unschedulable === true)));
}

let api: LoopbackApi;
beforeAll(async () => {
  api = await startLoopbackApi((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    res.setHeader("Content-Type", "application/json");
    if (url.pathname !== "/api/v1/nodes") {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", code: 404, message: "not found" }));
      return;
    }
    res.end(JSON.stringify({ kind: "NodeList", apiVersion: "v1", metadata: {}, items: selected(url.searchParams) }));
  });
});
afterAll(() => api.close());

test("two selected lists, however many Nodes the cluster has: the labelled ones and the cordoned ones, each once", async () => {
  const seen: string[] = [];
  const stop = observeApiRequests((r) => seen.push(`${r.method} ${decodeURIComponent(r.path)}`));
  let marked;
  try {
    marked = await readNodesMarkedByDrains(api.kubeconfig, 10_000);
  } finally {
    stop();
  }
  expect(seen.sort()).toEqual(["GET /api/v1/nodes?fieldSelector=spec.unschedulable=true&limit=500", "GET /api/v1/nodes?labelSelector=kubeadm-workers.io/draining&limit=500"]);
  expect(marked.map((node) => [node.name, node.unschedulable, node.annotations["kubeadm-workers.io/drain-phase"] ?? "-"]).sort()).toEqual([
    ["n10", false, "waiting-for-slot"],
    ["n11", true, "timed-out"],
    ["n12", true, "blocked"],
    ["n13", true, "-"],
  ]);
});

test("a cluster that does not answer fails the read within the timeout, naming the server", async () => {
  const silent = await startLoopbackApi(() => undefined);
  try {
    await expect(readNodesMarkedByDrains(silent.kubeconfig, 300)).rejects.toThrow(/^listing the Nodes marked by a drain on http:\/\/127\.0\.0\.1:\d+ failed: no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.3s/);
  } finally {
    // The unanswered request holds the server open: close it without waiting for it.
    void silent.close();
  }
});
