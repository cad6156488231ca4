import * as fs from "node:fs";
import * as path from "node:path";
import { run, runOk } from "../support/process";
import { joinByHand, undoByHandJoin } from "./support/by-hand-join";
import { kubectl, labDir, labHosts, labSsh, requireLab, waitFor } from "./support/lab";

// The lab itself, as a user drives it: `npm run lab -- up|status|down`, and a worker joined by hand
// with the commands a kubeadm user types. The last test takes the lab down and brings it back.
jest.setTimeout(300_000);

const lab = (...args: string[]) => run("bash", ["lab/lab.sh", ...args], { timeoutMs: 300_000 });
const pidFile = (component: string) => path.join(labDir, "control-plane", "pids", `${component}.pid`);


/** Running means the process exists and is not a zombie (this sandbox's PID 1 reaps orphans late). */
function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

beforeAll(requireLab);

describe("the lab lifecycle", () => {
  test("up on a running lab changes nothing", async () => {
    const hostsBefore = fs.readFileSync(path.join(labDir, "hosts.json"), "utf8");
    const pidsBefore = ["etcd", "kube-apiserver", "kube-scheduler"].map((c) => fs.readFileSync(pidFile(c), "utf8"));

    const up = await lab("up");

    expect(up.code).toBe(0);
    expect(fs.readFileSync(path.join(labDir, "hosts.json"), "utf8")).toBe(hostsBefore);
    expect(["etcd", "kube-apiserver", "kube-scheduler"].map((c) => fs.readFileSync(pidFile(c), "utf8"))).toEqual(pidsBefore);
  });

  test("status reports a component that died, and up brings it back", async () => {
    const pid = Number(fs.readFileSync(pidFile("kube-scheduler"), "utf8"));
    process.kill(pid, "SIGKILL");
    await waitFor("the scheduler to exit", () => Promise.resolve(isRunning(pid) ? undefined : true));

    const status = await lab("status");
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^kube-scheduler dead pid=\d+$/m);
    expect(status.stdout).toMatch(/^kube-apiserver running pid=\d+$/m);

    expect((await lab("up")).code).toBe(0);
    const healed = await lab("status");
    expect(healed.code).toBe(0);
    expect(healed.stdout).toMatch(/^kube-scheduler running pid=\d+$/m);
  });

  test("a worker joins by hand with the commands a kubeadm user types", async () => {
    const host = labHosts()[0];
    let token = "";
    try {
      const joined = await joinByHand(host);
      token = joined.token;
      expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      // (the whole output is in the failure message when this breaks)
      expect({ code: joined.install.code, stderr: joined.install.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/error execution phase|^E: /m) as string });
      expect(joined.install.stdout).toMatch(/This node has joined the cluster/);
      const ready = await kubectl(["get", "node", host.name, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"]);
      expect(ready.stdout).toBe("True");
    } finally {
      // Leave the host and the cluster as found.
      await undoByHandJoin(host, token);
    }
  });

  test("down leaves no process, mount, network namespace or bridge; up brings the lab back", async () => {
    const pids = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"].map((c) => Number(fs.readFileSync(pidFile(c), "utf8")));
    const hostInits = labHosts().map((h) => Number(fs.readFileSync(path.join(labDir, "hosts", h.name, "init.pid"), "utf8")));

    expect((await lab("down")).code).toBe(0);

    expect([...pids, ...hostInits].filter(isRunning)).toEqual([]);
    expect((await runOk("ip", ["netns", "list"])).stdout).not.toMatch(/kw-/);
    expect((await run("ip", ["link", "show", "kw-br0"])).code).not.toBe(0);
    expect(fs.readFileSync("/proc/mounts", "utf8")).not.toContain(labDir);
    const stopped = await lab("status");
    expect(stopped.stdout).not.toMatch(/ (running|dead)/);
    expect(stopped.code).toBe(0);

    expect((await lab("up")).code).toBe(0);
    expect((await kubectl(["get", "--raw", "/readyz"])).stdout.trim()).toBe("ok");
    expect((await labSsh(labHosts()[0].address, "hostname")).stdout.trim()).toBe(labHosts()[0].name);
  });
});
