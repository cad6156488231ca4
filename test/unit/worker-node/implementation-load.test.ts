import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "../../support/process";

// The provider process of a preview only checks and diffs: loading the SSH and Kubernetes clients
// there cost it about a second before its first answer (bench scenario 5).
const implementation = path.join(repoRoot, "dist/providers/worker-node/implementation.js");
const heavy = "/node_modules\\/(@kubernetes\\/client-node|node-ssh|ssh2)\\//";

function loadedAfter(calls: string): string[] {
  const script = `
    const impl = require(${JSON.stringify(implementation)});
    (async () => {
      ${calls}
      console.log(JSON.stringify([...new Set(Object.keys(require.cache).filter((k) => ${heavy}.test(k)).map((k) => ${heavy}.exec(k)[1]))]));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
  if (run.status !== 0) throw new Error(`node exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "[]") as string[];
}

const inputs = { connection: { host: "10.213.0.11", privateKey: "k" }, cluster: {}, labels: { tier: "web" }, taints: [] };

test("check, and a diff of changed inputs, load neither the SSH nor the Kubernetes client", () => {
  expect(
    loadedAfter(`
      await impl.check({}, ${JSON.stringify(inputs)});
      await impl.diff("id", ${JSON.stringify({ ...inputs, nodeName: "n" })}, ${JSON.stringify(inputs)});`),
  ).toEqual([]);
});

test("a diff that finds the inputs unchanged loads the Kubernetes client only (to look for an abandoned scale-in), and a cluster it cannot read does not fail it", () => {
  // A kubeconfig that does not parse: the read fails, the diff warns and answers "no change".
  const unchanged = { ...inputs, cluster: { kubeconfig: "{" } };
  const olds = { ...unchanged, nodeName: "n", joinInputs: {} };
  expect(loadedAfter(`if ((await impl.diff("id", ${JSON.stringify(olds)}, ${JSON.stringify(unchanged)})).changes !== false) throw new Error("expected no change");`)).toEqual(["@kubernetes/client-node"]);
});

test("an operation on hosts and the cluster loads them on its first call", () => {
  // A kubeconfig that does not parse: the delete fails before any connection is attempted.
  const olds = { reset: false, nodeName: "n", cluster: { kubeconfig: "{" }, connection: inputs.connection };
  expect(loadedAfter(`await impl.remove("id", ${JSON.stringify(olds)}).catch(() => undefined);`).sort()).toEqual(["@kubernetes/client-node", "node-ssh", "ssh2"]);
});
