import { kubeconfigPath, labHosts, requireLab, waitFor } from "../integration/support/lab";
import { PdbObserver } from "../integration/support/pdb-observer";
import { armSshCut } from "./support/lab-faults";
import { runningHostSampler } from "./support/host-sampler";
import { testProcessesLeft } from "./support/test-processes";

// Runs after every other e2e test, the secrets scan included (test/sequencer.js): whatever a test
// started (kubectl watches and followed logs, ssh to a host, pulumi and its plugins, the cutters
// armed on hosts) must have ended with it, failed tests included: observers, cutters and background
// runs are stopped in `finally` blocks and afterAll hooks. Read from the machine's /proc, which also
// sees the lab hosts' processes. The tier's host process sampler is stopped by the tier's teardown.
jest.setTimeout(120_000);

describe("no process the tests started is left behind", () => {
  test("after the e2e tier, no kubectl against the lab, ssh to a host, pulumi of a test project, stray sampler or cutter runs on the machine or a lab host", () => {
    requireLab();
    expect(runningHostSampler()).toBeDefined();
    expect(testProcessesLeft()).toEqual([]);
  });

  test("the check sees what it looks for: a PDB observer's kubectl watches on the machine, a cutter armed on a host; and neither once stopped", async () => {
    requireLab();
    const observer = new PdbObserver("kube-system");
    try {
      await observer.ready;
      const seen = await waitFor("the observer's two watches in the process table", () => {
        const watches = testProcessesLeft().filter((l) => l.includes(`kubectl against the lab: kubectl --kubeconfig ${kubeconfigPath} get --raw`) && l.includes("watch=1"));
        return Promise.resolve(watches.length === 2 ? watches : undefined);
      });
      expect(seen.every((l) => / on the machine: /.test(l))).toBe(true);
    } finally {
      await observer.stop();
    }
    expect(testProcessesLeft()).toEqual([]);

    const host = labHosts()[0];
    // a pattern no process has: the cutter waits (up to 10 min) until disarmed
    const cutter = await armSshCut(host, "[k]w-no-such-process", 0);
    try {
      // (setsid and nohup before they exec the script, and a fork of its shell before it execs pgrep or sleep, show it too)
      // Read until seen, for up to 10 s: one full read of /proc once missed it in a whole-tier run,
      // though the tier's host sampler saw the cutter running then.
      const seen = await waitFor("the armed cutter in the process table", () => {
        const lines = testProcessesLeft();
        return Promise.resolve(lines.length > 0 ? lines : undefined);
      }, 10_000);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((l) => !new RegExp(`^pid \\d+ on ${host.name}: a script the tests put on the host: .*/tmp/kw-cut-\\d+\\.sh$`).test(l))).toEqual([]);
    } finally {
      await cutter.disarm();
    }
    await waitFor("the disarmed cutter gone", () => Promise.resolve(testProcessesLeft().length === 0 ? true : undefined), 10_000);
  });
});
