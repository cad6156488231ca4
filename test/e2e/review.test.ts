import { apply, kubectl, labHosts, requireLab, waitFor, kubectlJson } from "../integration/support/lab";
import { deployment, nakedPod, namespace, pdb } from "../integration/support/workloads";
import type { PulumiProject } from "./support/pulumi-project";
import { createLabStack, entryFor, setConfig, type NodeEntry } from "./support/lab-stack";

// Issue 10: a preview that removes a node tells the reviewer what the drain will do, from the
// cluster itself, before anything is touched.
jest.setTimeout(600_000);

const ns = "e2e-review";
const testLabel = "review";

describe("the scale-in report in pulumi preview", () => {
  let project: PulumiProject;
  let entries: NodeEntry[];

  beforeAll(async () => {
    requireLab();
    project = await createLabStack("review");
    await apply(namespace(ns));
  }, 120_000);

  afterAll(async () => {
    await kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]).catch(() => undefined);
    await project.pulumi(["destroy", "--yes", "--skip-preview"], 600_000);
    await project.pulumi(["stack", "rm", "--yes", "--force"]);
    await project.remove();
  }, 700_000);

  test("removing an entry previews the pods that move, the PDB with its disruptionsAllowed, a blocker with its option, and the capacity verdict", async () => {
    const [h1, h2] = labHosts();
    entries = [entryFor(h1, { labels: { "kw-test": testLabel } }), entryFor(h2, { labels: { "kw-test": testLabel } })];
    await setConfig(project, { nodes: entries });
    await project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);

    await apply(deployment(ns, "web", testLabel, 4, { spread: true }), pdb(ns, "web-pdb", "web", { maxUnavailable: 1 }), nakedPod(ns, "debug", h2.name));
    await waitFor("4 web pods and the naked pod running", async () => {
      const pods = await kubectlJson<{ items: { status: { phase: string } }[] }>(["get", "pods", "-n", ns]);
      return pods.items.filter((p) => p.status.phase === "Running").length === 5 ? true : undefined;
    }, 180_000);
    await waitFor("the PDB to allow one disruption", async () => {
      const budget = await kubectlJson<{ status?: { disruptionsAllowed?: number } }>(["get", "pdb", "-n", ns, "web-pdb"]);
      return budget.status?.disruptionsAllowed === 1 ? true : undefined;
    });

    await setConfig(project, { nodes: [entries[0]] });
    const preview = await project.pulumiOk(["preview", "--diff"]);
    // The program's log.info lines: the lab's language host (sdk 3.68) hands them to the CLI's stderr.
    const text = preview.stdout + preview.stderr;
    expect(text).toContain(`${h2.name} (node ${h2.name}, removed: its entry was removed from the stack config): 2 pods to evict`);
    expect(text).toMatch(new RegExp(`Deployment ${ns}/web: ${ns}/web-[a-z0-9]+-[a-z0-9]+, ${ns}/web-`));
    expect(text).toContain(`PDB ${ns}/web-pdb: allows 1 disruption now (4 healthy, 3 required; covers 2 pods here)`);
    expect(text).toContain(`pods not managed by a controller, set drain.force: true to delete them for good: ${ns}/debug`);
    expect(text).toMatch(/Capacity: the 2 evicted pods fit on the \d+ nodes? that remain/);
    // Read-only: nothing was cordoned or evicted by the preview.
    const node = await kubectlJson<{ spec: { unschedulable?: boolean } }>(["get", "node", h2.name]);
    expect(node.spec.unschedulable).toBeFalsy();

    // Put the entry back before the stack is destroyed with the blocker gone.
    await kubectl(["delete", "pod", "-n", ns, "debug", "--grace-period=1"]);
    await setConfig(project, { nodes: entries });
  });
});
