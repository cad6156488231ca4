import { judgeEvictionFailure, type EvictionFailure } from "../../../providers/drain/eviction-errors";

const pod = { namespace: "web", name: "api-1" };
const deleting = { ...pod, deletionTimestamp: new Date("2026-11-30T10:00:00Z") };
const rbac =
  'pods "api-1" is forbidden: User "system:serviceaccount:ops:drainer" cannot create resource "pods/eviction" in API group "" in the namespace "web"';

describe("judgeEvictionFailure (kubectl's evictPods rules)", () => {
  test.each<{ description: string; failure: EvictionFailure; pod?: typeof deleting; action: string; says?: RegExp }>([
    {
      description: "403 NamespaceTerminating on a live pod is retried",
      failure: { status: 403, reason: "Forbidden", causes: ["NamespaceTerminating"], message: "namespace web is being terminated" },
      action: "retry",
      says: /namespace web is terminating/,
    },
    {
      description: "403 NamespaceTerminating on a pod already deleting: stop evicting, wait for it",
      failure: { status: 403, reason: "Forbidden", causes: ["NamespaceTerminating"], message: "namespace web is being terminated" },
      pod: deleting,
      action: "wait-for-deletion",
    },
    {
      description: "403 for RBAC fails at once naming verb and resource",
      failure: { status: 403, reason: "Forbidden", causes: [], message: rbac },
      action: "fail",
      says: /lacks permission to create pods\/eviction \(verb "create", resource "pods", subresource "eviction"\) in namespace web.*cannot create resource "pods\/eviction"/,
    },
    {
      description: "403 with another cause is not retried, and not called a missing permission",
      failure: { status: 403, reason: "Forbidden", causes: ["FieldValueForbidden"], message: "forbidden by policy" },
      action: "fail",
      says: /^eviction of pod web\/api-1 was refused \(HTTP 403 Forbidden\): forbidden by policy$/,
    },
    {
      description: "403 from an admission webhook fails at once with the webhook's words, not as RBAC",
      failure: { status: 403, reason: "Forbidden", causes: [], message: 'admission webhook "evictions.example.com" denied the request: change freeze' },
      action: "fail",
      says: /^eviction of pod web\/api-1 was refused \(HTTP 403 Forbidden\): admission webhook "evictions\.example\.com" denied the request: change freeze$/,
    },
    {
      description: "500 for a pod covered by several PDBs fails at once, asking for the PDB names",
      failure: { status: 500, reason: "InternalError", message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support." },
      action: "fail",
      says: /selected by more than one PodDisruptionBudget.*no retry fixes/,
    },
    {
      description: "any other 500 fails at once with the cause",
      failure: { status: 500, reason: "InternalError", message: "etcdserver: request timed out" },
      action: "fail",
      says: /web\/api-1 failed \(HTTP 500 InternalError\): etcdserver: request timed out/,
    },
    { description: "400 fails at once", failure: { status: 400, reason: "BadRequest", message: "bad" }, action: "fail", says: /HTTP 400/ },
    { description: "no answer at all is retried", failure: { status: undefined, message: "ECONNRESET" }, action: "retry", says: /ECONNRESET/ },
    { description: "503 is retried", failure: { status: 503, message: "unavailable" }, action: "retry" },
  ])("$description", ({ failure, pod: given, action, says }) => {
    const verdict = judgeEvictionFailure(failure, given ?? pod);
    expect(verdict.action).toBe(action);
    if (says) expect(verdict.action === "fail" ? verdict.message : verdict.action === "retry" ? verdict.why : "").toMatch(says);
  });

  test("only the several-PDBs failure asks the caller to name the PDBs", () => {
    const several = judgeEvictionFailure({ status: 500, message: "This pod has more than one PodDisruptionBudget" }, pod);
    const other = judgeEvictionFailure({ status: 500, message: "boom" }, pod);
    expect(several).toMatchObject({ action: "fail", multiplePdbs: true });
    expect(other).not.toHaveProperty("multiplePdbs");
  });
});
