import { formatSeconds } from "../../../providers/drain/duration";
import {
  describePendingPods,
  formatDrainProgress,
  formatDrainTimeout,
  type PdbStatus,
  type PendingPod,
} from "../../../providers/drain/progress";

const apiPdb: PdbStatus = { namespace: "web", name: "api-pdb", disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 3, expectedPods: 3 };
const pgPdb: PdbStatus = { namespace: "db", name: "pg-pdb", disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 };

describe("formatDrainProgress", () => {
  test.each([
    { description: "no PDB in the way", waitingOnPdb: [], line: "k8s-node-3: evicted 12/40 pods" },
    {
      description: "one PDB",
      waitingOnPdb: [{ pdb: apiPdb, pods: 2 }],
      line: "k8s-node-3: evicted 12/40 pods, 2 waiting on PDB web/api-pdb",
    },
    {
      description: "several PDBs, sorted",
      waitingOnPdb: [{ pdb: apiPdb, pods: 2 }, { pdb: pgPdb, pods: 1 }],
      line: "k8s-node-3: evicted 12/40 pods, 1 waiting on PDB db/pg-pdb, 2 waiting on PDB web/api-pdb",
    },
    {
      description: "a PDB holding back nothing is left out",
      waitingOnPdb: [{ pdb: apiPdb, pods: 0 }],
      line: "k8s-node-3: evicted 12/40 pods",
    },
  ])("$description", ({ waitingOnPdb, line }) => {
    expect(formatDrainProgress({ node: "k8s-node-3", evictedPods: 12, totalPods: 40, waitingOnPdb })).toBe(line);
  });
});

describe("formatDrainTimeout", () => {
  const byPdb = (ref: string, pdb: PdbStatus): PendingPod => {
    const [namespace, name] = ref.split("/") as [string, string];
    return { pod: { namespace, name }, blockedBy: { kind: "pdb", pdb } };
  };

  test("names the pods, the PDB numbers and every way out", () => {
    // GIVEN two pods of one workload refused by its PDB at the deadline
    const text = formatDrainTimeout({
      node: "k8s-node-3",
      timeoutSeconds: 600,
      pending: [byPdb("web/api-2", apiPdb), byPdb("web/api-1", apiPdb)],
    });
    // THEN they are grouped behind the PDB, and the fixes include the unsafe override, named as such
    expect(text).toBe(
      "drain of k8s-node-3 timed out after 10m: 2 pods not evicted: web/api-1, web/api-2 " +
        "(PDB web/api-pdb allows 0 disruptions: 2 of 3 healthy, needs 3)\n" +
        "the node stays cordoned and the WorkerNode stays in the stack; the next `pulumi up` resumes the drain. " +
        "To finish it: make the pods guarded by PDB web/api-pdb healthy, or relax the PDB, so it allows a disruption; " +
        "raise drain.timeoutSeconds (now 600); or set drain.disableEviction: true to delete the pods without checking " +
        "PDBs (their workloads lose availability)",
    );
  });

  test("tells pods still terminating and workloads not Ready again apart from refused evictions", () => {
    const text = formatDrainTimeout({
      node: "k8s-node-3",
      timeoutSeconds: 90,
      pending: [
        byPdb("db/pg-0", pgPdb),
        { pod: { namespace: "web", name: "api-1" }, blockedBy: { kind: "terminating" } },
        { pod: { namespace: "ops", name: "job-1" }, blockedBy: { kind: "error", message: "namespaces \"ops\" is forbidden" } },
      ],
      unreadyOwners: [{ kind: "Deployment", namespace: "web", name: "api", readyReplicas: 2, desiredReplicas: 3 }],
    });
    expect(text.split("\n")[0]).toBe(
      "drain of k8s-node-3 timed out after 1m30s: " +
        "2 pods not evicted: db/pg-0 (PDB db/pg-pdb allows 0 disruptions: 1 of 1 healthy, needs 1); " +
        "ops/job-1 (eviction failed: namespaces \"ops\" is forbidden); " +
        "1 pod evicted but not gone: web/api-1; " +
        "1 workload not Ready again: Deployment web/api (2 of 3 ready)",
    );
    expect(text).toContain("check the finalizers of the pods still terminating");
    expect(text).toContain("find out why the replacement pods are not Ready");
  });

  test("does not suggest bypassing PDBs when no PDB is in the way", () => {
    const text = formatDrainTimeout({
      node: "k8s-node-3",
      timeoutSeconds: 600,
      pending: [{ pod: { namespace: "web", name: "api-1" }, blockedBy: { kind: "terminating" } }],
    });
    expect(text).not.toContain("disableEviction");
    expect(text).toContain("raise drain.timeoutSeconds (now 600)");
  });

  test("lists pending pods one per line for the Node annotation", () => {
    expect(describePendingPods([byPdb("web/api-2", apiPdb), { pod: { namespace: "db", name: "pg-0" }, blockedBy: { kind: "terminating" } }])).toEqual([
      "db/pg-0 (still terminating)",
      "web/api-2 (PDB web/api-pdb allows 0 disruptions: 2 of 3 healthy, needs 3)",
    ]);
  });

  test("says 1 disruption in the singular", () => {
    const text = formatDrainTimeout({ node: "n", timeoutSeconds: 60, pending: [byPdb("web/api-1", { ...apiPdb, disruptionsAllowed: 1 })] });
    expect(text).toContain("(PDB web/api-pdb allows 1 disruption: 2 of 3 healthy, needs 3)");
  });
});

describe("formatSeconds", () => {
  test.each([
    { seconds: 600, text: "10m" },
    { seconds: 90, text: "1m30s" },
    { seconds: 45, text: "45s" },
    { seconds: 3600, text: "1h" },
    { seconds: 3605, text: "1h5s" },
    { seconds: 0, text: "0s" },
  ])("writes $seconds seconds as $text", ({ seconds, text }) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});
