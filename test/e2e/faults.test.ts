import { PdbObserver } from "../integration/support/pdb-observer";
import * as fs from "node:fs";
import * as path from "node:path";
import { kubectl, labSsh, waitFor } from "../integration/support/lab";
import { withArmed } from "../support/armed-cuts";
import { killProcessTree } from "../support/process";
import { bootstrapTokenSecrets, FaultStack, hostJoinState, nodeState, workerNodesInState } from "./support/fault-stack";
import { armSshCut, setHostOnline } from "./support/lab-faults";
import { entryFor, type NodeEntry } from "./support/lab-stack";
import type { PulumiProject } from "./support/pulumi-project";
import { deployWebApp, firstEvictionFrom, spreadWebOnto, webPodsByNode, webReady } from "./support/web-app";

// Faults under `pulumi up` with the real CLI on the lab, in order on one stack: SSH cut in the middle
// of host preparation and of kubeadm join; the CLI killed in the middle of a drain; two `up`s of the
// stack at once; a host gone at delete time. Each ends with a correct cluster and, after at most one
// more `up` (preceded by what the CLI asks for), a correct state; a watch on the PDBs and pods holds
// throughout every drain. (API server and etcd restarts: faults-control-plane.test.ts.)
jest.setTimeout(600_000);

// Drains the faults land in need pods that really take time to stop and start (kw-testapp behind a
// readiness probe), and a silent kubelet when a host goes: real kubelets.

const e2eLabel = { "kubeadm-workers-e2e": "faults" };

/** The lock files of the file backend (.pulumi/locks/<org>/<project>/<stack>/<uuid>.json). */
function stackLocks(project: PulumiProject): string[] {
  const dir = path.join(project.backendDir, ".pulumi", "locks");
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".json")) : [];
}
const ns = "e2e-faults";

