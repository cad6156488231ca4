import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { run } from "../support/process";
import { createKwokNode, deleteNodes, podsByNode, setUnschedulable } from "./support/kwok-nodes";
import { apply, kubeconfigPath, kubectl, kubectlJson, labDir, requireLab, uniqueName, waitFor } from "./support/lab";
import { deployment, namespace, pdb } from "./support/workloads";

jest.setTimeout(180_000);

// The one address the API server listens on (lab/control-plane/apiserver.sh).
const server = "https://10.213.0.1:6443";
const caFile = path.join(labDir, "control-plane", "pki", "ca.crt");

beforeAll(requireLab);

describe("the lab control plane", () => {
  test("the API server is ready", async () => {
    expect((await kubectl(["get", "--raw", "/readyz"])).stdout.trim()).toBe("ok");
  });

  test("anonymous users may read cluster-info, as kubeadm's discovery does", async () => {
    // An HTTPS GET with no credentials at all, trusting only the lab CA: what `kubeadm join` does first.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      https
        .get(`${server}/api/v1/namespaces/kube-public/configmaps/cluster-info`, { ca: fs.readFileSync(caFile) }, (response) => {
          let text = "";
          response.on("data", (chunk: Buffer) => (text += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        })
        .on("error", reject);
    });
    expect(status).toBe(200);
    const kubeconfig = (JSON.parse(body) as { data: { kubeconfig: string } }).data.kubeconfig;
    expect(kubeconfig).toMatch(/certificate-authority-data:/);
    expect(kubeconfig).toMatch(/server: https:\/\/10\.213\.0\.1:6443/);
  });

  test("RBAC denies an unprivileged user", async () => {
    const { stdout } = await kubectl(["auth", "can-i", "list", "secrets", "-n", "kube-system", "--as", "jane@example.com"]).catch((e: Error) => ({ stdout: e.message }));
    expect(stdout).toMatch(/\bno\b/);
    const forbidden = await run("kubectl", ["--kubeconfig", kubeconfigPath, "--as", "jane@example.com", "get", "secrets", "-n", "kube-system"]);
    expect(forbidden.code).not.toBe(0);
    expect(forbidden.stderr).toMatch(/Forbidden.*"jane@example.com" cannot list resource "secrets"/);
  });

  test("a Deployment with a PDB spreads over kwok nodes; evictions get 201 or 429 as the PDB dictates; the replacement becomes Ready", async () => {
    const ns = uniqueName("spread");
    const nodes = [`${ns}-a`, `${ns}-b`, `${ns}-c`];
    try {
      await apply(namespace(ns));
      for (const node of nodes) await createKwokNode(node, ns);
      await waitFor("default ServiceAccount", async () => ((await kubectl(["get", "sa", "-n", ns])).stdout.includes("default") ? true : undefined));
      await apply(deployment(ns, "web", ns, 6), pdb(ns, "web-pdb", "web", { maxUnavailable: 1 }));

      const ready = await waitFor("6 Ready pods spread over the kwok nodes", async () => {
        const byNode = await podsByNode(ns);
        const all = [...byNode.values()].flat();
        return all.length === 6 && all.every((p) => p.ready) ? byNode : undefined;
      });
      expect([...ready.keys()].sort()).toEqual(nodes);
      await waitFor("the PDB to allow one disruption", async () => {
        const status = await kubectlJson<{ status: { disruptionsAllowed?: number } }>(["get", "pdb", "web-pdb", "-n", ns]);
        return status.status.disruptionsAllowed === 1 ? true : undefined;
      });

      // Two evictions: the first is allowed (201); with every node cordoned its replacement cannot
      // become Ready, so the second would break the budget and is refused (429).
      for (const node of nodes) await setUnschedulable(node, true);
      const [first, second] = [...ready.values()].flat().map((p) => p.name);
      const evict = (pod: string) =>
        run("kubectl", ["--kubeconfig", kubeconfigPath, "create", "--raw", `/api/v1/namespaces/${ns}/pods/${pod}/eviction`, "-f", "-"], {
          input: JSON.stringify({ apiVersion: "policy/v1", kind: "Eviction", metadata: { name: pod, namespace: ns } }),
        });
      const allowed = await evict(first);
      expect(allowed.code).toBe(0);
      const refused = await evict(second);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/Too many requests|429|disruption budget/i);

      // Once the nodes are open again, the evicted pod is replaced and every replica is Ready again.
      for (const node of nodes) await setUnschedulable(node, false);
      await waitFor("6 Ready pods again, the evicted one replaced", async () => {
        const all = [...(await podsByNode(ns)).values()].flat();
        return all.length === 6 && all.every((p) => p.ready) && !all.some((p) => p.name === first) ? true : undefined;
      });
    } finally {
      await kubectl(["delete", "namespace", ns, "--wait=false"]).catch(() => undefined);
      await deleteNodes(nodes).catch(() => undefined);
    }
  });
});
