import { evictionTurns, spendsBudget, type PdbBudget } from "../../../providers/drain/eviction-turns";
import type { DrainPod } from "../../../providers/drain/types";
import { pod } from "./builders";

const budget = (ref: string, app: string, disruptionsAllowed: number): PdbBudget => {
  const [namespace, name] = ref.split("/");
  return { namespace, name, selector: { matchLabels: { app } }, disruptionsAllowed, currentHealthy: 10, desiredHealthy: 9, expectedPods: 10 };
};
const ready = (ref: string, app: string, changes: Partial<DrainPod> = {}): DrainPod => pod(ref, { labels: { app }, ready: true, ...changes });

describe("evictionTurns: as many evictions per PDB as it allows now", () => {
  const web = Array.from({ length: 5 }, (_, i) => ready(`web/web-${i}`, "web"));
  const api = Array.from({ length: 3 }, (_, i) => ready(`web/api-${i}`, "api"));

  test.each([
    { description: "a PDB allowing 1: the first pod goes, the rest wait", pods: web, pdbs: [budget("web/web-pdb", "web", 1)], evict: ["web-0"], held: ["web-1", "web-2", "web-3", "web-4"] },
    { description: "a PDB allowing 3: three go", pods: web, pdbs: [budget("web/web-pdb", "web", 3)], evict: ["web-0", "web-1", "web-2"], held: ["web-3", "web-4"] },
    { description: "a PDB allowing more than there are pods: all go", pods: web, pdbs: [budget("web/web-pdb", "web", 9)], evict: ["web-0", "web-1", "web-2", "web-3", "web-4"], held: [] },
    { description: "a PDB allowing 0: all wait", pods: web, pdbs: [budget("web/web-pdb", "web", 0)], evict: [], held: ["web-0", "web-1", "web-2", "web-3", "web-4"] },
    { description: "no PDB: all go", pods: web, pdbs: [], evict: ["web-0", "web-1", "web-2", "web-3", "web-4"], held: [] },
    {
      description: "each PDB gives its own budget",
      pods: [...web.slice(0, 2), ...api],
      pdbs: [budget("web/web-pdb", "web", 1), budget("web/api-pdb", "api", 2)],
      evict: ["web-0", "api-0", "api-1"],
      held: ["web-1", "api-2"],
    },
    { description: "pods no PDB selects are not held back by another's", pods: [...web.slice(0, 2), ...api], pdbs: [budget("web/web-pdb", "web", 0)], evict: ["api-0", "api-1", "api-2"], held: ["web-0", "web-1"] },
    { description: "a PDB of another namespace selects nothing here", pods: web.slice(0, 2), pdbs: [budget("other/web-pdb", "web", 0)], evict: ["web-0", "web-1"], held: [] },
    {
      description: "a pod several PDBs select goes (the Eviction API refuses it whatever they allow, naming the cause)",
      pods: [web[0], web[1], api[0]],
      pdbs: [budget("web/web-pdb", "web", 0), budget("web/all", "web", 5), budget("web/api-pdb", "api", 0)],
      evict: ["web-0", "web-1"],
      held: ["api-0"],
    },
  ])("$description", ({ pods, pdbs, evict, held }) => {
    const turns = evictionTurns(pods, pdbs);
    expect(turns.evict.map((e) => e.pod.name)).toEqual(evict);
    expect(turns.held.map((h) => h.pod.name)).toEqual(held);
  });

  test("each eviction names the budget it spends; held pods name the PDB that holds them", () => {
    const turns = evictionTurns([web[0], web[1], ready("web/free", "free")], [budget("web/web-pdb", "web", 1)]);
    expect(turns.evict.map((e) => `${e.pod.name}:${e.spends?.name ?? "-"}`)).toEqual(["web-0:web-pdb", "free:-"]);
    expect(turns.held.map((h) => `${h.pod.name}:${h.pdb.name}`)).toEqual(["web-1:web-pdb"]);
  });
});

describe("spendsBudget: the pods the Eviction API counts against a PDB", () => {
  test.each([
    { description: "Running and Ready", changes: {}, expected: true },
    { description: "Running, not Ready (the API may let it go by unhealthyPodEvictionPolicy)", changes: { ready: false }, expected: false },
    { description: "readiness unknown", changes: { ready: undefined }, expected: false },
    { description: "Pending (the API ignores PDBs)", changes: { phase: "Pending" as const }, expected: false },
    { description: "Succeeded", changes: { phase: "Succeeded" as const }, expected: false },
    { description: "already being deleted", changes: { deletionTimestamp: new Date("2026-11-30T10:00:00Z") }, expected: false },
  ])("$description", ({ changes, expected }) => {
    expect(spendsBudget(ready("web/web-0", "web", changes))).toBe(expected);
  });

  test("a pod that spends no budget goes even when its PDB allows nothing, and spends none of it", () => {
    const unready = ready("web/web-0", "web", { ready: false });
    const turns = evictionTurns([unready, ready("web/web-1", "web")], [budget("web/web-pdb", "web", 1)]);
    expect(turns.evict.map((e) => e.pod.name)).toEqual(["web-0", "web-1"]);
    expect(evictionTurns([unready], [budget("web/web-pdb", "web", 0)]).evict).toHaveLength(1);
  });
});
