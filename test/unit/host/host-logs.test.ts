import { execFileSync } from "node:child_process";
import { formatHostLogs, hostLogsScript, parseHostLogs, redactLogLine } from "../../../providers/host/host-logs";

test("the script runs here and yields one section per unit, whatever logs this machine has", () => {
  const logs = parseHostLogs(execFileSync("bash", ["-s"], { input: hostLogsScript(5) }).toString());
  expect(logs.map((l) => l.unit)).toEqual(["kubelet", "containerd"]);
  for (const log of logs) expect(log.lines.length).toBeLessThanOrEqual(5);
});

test("reads the journal on systemd hosts, else the supervisor's log file", () => {
  const script = hostLogsScript(30);
  expect(script).toContain("journalctl -u kubelet -n 30 --no-pager");
  expect(script).toContain("/var/log/shim/containerd.log");
});

test("parses sections and formats them with their source, redacting tokens", () => {
  const stdout = [
    "=== kubeadm-workers log kubelet journalctl -u kubelet -n 30",
    'E1130 04:00:00 run.go:72] "command failed" err="failed to run Kubelet: validate service connection: dial unix /run/containerd/containerd.sock: connect: no such file"',
    "I1130 bootstrap with token abcdef.0123456789abcdef and Authorization: Bearer eyJhbGciOi.x-y_z",
    "=== kubeadm-workers log containerd /var/log/shim/containerd.log",
    "",
    "=== kubeadm-workers log other none",
  ].join("\n");
  const logs = parseHostLogs(stdout);
  expect(logs).toEqual([
    { unit: "kubelet", source: "journalctl -u kubelet -n 30", lines: [expect.stringContaining("failed to run Kubelet"), expect.stringContaining("bootstrap")] },
    { unit: "containerd", source: "/var/log/shim/containerd.log", lines: [] },
    { unit: "other", source: "none", lines: [] },
  ]);
  const text = formatHostLogs(logs, "10.0.0.21:22");
  expect(text).toContain("  last lines of the kubelet log on 10.0.0.21:22 (journalctl -u kubelet -n 30):\n    E1130");
  expect(text).toContain("  last lines of the containerd log on 10.0.0.21:22 (/var/log/shim/containerd.log):\n    (empty)");
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
