// The rest of a big cluster: kwok-realistic Nodes carrying bare pods bound to them (no scheduler or
// controller in the way), created by kubectl in parallel chunks. Labelled kw-bench=background, so no
// benchmark workload lands on them and they go in one delete.
import { kubectl, waitFor } from "../../test/integration/support/lab";

export const backgroundNamespace = "bench-background";
const chunk = 500;
const parallel = 6;

function node(name: string): unknown {
  const allocatable = { cpu: "32", memory: "64Gi", pods: "110" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, annotations: { "kwok.x-k8s.io/node": "realistic" }, labels: { "kubernetes.io/hostname": name, "kw-bench": "background", type: "kwok" } },
    status: { allocatable, capacity: allocatable, nodeInfo: { machineID: `${name}-machine` } },
  };
}

function pod(name: string, nodeName: string): unknown {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: backgroundNamespace, labels: { "kw-bench": "background" } },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: "app", image: "registry.k8s.io/pause:3.10", resources: { requests: { cpu: "10m", memory: "16Mi" } } }],
    },
  };
}

/**
 * Creates the objects with up to `parallel` kubectl processes of `chunk` objects each, in order;
 * starts no new chunk after `deadline` (ms since the epoch). Resolves with how many were created.
 */
async function createAll(objects: unknown[], deadline = Infinity): Promise<number> {
  const chunks: unknown[][] = [];
  for (let i = 0; i < objects.length; i += chunk) chunks.push(objects.slice(i, i + chunk));
  let next = 0;
  let created = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length && Date.now() < deadline) {
      const items = chunks[next++];
      // A stream of documents, not a List: kubectl validates a List's items against the client-side
      // schema, which wants every nodeInfo field a kubelet reports (kwok fills in what it needs).
      await kubectl(["create", "-f", "-", "-o", "name"], items.map((item) => JSON.stringify(item)).join("\n---\n"));
      created += items.length;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return created;
}

async function count(args: string[]): Promise<number> {
  const { stdout } = await kubectl([...args, "--chunk-size=500", "-o", "name"]);
  return stdout.split("\n").filter((l) => l.trim()).length;
}

/**
 * Grows the background to `nodes` Nodes and `pods` pods in all (spread evenly), adding only what is
 * missing, and waits until every Node is Ready and every pod Running. With a budget, pods stop being
 * added when it is spent (what this machine's lab manages in the time), and the wait for Running
 * ends after `waitSeconds` — resolves with the size reached: Nodes and Running pods.
 */
export async function growBackground(
  nodes: number,
  pods: number,
  log: (line: string) => void,
  budget: { createSeconds: number; waitSeconds: number } = { createSeconds: Infinity, waitSeconds: 900 },
): Promise<{ nodes: number; pods: number }> {
  const started = Date.now();
  await kubectl(["create", "namespace", backgroundNamespace]).catch(() => undefined);
  // Pods are refused until the namespace's default ServiceAccount exists.
  await waitFor(`default ServiceAccount of ${backgroundNamespace}`, async () => ((await kubectl(["get", "sa", "-n", backgroundNamespace])).stdout.includes("default") ? true : undefined));
  const haveNodes = await count(["get", "nodes", "-l", "kw-bench=background"]);
  const names = Array.from({ length: nodes }, (_, i) => `bench-bg-${i}`);
  await createAll(names.slice(haveNodes).map(node));
  const havePods = await count(["get", "pods", "-n", backgroundNamespace]);
  const added = await createAll(
    Array.from({ length: pods - havePods }, (_, k) => pod(`bg-${havePods + k}`, names[(havePods + k) % nodes] ?? "")),
    started + budget.createSeconds * 1000,
  );
  const total = havePods + added;
  log(`background: ${nodes} nodes and ${total} of ${pods} pods created in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await waitFor(`${nodes} background Nodes Ready`, async () => {
    const { stdout } = await kubectl(["get", "nodes", "-l", "kw-bench=background", "--chunk-size=500", "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"]);
    return stdout.split("\n").filter((s) => s === "True").length >= nodes ? true : undefined;
  }, 600_000);
  const waitUntil = Date.now() + budget.waitSeconds * 1000;
  let running: number;
  while ((running = await count(["get", "pods", "-n", backgroundNamespace, "--field-selector=status.phase=Running"])) < total && Date.now() < waitUntil) {
    await new Promise((r) => setTimeout(r, 5000));
  }
  log(`background: ${nodes} nodes Ready, ${running} of ${total} pods Running after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { nodes, pods: running };
}

export async function removeBackground(): Promise<void> {
  await kubectl(["delete", "namespace", backgroundNamespace, "--wait=false", "--ignore-not-found"]);
  await kubectl(["delete", "nodes", "-l", "kw-bench=background", "--wait=false"]);
}
