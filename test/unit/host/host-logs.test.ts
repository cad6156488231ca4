import { execFileSync } from "node:child_process";
import { formatHostLogs, hostLogsScript, parseHostLogs, redactLogLine } from "../../../providers/host/host-logs";

test("the script runs here and yields one section per unit, whatever logs this machine has", () => {
  const logs = parseHostLogs(execFileSync("bash", ["-s"], { input: hostLogsScript(5) }).toString());
  expect(logs.map((l) => l.unit)).toEqual(["kubelet", "containerd"]);
  for (const log of logs) expect(log.lines.length).toBeLessThanOrEqual(5);
});

test("reads each unit's journal, as a systemd host offers it, and no file of any supervisor", () => {
  const script = hostLogsScript(30);
  expect(script).toContain("journalctl -u kubelet -n 30 --no-pager");
  expect(script).toContain("journalctl -u containerd -n 30 --no-pager");
  expect(script).not.toMatch(/\/var\/log\//);
});

test("a host without systemd or journalctl yields a section saying so for each unit, not an error", () => {
  // A PATH without journalctl: the script must not need it to answer.
  const stdout = execFileSync("/bin/bash", ["-s"], { input: hostLogsScript(5), env: { PATH: "/nonexistent" } }).toString();
  const logs = parseHostLogs(stdout);
  expect(logs).toEqual([
    { unit: "kubelet", source: "none", lines: [] },
    { unit: "containerd", source: "none", lines: [] },
  ]);
  expect(formatHostLogs(logs, "10.0.0.21:22")).toBe(
    [
      "  kubelet log on 10.0.0.21:22: none found (no systemd journal: systemd does not run the host, or journalctl is missing)",
      "  containerd log on 10.0.0.21:22: none found (no systemd journal: systemd does not run the host, or journalctl is missing)",
    ].join("\n"),
  );
});

test("parses sections and formats them with their source, redacting tokens", () => {
  const stdout = [
    "=== kubeadm-workers log kubelet journalctl -u kubelet -n 30",
    'E1130 04:00:00 run.go:72] "command failed" err="failed to run Kubelet: validate service connection: dial unix /run/containerd/containerd.sock: connect: no such file"',
    "I1130 bootstrap with token abcdef.0123456789abcdef and Authorization: Bearer eyJhbGciOi.x-y_z",
    "=== kubeadm-workers log containerd journalctl -u containerd -n 30",
    "",
    "=== kubeadm-workers log other none",
  ].join("\n");
  const logs = parseHostLogs(stdout);
  expect(logs).toEqual([
    { unit: "kubelet", source: "journalctl -u kubelet -n 30", lines: [expect.stringContaining("failed to run Kubelet"), expect.stringContaining("bootstrap")] },
    { unit: "containerd", source: "journalctl -u containerd -n 30", lines: [] },
    { unit: "other", source: "none", lines: [] },
  ]);
  const text = formatHostLogs(logs, "10.0.0.21:22");
  expect(text).toContain("  last lines of the kubelet log on 10.0.0.21:22 (journalctl -u kubelet -n 30):\n    E1130");
  expect(text).toContain("  last lines of the containerd log on 10.0.0.21:22 (journalctl -u containerd -n 30):\n    (empty)");
  expect(text).toContain("  other log on 10.0.0.21:22: none found");
  expect(text).not.toContain("abcdef.0123456789abcdef");
  expect(text).not.toContain("eyJhbGciOi");
});

test.each([
  ["token abcdef.0123456789abcdef here", "token [redacted token] here"],
  ["Authorization: Bearer abc.def-ghi", "Authorization: Bearer [redacted]"],
  ["nothing secret", "nothing secret"],
])("redacts %j", (line, expected) => {
  expect(redactLogLine(line)).toBe(expected);
});
