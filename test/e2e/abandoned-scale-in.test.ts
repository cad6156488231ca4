import { apply, kubectl, kubectlJson, labHosts, waitFor } from "../integration/support/lab";
import { deployment, pdb } from "../integration/support/workloads";
import { podsByNode } from "../integration/support/kwok-nodes";
import { entryFor, setConfig, type NodeEntry } from "./support/lab-stack";
import { labStackForSuite, previewPlan } from "./support/suite-stack";

// An abandoned scale-in through the real CLI (README "What happens, and how to recover"): an entry is
// removed, its drain times out on a PDB that allows no disruption, so the delete fails and the node
// stays in the state, cordoned and marked leaving. The user adds the entry back UNCHANGED: the next
// preview must show an update of that node, and the next up must uncordon it and clear our marks.
jest.setTimeout(600_000);

const e2eLabel = { "kubeadm-workers-e2e": "abandoned" };
const ns = "e2e-abandoned";
const ourMarks = /^kubeadm-workers\.io\/(drain-|cordoned-before-drain|draining)/;

interface NodeObject {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { unschedulable?: boolean };
}

const nodeObject = (name: string): Promise<NodeObject> => kubectlJson<NodeObject>(["get", "node", name]);
/** Our drain marks on the Node: annotations and labels whose key is one of ours. */
const marksOn = (node: NodeObject): string[] =>
  [...Object.keys(node.metadata.annotations ?? {}), ...Object.keys(node.metadata.labels ?? {})].filter((key) => ourMarks.test(key)).sort();

describe("a scale-in abandoned after its drain failed: the entry added back unchanged", () => {
  const stack = labStackForSuite("abandoned", { hosts: 2, namespace: ns });
  let entries: NodeEntry[];

  test("the next preview shows an update of the node; up uncordons it and clears our marks; then nothing changes", async () => {
    const [h1, h2] = labHosts();
    entries = [entryFor(h1, { labels: e2eLabel }), entryFor(h2, { labels: e2eLabel })];
    // Delete runs with the options of the last up, so the short drain timeout is set from the start.
    await setConfig(stack.project, { nodes: entries, drain: { timeoutSeconds: 15 } });
    await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);

    // One "api" pod on each node, behind a PDB that allows no disruption: the removed node cannot drain.
    const removed = entries[1];
    await apply(deployment(ns, "api", "unused", 2, { nodeSelector: e2eLabel, spread: true }), pdb(ns, "api-pdb", "api", { minAvailable: 2 }));
    await waitFor("api pods Ready on both nodes", async () => {
      const byNode = await podsByNode(ns);
      return entries.every((e) => byNode.get(e.name)?.some((p) => p.ready)) ? true : undefined;
    });

    try {
      // GIVEN the entry removed and its drain timed out
      await setConfig(stack.project, { nodes: [entries[0]] });
      const blocked = await stack.project.pulumi(["up", "--yes", "--skip-preview"], 300_000);
      expect(blocked.code).not.toBe(0);
      expect(blocked.stdout + blocked.stderr).toMatch(new RegExp(`drain of ${removed.name} timed out after 15s`));
      const left = await nodeObject(removed.name);
      expect(left.spec.unschedulable).toBe(true);
      expect(left.metadata.annotations?.["kubeadm-workers.io/drain-phase"]).toBeDefined();
      expect((await stack.project.pulumiOk(["stack", "export"])).stdout).toContain(`::${removed.name}"`);

      // WHEN the entry comes back exactly as it was
      await setConfig(stack.project, { nodes: entries });

      // THEN the preview shows an update of that node (a reviewer sees it in preview --diff) and says why
      const plan = await previewPlan(stack.project);
      expect(plan.get(removed.name)?.op).toBe("update");
      expect(plan.get(entries[0].name)?.op ?? "same").toBe("same");
      const preview = await stack.project.pulumiOk(["preview", "--diff"], 300_000);
      expect(preview.stdout + preview.stderr).toMatch(new RegExp(`${removed.name}: abandoned scale-in: .*pulumi up uncordons it`));
      expect(preview.stdout).toMatch(/~ 1 to update/);
      expect((await stack.project.pulumi(["preview", "--expect-no-changes"], 300_000)).code).not.toBe(0);

      // and the up uncordons the node and removes every drain mark of ours
      const up = await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 300_000);
      expect(up.stdout).toMatch(/~ 1 updated/);
      expect(up.stdout).toContain(`${removed.name}: uncordoned: the scale-in that cordoned it was abandoned`);
      const back = await nodeObject(removed.name);
      expect(back.spec.unschedulable ?? false).toBe(false);
      expect(marksOn(back)).toEqual([]);
      expect((await nodeObject(entries[0].name)).spec.unschedulable ?? false).toBe(false);

      // and nothing is left to do
      await stack.project.pulumiOk(["preview", "--expect-no-changes"], 300_000);
    } finally {
      // The stack's destroy (afterAll) drains both nodes: the PDB must let it, whatever failed above.
      await kubectl(["delete", "pdb", "api-pdb", "-n", ns, "--ignore-not-found"]);
    }
  });
});
