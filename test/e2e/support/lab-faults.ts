import { labSsh, type LabHost } from "../../integration/support/lab";
import { runOk, type CommandResult } from "../../support/process";

/** `npm run lab -- ARGS` on the running lab (lab/lab.sh). */
function lab(args: readonly string[]): Promise<CommandResult> {
  return runOk("bash", ["lab/lab.sh", ...args], { timeoutMs: 180_000 });
}

/** Kills a control-plane component (SIGKILL, by its recorded PID), keeps it down, starts it again and waits until healthy. */
export function restartControlPlane(component: "kube-apiserver" | "etcd", secondsDown: number): Promise<CommandResult> {
  return lab(["restart", component, String(secondsDown)]);
}

/** Takes a host off the lab network (as unplugged or powered off), or puts it back. */
export function setHostOnline(host: LabHost, online: boolean): Promise<CommandResult> {
  return lab(["host", host.name, online ? "online" : "offline"]);
}

async function onHost(host: LabHost, command: string): Promise<string> {
  const result = await labSsh(host.address, command);
  if (result.code !== 0) throw new Error(`on ${host.name}: ${command.split("\n")[0]} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

export interface ArmedCut {
  /** What the cutter did: "cut: killed sshd …", or "" when it never saw the process. */
  report(): Promise<string>;
  /** Stops the cutter if it still waits; safe to call more than once. */
  disarm(): Promise<void>;
}

/**
 * Arms a cutter on the host: it waits for a process whose command line matches `pattern` (a pgrep
 * regular expression; write one letter in brackets, "[k]ubeadm join", so it does not match the
 * cutter's own command line), lets it run `delaySeconds`, then SIGKILLs the sshd process serving
 * the session that process runs under: the client's connection drops mid-command, as a network cut
 * or a restarted sshd does. Runs detached on the host (setsid), so it outlives the SSH call that
 * armed it; disarm() in a finally.
 */
export async function armSshCut(host: LabHost, pattern: string, delaySeconds: number): Promise<ArmedCut> {
  const id = `kw-cut-${Date.now()}`;
  const script = [
    `for i in $(seq 1 6000); do p=$(pgrep -o -f -- '${pattern}') && break; sleep 0.1; done`,
    '[ -n "$p" ] || exit 0',
    `sleep ${delaySeconds}`,
    's=$p',
    'while [ "${s:-1}" -gt 1 ]; do case "$(ps -o comm= -p "$s")" in sshd*) break ;; esac; s=$(ps -o ppid= -p "$s" | tr -d " "); done',
    `[ "\${s:-1}" -gt 1 ] && kill -9 "$s" && echo "cut: killed sshd $s serving pid $p: $(tr '\\0' ' ' </proc/$p/cmdline 2>/dev/null)" >/tmp/${id}.log`,
  ].join("\n");
  // Through base64: no quoting of the script, and no command line of the cutter that matches `pattern`.
  const encoded = Buffer.from(script).toString("base64");
  // Only the cutter goes to the background, with no descriptor of the SSH session: the call returns at once.
  await onHost(host, `echo ${encoded} | base64 -d >/tmp/${id}.sh; setsid nohup sh /tmp/${id}.sh >/dev/null 2>&1 </dev/null & echo $! >/tmp/${id}.pid`);
  return {
    report: () => onHost(host, `cat /tmp/${id}.log 2>/dev/null || true`).then((s) => s.trim()),
    disarm: async () => {
      await labSsh(host.address, `kill $(cat /tmp/${id}.pid) 2>/dev/null; rm -f /tmp/${id}.pid /tmp/${id}.sh /tmp/${id}.log`);
    },
  };
}
