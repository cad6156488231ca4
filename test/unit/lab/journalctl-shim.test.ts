import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../../support/process";

// The lab hosts' journalctl (lab/hosts/guest/journalctl) answers `journalctl -u UNIT -n N` from the
// log file the systemctl shim writes for the unit, so the provider reads a lab host's logs exactly as
// it reads a systemd host's. Run here against a log directory of the test's own.
const shim = path.join(repoRoot, "lab/hosts/guest/journalctl");
let logDir: string;

beforeEach(() => {
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-journalctl-shim-"));
  const lines = Array.from({ length: 40 }, (_, i) => `kubelet line ${i + 1}`);
  fs.writeFileSync(path.join(logDir, "kubelet.log"), `${lines.join("\n")}\n`);
  fs.writeFileSync(path.join(logDir, "containerd.log"), "containerd line 1\ncontainerd line 2\n");
});
afterEach(() => fs.rmSync(logDir, { recursive: true, force: true }));

function journalctl(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync("/bin/bash", [shim, ...args], { env: { PATH: process.env.PATH, JOURNALCTL_SHIM_LOG_DIR: logDir }, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const tail = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => `kubelet line ${from + i}\n`).join("");

test("prints the last N lines of the unit's shim log for the command the provider runs", () => {
  expect(journalctl("-u", "kubelet", "-n", "30", "--no-pager", "-o", "short-iso")).toEqual({ code: 0, stdout: tail(11, 40), stderr: "" });
});

test.each([
  [["--unit=kubelet.service", "--lines=3"]],
  [["-ukubelet", "-n3"]],
  [["--unit", "kubelet", "--lines", "3", "--output=cat", "--since", "-10min", "--no-hostname", "-q"]],
  [["-n", "3", "-o", "cat", "-u", "kubelet", "--since=2026-01-01 00:00:00", "--until=now", "-b"]],
])("accepts journalctl's spellings and the options it ignores: %j", (args) => {
  expect(journalctl(...args)).toEqual({ code: 0, stdout: tail(38, 40), stderr: "" });
});

test("-n without a number means 10 lines, as journalctl; without -n, the whole log", () => {
  expect(journalctl("-u", "kubelet", "-n").stdout).toBe(tail(31, 40));
  expect(journalctl("-u", "kubelet", "-n", "--no-pager").stdout).toBe(tail(31, 40));
  expect(journalctl("-u", "containerd").stdout).toBe("containerd line 1\ncontainerd line 2\n");
});

test("a unit that never ran has no entries, as journalctl says it", () => {
  expect(journalctl("-u", "nothing", "-n", "5")).toEqual({ code: 0, stdout: "-- No entries --\n", stderr: "" });
});

test.each([
  [[], /journalctl shim: .*-u UNIT/],
  [["-u", "kubelet", "-f"], /journalctl shim: option -f is not implemented/],
  [["-u", "kubelet", "-u", "containerd"], /journalctl shim: one -u UNIT at a time/],
  [["-u", "kubelet", "--lines=x1"], /journalctl shim: -n\/--lines takes a number of lines, not x1/],
  [["-u", "kubelet", "_PID=1"], /journalctl shim: matches \(_PID=1\) are not implemented/],
])("what it does not implement fails, naming it: %j", (args, message) => {
  const result = journalctl(...args);
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(message);
});