describe("faults under pulumi up on the lab", () => {
  let stack: FaultStack;
  let h1: NodeEntry, h2: NodeEntry;

  beforeAll(async () => {
    stack = await FaultStack.open("faults");
    [h1, h2] = stack.hosts.map((h) => entryFor(h, { labels: e2eLabel }));
  }, 120_000);

  afterAll(async () => {
    // (no stack when FaultStack.open failed: nothing to undo)
    if (!stack) return;
    await setHostOnline(stack.hosts[1], true).catch(() => undefined);
    await stack.close(ns);
  }, 700_000);

  test("an SSH connection cut during containerd configuration and one cut during kubeadm join: the up fails naming both, leaves nothing; the next up joins both", async () => {
    const [host1, host2] = stack.hosts;
    // containerd's configuration must be applied on host 1 (not already done by an earlier test)
    await labSsh(host1.address, "rm -f /etc/containerd/config.toml /var/lib/kubeadm-workers/containerd-config.sha256");
    await stack.setNodes([h1, h2]);
    // Every cutter armed is disarmed, also when the second fails to arm: one left armed would cut a
    // later test's session on its host.
    const failed = await withArmed(
      [() => armSshCut(host1, "[s]ystemctl restart containerd", 0), () => armSshCut(host2, "[k]ubeadm join --config", 1)],
      async ([duringContainerd, duringJoin]) => {
        const result = await stack.project.pulumi(["up", "--yes", "--skip-preview"], 400_000);
        expect(await duringContainerd.report()).toMatch(/^cut: killed sshd \d+ serving pid \d+: .*systemctl restart containerd/);
        expect(await duringJoin.report()).toMatch(/^cut: killed sshd \d+ serving pid \d+: .*kubeadm join --config/);
        return result;
      },
    );
    const output = failed.stdout + failed.stderr;
    expect(failed.code).not.toBe(0);
    expect(output).toMatch(new RegExp(`create of worker ${host1.name} on ${host1.address}:22 failed: connection to ${host1.address}:22 (was lost|failed) while running`));
    expect(output).toMatch(new RegExp(`create of worker ${host2.name} on ${host2.address}:22 failed: connection to ${host2.address}:22 (was lost|failed) while running: kubeadm join --config`));
    expect(output).toMatch(/undone: host reset \(kubeadm reset -f\)/);
    expect(await nodeState(host1.name)).toBeUndefined();
    expect(await nodeState(host2.name)).toBeUndefined();
    expect(await bootstrapTokenSecrets()).toBe("");
    expect(await workerNodesInState(stack.project)).toEqual([]);

    // WHEN up runs again THEN both join: the interrupted steps are finished, nothing is left over
    // (the stack's own resource was recorded by the failed up)
    const again = await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 400_000);
    expect(again.stdout).toMatch(/\+ 2 created/);
    expect(await nodeState(host1.name)).toMatchObject({ ready: true, unschedulable: false });
    expect(await nodeState(host2.name)).toMatchObject({ ready: true, unschedulable: false });
    expect(await bootstrapTokenSecrets()).toBe("");
    expect(await workerNodesInState(stack.project)).toEqual([host1.name, host2.name]);
    // and the state says what the cluster is: nothing left to do
    await stack.project.pulumiOk(["preview", "--expect-no-changes"]);
  });

  test("pulumi killed (SIGKILL, the whole process tree) in the middle of a drain: cancel as the CLI says, up again; the drain resumes, the node goes, no PDB broken", async () => {
    const host2 = stack.hosts[1];
    await deployWebApp(ns, e2eLabel);
    await spreadWebOnto(ns, host2.name);
    await stack.setNodes([h1]);
    const observer = new PdbObserver(ns);
    try {
      await observer.ready;
      const up = stack.project.pulumiInBackground(["up", "--yes", "--skip-preview"]);
      try {
        await firstEvictionFrom(ns, host2.name);
      } finally {
        expect((await killProcessTree(up.pid)).length).toBeGreaterThanOrEqual(2);
      }
      await up.done;
      // The node is mid-drain: cordoned, marked, still there; the resource still in the state.
      expect(await nodeState(host2.name)).toMatchObject({ unschedulable: true, phase: expect.stringMatching(/evicting|waiting-for-replacements/) });

      // The CLI refuses the next up while the dead one's lock is there, and names the way out.
      const locked = await stack.project.pulumi(["up", "--yes", "--skip-preview"]);
      expect(locked.code).not.toBe(0);
      expect(locked.stdout + locked.stderr).toMatch(/the stack is currently locked by 1 lock\(s\)\. Either wait for the other process\(es\) to end or delete the lock file with `pulumi cancel`/);
      await stack.project.pulumiOk(["cancel", "--yes"]);

      const resumed = await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 400_000);
      // The engine says the delete was interrupted and runs it again: the drain resumes.
      expect(resumed.stdout + resumed.stderr).toMatch(new RegExp(`WorkerNode::${host2.name}, interrupted while deleting`));
      expect(resumed.stdout).toMatch(/- 1 deleted/);
    } finally {
      await observer.stop();
    }
    expect(await nodeState(host2.name)).toBeUndefined();
    expect(await hostJoinState(host2)).toBe("reset");
    expect(await workerNodesInState(stack.project)).toEqual([h1.name]);
    await webReady(ns);
    expect(observer.samples).toBeGreaterThan(2);
    expect(observer.violations).toEqual([]);
    await stack.project.pulumiOk(["preview", "--expect-no-changes"]);
  });

  test("two pulumi up of the stack at once: the second is refused by the stack lock, the node is joined once", async () => {
    const host2 = stack.hosts[1];
    await stack.setNodes([h1, h2]);
    const first = stack.project.pulumiInBackground(["up", "--yes", "--skip-preview"]);
    // The second starts once the first holds the stack's lock (two started in the same millisecond
    // may both see two lock files and both give up, which is safe but proves less).
    await waitFor("the first up's lock file", () => Promise.resolve(stackLocks(stack.project).length > 0 ? true : undefined), 60_000);
    const second = stack.project.pulumiInBackground(["up", "--yes", "--skip-preview"]);
    let results;
    try {
      results = await Promise.all([first.done, second.done]);
    } finally {
      for (const up of [first, second]) if (up.running()) await killProcessTree(up.pid);
    }

    const won = results.filter((r) => r.code === 0);
    const refused = results.filter((r) => r.code !== 0);
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].stdout + refused[0].stderr).toMatch(/the stack is currently locked by 1 lock\(s\)/);
    // The refused one touched nothing: no resource step at all in its output.
    expect(refused[0].stdout).not.toMatch(/WorkerNode|creating|created/);
    expect(won[0].stdout).toMatch(/\+ 1 created/);
    expect(stackLocks(stack.project)).toEqual([]);
    expect(await nodeState(host2.name)).toMatchObject({ ready: true, unschedulable: false });
    // joined once: the stack agrees with the cluster, nothing left to do
    await stack.project.pulumiOk(["preview", "--expect-no-changes"]);
    expect(await bootstrapTokenSecrets()).toBe("");
  });

  test("the host gone (off the network) at delete time: the node is still drained and removed, the reset skipped with a warning naming the host", async () => {
    const host2 = stack.hosts[1];
    await spreadWebOnto(ns, host2.name);
    await stack.setNodes([h1]);
    const observer = new PdbObserver(ns);
    let up;
    try {
      await observer.ready;
      await setHostOnline(host2, false);
      up = await stack.project.pulumiOk(["up", "--yes", "--skip-preview"], 500_000);
      // gone from the cluster while the host is still away
      expect(await nodeState(host2.name)).toBeUndefined();
    } finally {
      await observer.stop();
      await setHostOnline(host2, true);
    }
    const output = up.stdout + up.stderr;
    expect(up.stdout).toMatch(/- 1 deleted/);
    expect(output).toMatch(new RegExp(`${host2.name}: warning: the kubelet does not report \\(Ready Unknown`));
    const address2 = host2.address.replace(/\./g, "\\.");
    // and says what to do with the host, still joined, once it is back
    expect(output).toMatch(new RegExp(`${host2.name}: warning: host ${address2} not reset, it could not be reached: [^\\n]*Reset it by hand: run \`kubeadm reset -f\` on \\S+@${address2} \\(port \\d+\\)`));
    expect(await workerNodesInState(stack.project)).toEqual([h1.name]);
    await webReady(ns);
    expect((await webPodsByNode(ns)).get(h1.name)).toBe(4);
    expect(observer.violations).toEqual([]);

    // The host is back: it was never reset (the warning said so); the operator resets it, as the
    // warning tells a user to, and its Node must not linger.
    expect(await hostJoinState(host2)).toBe("joined");
    await labSsh(host2.address, "kubeadm reset -f >/dev/null 2>&1");
    await kubectl(["delete", "node", host2.name, "--ignore-not-found"]);
    await stack.project.pulumiOk(["preview", "--expect-no-changes"]);
  });
});
