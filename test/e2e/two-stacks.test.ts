import { kubectl, labHosts, requireLab } from "../integration/support/lab";
import { PdbObserver } from "../integration/support/pdb-observer";
import { CordonObserver } from "./support/cordon-observer";
import { createLabStack, entryFor, setConfig, type NodeEntry } from "./support/lab-stack";
import type { PulumiProject } from "./support/pulumi-project";
import { removeStack } from "./support/suite-stack";
import { deployWebApp } from "./support/web-app";

// The drain budget is the cluster's, not a stack's: two stacks sharing one cluster each remove a
// node in `pulumi up`s that run at the same time, and the Lease-based slots keep at most
// drain.maxConcurrentDrains (1) node cordoned at any moment across both, no PDB broken.
jest.setTimeout(900_000);

const ns = "e2e-two-stacks";
const e2eLabel = { "kubeadm-workers-e2e": "two-stacks" };

describe("two stacks sharing a cluster", () => {
  let first: PulumiProject | undefined;
  let second: PulumiProject | undefined;
  let firstEntries: NodeEntry[];
  let secondEntries: NodeEntry[];

  beforeAll(async () => {
    requireLab();
    const [h1, h2, h3] = labHosts();
    if (!h3) throw new Error('the two-stacks e2e needs 3 lab hosts: run "npm run lab -- up --hosts 3"');
    // The first stack keeps h3, where the moved pods go; each stack gives up one node.
    firstEntries = [entryFor(h1, { labels: e2eLabel }), entryFor(h3, { labels: e2eLabel })];
    secondEntries = [entryFor(h2, { labels: e2eLabel })];
    first = await createLabStack("two-stacks-a", { nodes: firstEntries });
    second = await createLabStack("two-stacks-b", { nodes: secondEntries });
    await Promise.all([first.pulumiOk(["up", "--yes", "--skip-preview"], 600_000), second.pulumiOk(["up", "--yes", "--skip-preview"], 600_000)]);
    await deployWebApp(ns, e2eLabel, 3);
  }, 900_000);

  afterAll(async () => {
    await kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]).catch(() => undefined);
    for (const project of [first, second]) if (project) await removeStack(project, { destroy: true });
  }, 900_000);

  test("each removes a node in concurrent ups: never two cordoned at once, no PDB broken, both nodes removed", async () => {
    const leaving = [firstEntries[0].name, secondEntries[0].name];
    await setConfig(first!, { nodes: [firstEntries[1]] });
    await setConfig(second!, { nodes: [] });
    const cordons = new CordonObserver(leaving);
    const budgets = new PdbObserver(ns);
    let ups;
    try {
      ups = await Promise.all([first!.pulumi(["up", "--yes", "--skip-preview"], 600_000), second!.pulumi(["up", "--yes", "--skip-preview"], 600_000)]);
    } finally {
      // the PDB observer first: its watches are processes, and a failed poll of the Nodes makes cordons.stop() throw
      await budgets.stop();
      await cordons.stop();
    }

    expect(ups.map((u) => ({ code: u.code, deleted: /- 1 deleted/.test(u.stdout) }))).toEqual([
      { code: 0, deleted: true },
      { code: 0, deleted: true },
    ]);
    // The ups overlapped: one of them waited for the slot the other's drain held (ran one after
    // the other, they would pass the checks below without the budget doing anything).
    expect(ups.map((u) => u.stdout).join("\n")).toMatch(/waiting for a drain slot \(1\/1 held by /);
    // Both drains cordoned their node, one after the other.
    expect([...cordons.everCordoned].sort()).toEqual([...leaving].sort());
    expect(cordons.moments).toEqual([]);
    expect(cordons.maxCordonedAtOnce).toBe(1);
    expect(budgets.violations).toEqual([]);
    for (const name of leaving) expect((await kubectl(["get", "node", name, "--ignore-not-found", "-o", "name"])).stdout.trim()).toBe("");
    secondEntries = [];
    firstEntries = [firstEntries[1]];
  });
});
