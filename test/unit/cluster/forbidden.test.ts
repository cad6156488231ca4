import * as http from "node:http";
import { connectCluster } from "../../../providers/cluster/kube-api";
import { startLoopbackApi, type LoopbackApi } from "../../support/loopback-api";

// A loopback HTTP server refusing every call the way the API server's RBAC authorizer does (403 with a
// Forbidden Status whose message names the user, the verb and the resource).
const user = "system:serviceaccount:kube-system:kubeadm-workers-e2e";
let api: LoopbackApi;
let kubeconfig: string;

function forbidden(req: http.IncomingMessage): { message: string; kind: string } {
  if (req.method === "PATCH" && req.url?.startsWith("/api/v1/nodes/")) {
    return { kind: "nodes", message: `nodes "n1" is forbidden: User "${user}" cannot patch resource "nodes" in API group "" at the cluster scope` };
  }
  return {
    kind: "leases",
    message: `leases.coordination.k8s.io "slot" is forbidden: User "${user}" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-system"`,
  };
}

beforeAll(async () => {
  api = await startLoopbackApi((req, res) => {
    const { message, kind } = forbidden(req);
    res.statusCode = 403;
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Forbidden", code: 403, message, details: { kind } }));
  });
  kubeconfig = api.kubeconfig;
});

afterAll(() => api.close());

describe("a call the kubeconfig's identity may not make", () => {
  test("the error names the missing verb and resource and how to grant them, not cluster-admin", async () => {
    const error = await connectCluster(kubeconfig)
      .patchNode("n1", { unschedulable: true })
      .then(() => undefined, (e: unknown) => e as Error);

    expect(error?.message).toContain("patching Node n1 failed: HTTP 403");
    expect(error?.message).toContain(`The kubeconfig's identity (${user}) may not patch nodes (API group "", cluster-wide)`);
    expect(error?.message).toMatch(/grant it.*ClusterRole/);
    expect(error?.message).not.toContain("cluster-admin");
  });

  test("a namespaced refusal names the API group and the namespace", async () => {
    const error = await connectCluster(kubeconfig)
      .readLease("kube-system", "slot")
      .then(() => undefined, (e: unknown) => e as Error);

    expect(error?.message).toContain(`may not get leases (API group "coordination.k8s.io", namespace kube-system)`);
  });
});
