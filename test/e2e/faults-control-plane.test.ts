import { PdbObserver } from "../integration/support/pdb-observer";
import { labSsh, waitFor, type LabHost } from "../integration/support/lab";
import { killProcessTree, type BackgroundRun, type CommandResult } from "../support/process";
import { bootstrapTokenSecrets, FaultStack, hostJoinState, nodeState, workerNodesInState } from "./support/fault-stack";
import { restartControlPlane } from "./support/lab-faults";
import { entryFor, type NodeEntry } from "./support/lab-stack";
import { deployWebApp, firstEvictionFrom, spreadWebOnto, webReady } from "./support/web-app";

// The control plane failing under a running `pulumi up` with the real CLI on the lab, on one stack:
// kube-apiserver killed (SIGKILL) and started again in the middle of a join and of a drain, etcd
// killed and started again while evictions are in flight. Each `up` either finishes or fails with an
// error naming the node and what failed; then one more `up` finishes. A watch on the PDBs and pods
// (resumed across the restarts from its last resourceVersion) holds throughout every drain.
jest.setTimeout(600_000);

// Drains the faults land in need pods that really take time to stop and start (kw-testapp behind a
// readiness probe), and a silent kubelet when a host goes: real kubelets.

const e2eLabel = { "kubeadm-workers-e2e": "faults-cp" };
const ns = "e2e-faults-cp";

/**
 * Waits for an `up` that met a fault. It finishes, or it fails naming `node` in its error, and then
 * a single further `up` finishes. Resolves with how the first one ended, for the test's log.
 */
async function finishesOrResumes(stack: FaultStack, up: BackgroundRun, node: string): Promise<string> {
  const first: CommandResult = await up.done;
  if (first.code === 0) return "the up met the fault and finished";
  const output = first.stdout + first.stderr;
  // the error is the node's: in its message, or under the node's resource in the diagnostics
  expect(output).toMatch(new RegExp(`error: .*${node}|WorkerNode \\(${node}\\):\\s*\\n\\s*error: `));
  const errorLines = output.split("\n").filter((l) => /error: /.test(l)).slice(0, 4).join(" | ");
  await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 400_000);
  return `the up failed (${errorLines}); the next up finished`;
}

async function whileJoining(host: LabHost): Promise<void> {
  await waitFor(`kubeadm join running on ${host.name}`, async () => ((await labSsh(host.address, "pgrep -f '[k]ubeadm join --config'")).code === 0 ? true : undefined), 300_000);
}

describe("the control plane failing under pulumi up on the lab", () => {
  let stack: FaultStack;
  let entries: NodeEntry[];

  beforeAll(async () => {
    stack = await FaultStack.open("faults-cp");
    entries = stack.hosts.map((h) => entryFor(h, { labels: e2eLabel }));
    await stack.setNodes(entries.slice(0, 2));
    await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 400_000);
    await deployWebApp(ns, e2eLabel);
  }, 600_000);

  afterAll(async () => {
    await stack?.close(ns);
  }, 700_000);

  test("kube-apiserver killed and started again in the middle of kubeadm join", async () => {
    const host3 = stack.hosts[2];
    await stack.setNodes(entries);
    const up = stack.project.pulumiInBackground(["up", "--yes", "--skip-preview"]);
    let outcome: string;
    try {
      await whileJoining(host3);
      // The fault lands in the window: the up still running, kubeadm join still on the host.
      expect(up.running()).toBe(true);
      await restartControlPlane("kube-apiserver", 5);
      outcome = await finishesOrResumes(stack, up, host3.name);
    } finally {
      if (up.running()) await killProcessTree(up.pid);
    }
    console.log(`kube-apiserver restarted during the join of ${host3.name}: ${outcome}`);
    expect(await nodeState(host3.name)).toMatchObject({ ready: true, unschedulable: false });
    expect(await hostJoinState(host3)).toBe("joined");
    expect(await workerNodesInState(stack.project)).toEqual(entries.map((e) => e.name).sort());
    expect(await bootstrapTokenSecrets()).toBe("");
    await stack.project.pulumiOk(["preview", "--expect-no-changes"]);
  });

  test.each([
    ["kube-apiserver", 1, 5],
    ["etcd", 2, 3],
  ] as const)("%s killed and started again while the drain's evictions are in flight", async (component, index, secondsDown) => {
    const leaving = stack.hosts[index];
    await spreadWebOnto(ns, leaving.name);
    entries = entries.filter((e) => e.name !== leaving.name);
    await stack.setNodes(entries);
    const observer = new PdbObserver(ns);
    let outcome: string;
    try {
      await observer.ready;
      const up = stack.project.pulumiInBackground(["up", "--yes", "--skip-preview"]);
      try {
        await firstEvictionFrom(ns, leaving.name).catch((error: Error) => {
          throw new Error(`${error.message}\n--- pulumi up so far (${up.running() ? "running" : "ended"})\n${up.output().slice(-6000)}`);
        });
        // The fault lands in the window: the up still running, the Node still there (its delete
        // needs the API server, so it cannot finish while the control plane is down).
        expect(up.running()).toBe(true);
        expect(await nodeState(leaving.name)).toBeDefined();
        await restartControlPlane(component, secondsDown);
        outcome = await finishesOrResumes(stack, up, leaving.name);
      } finally {
        if (up.running()) await killProcessTree(up.pid);
      }
    } finally {
      await observer.stop();
    }
    console.log(`${component} restarted during the drain of ${leaving.name}: ${outcome}; PDB watch: ${observer.samples} events, resumed ${observer.errors.length} time(s)`);
    expect(await nodeState(leaving.name)).toBeUndefined();
    expect(await hostJoinState(leaving)).toBe("reset");
    expect(await workerNodesInState(stack.project)).toEqual(entries.map((e) => e.name).sort());
    await webReady(ns);
    expect(observer.violations).toEqual([]);
    await stack.project.pulumiOk(["preview", "--expect-no-changes"]);
  });
});
