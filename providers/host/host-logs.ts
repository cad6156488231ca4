import type { RemoteShell } from "./ssh-session";

export const loggedUnits = ["kubelet", "containerd"] as const;
const marker = "=== kubeadm-workers log";

/**
 * The last lines of each unit's log, from the systemd journal: kubeadm's kubelet and the containerd
 * packages run as systemd units, and journalctl is where a host keeps their output. Each section
 * starts with a marker line naming the unit and the source ("none" without systemd or journalctl).
 */
export function hostLogsScript(lines: number): string {
  return loggedUnits
    .map((unit) =>
      [
        `if [ -d /run/systemd/system ] && command -v journalctl >/dev/null; then`,
        `  echo "${marker} ${unit} journalctl -u ${unit} -n ${lines}"; journalctl -u ${unit} -n ${lines} --no-pager -o short-iso 2>&1`,
        "else",
        `  echo "${marker} ${unit} none"`,
        "fi",
      ].join("\n"),
    )
    .join("\n");
}

export interface UnitLog {
  readonly unit: string;
  /** Where the lines came from ("journalctl -u kubelet -n 30"), or "none". */
  readonly source: string;
  readonly lines: readonly string[];
}

export function parseHostLogs(stdout: string): UnitLog[] {
  const logs: { unit: string; source: string; lines: string[] }[] = [];
  for (const line of stdout.split("\n")) {
    if (line.startsWith(`${marker} `)) {
      const [unit = "", ...source] = line.slice(marker.length + 1).split(" ");
      logs.push({ unit, source: source.join(" "), lines: [] });
    } else if (logs.length > 0 && line.trim() !== "") {
      logs[logs.length - 1].lines.push(line);
    }
  }
  return logs;
}

/** Bootstrap tokens (`abcdef.0123456789abcdef`) and bearer tokens never reach a message. */
export function redactLogLine(line: string): string {
  return line
    .replace(/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, "[redacted token]")
    .replace(/(bearer\s+)[A-Za-z0-9._~+/-]+=*/gi, "$1[redacted]");
}

/** The logs as message text, indented under a line per unit saying where they came from. */
export function formatHostLogs(logs: readonly UnitLog[], address: string): string {
  return logs
    .map((log) => {
      if (log.source === "none") return `  ${log.unit} log on ${address}: none found (no systemd journal: systemd does not run the host, or journalctl is missing)`;
      const body = log.lines.length > 0 ? log.lines.map((l) => `    ${redactLogLine(l)}`).join("\n") : "    (empty)";
      return `  last lines of the ${log.unit} log on ${address} (${log.source}):\n${body}`;
    })
    .join("\n");
}

/** The units' last log lines as message text; never throws (a message about a failure must not fail itself). */
export async function hostLogsReport(shell: RemoteShell, lines = 30): Promise<string> {
  try {
    const result = await shell.runScript(hostLogsScript(lines), { timeoutSeconds: 60 });
    return formatHostLogs(parseHostLogs(result.stdout), shell.address);
  } catch (error) {
    return `  the kubelet and containerd logs of ${shell.address} could not be read: ${(error as Error).message}`;
  }
}
