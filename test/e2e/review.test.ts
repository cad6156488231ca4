import { apply, kubectl, labHosts, waitFor, kubectlJson } from "../integration/support/lab";
import { deployment, nakedPod, pdb } from "../integration/support/workloads";
import { startLoopbackApi } from "../support/loopback-api";
import { entryFor, setConfig, setLabSecrets, type NodeEntry } from "./support/lab-stack";
import { diffStepIn, reportInPreviewStdout } from "./support/preview-report";
import { labStackForSuite } from "./support/suite-stack";

// Issue 10: a preview that removes a node tells the reviewer what the drain will do, from the
// cluster itself, before anything is touched.
jest.setTimeout(600_000);

const ns = "e2e-review";
const testLabel = "review";

describe("the scale-in report in pulumi preview", () => {
  const stack = labStackForSuite("review", { hosts: 2, namespace: ns });
  let entries: NodeEntry[];

  test("removing an entry previews the pods that move, the PDB with its disruptionsAllowed, a blocker with its option, and the capacity verdict", async () => {
    const [h1, h2] = labHosts();
    entries = [entryFor(h1, { labels: { "kw-test": testLabel } }), entryFor(h2, { labels: { "kw-test": testLabel } })];
    await setConfig(stack.project, { nodes: entries });
    await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);

    await apply(deployment(ns, "web", testLabel, 4, { spread: true }), pdb(ns, "web-pdb", "web", { maxUnavailable: 1 }), nakedPod(ns, "debug", h2.name));
    await waitFor("4 web pods and the naked pod running", async () => {
      const pods = await kubectlJson<{ items: { status: { phase: string } }[] }>(["get", "pods", "-n", ns]);
      return pods.items.filter((p) => p.status.phase === "Running").length === 5 ? true : undefined;
    }, 180_000);
    await waitFor("the PDB to allow one disruption", async () => {
      const budget = await kubectlJson<{ status?: { disruptionsAllowed?: number } }>(["get", "pdb", "-n", ns, "web-pdb"]);
      return budget.status?.disruptionsAllowed === 1 ? true : undefined;
    });

    await setConfig(stack.project, { nodes: [entries[0]] });
    const preview = await stack.project.pulumiOk(["preview", "--diff"]);
    // stdout alone: pulumi/actions posts the preview's stdout as the pull request's comment. The diff
    // and the report are both there, and the report is not repeated on stderr.
    expect(diffStepIn(preview.stdout, h2.name)).toBe("delete");
    const text = reportInPreviewStdout(preview.stdout) ?? "(no scaleInReport output in stdout)";
    expect(preview.stderr).not.toContain("Scale-in report");
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
    await setConfig(stack.project, { nodes: entries });
  });

  test("with an API server that accepts connections and never answers, the preview of a removed entry ends by itself, exits 0 and says the cluster could not be read", async () => {
    const h2 = labHosts()[1];
    // On loopback, where the CLI's program runs: it accepts the connection and never answers, so
    // no OS timeout ever ends a request to it; only the report's own timeout and cancellation can.
    const silent = await startLoopbackApi(() => undefined);
    try {
      await stack.project.pulumiStdin(["config", "set", "--secret", "kubeconfig"], silent.kubeconfig);
      await setConfig(stack.project, { nodes: [entries[0]] });

      // The bound only tells "ended by itself" from "held open": the report gives up after 15 s.
      const preview = await stack.project.pulumi(["preview", "--diff"], 150_000);

      expect(preview.code).toBe(0);
      expect(diffStepIn(preview.stdout, h2.name)).toBe("delete");
      const text = (reportInPreviewStdout(preview.stdout) ?? "(no scaleInReport output in stdout)").replace(/\s+/g, " ");
      const { server } = (JSON.parse(silent.kubeconfig) as { clusters: { cluster: { server: string } }[] }).clusters[0].cluster;
      expect(text).toContain(`Scale-in report: the cluster could not be read (no answer from ${server} within 15s)`);
      expect(text).toContain("The preview itself is unaffected.");
    } finally {
      await setLabSecrets(stack.project);
      await setConfig(stack.project, { nodes: entries });
      await silent.close();
    }
  });
});
