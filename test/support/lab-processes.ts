// What the machine's process table says about the lab: which processes run on a lab host, and which
// were started by the tests. Pure: the caller reads /proc (./proc-table.ts).

/** A process as the machine's /proc shows it (a lab host's processes included: their PID namespaces are the machine's children). */
export interface ProcessEntry {
  readonly pid: number;
  /** Its command line, the arguments joined by spaces. */
  readonly args: string;
  /** The lab host it runs on, by its cgroup; undefined for the machine's own processes. */
  readonly host?: string;
  /** Its PULUMI_BACKEND_URL, when it was read and set. */
  readonly backend?: string;
}

// Every lab host's processes live in its own cgroup subtree LAB_CGROUP/<host> (lab/hosts/common.sh),
// which its cgroup namespace shows it as its root; the machine sees the whole path, in every hierarchy.
const labCgroup = "kubeadm-workers-lab";

/** The lab host whose cgroup tree /proc/PID/cgroup's text places the process in, or undefined. */
export function labHostOfCgroup(cgroup: string): string | undefined {
  return new RegExp(`/${labCgroup}/([^/\\n]+)`).exec(cgroup)?.[1];
}

/**
 * The lines a sampler writes for this sample: "HOST PID: ARGS" for each lab host process whose
 * command line it has not written yet (a process that execs shows a new one; every run of a command
 * is a new pid). `seen` is the sampler's memory, updated here.
 */
export function newSightings(processes: readonly ProcessEntry[], seen: Set<string>): string[] {
  const lines: string[] = [];
  for (const p of processes) {
    if (p.host === undefined) continue;
    const line = `${p.host} ${p.pid}: ${p.args}`;
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  return lines;
}

/** How the tests' own processes are recognised. */
export interface TestProcessMarks {
  /** The lab's admin kubeconfig, which the tests' kubectl runs with. */
  readonly kubeconfig: string;
  /** The lab's SSH key, which the tests' ssh to a host runs with. */
  readonly sshKey: string;
  /** Where PulumiProject makes its projects: pulumi and its plugins carry a file backend under it. */
  readonly projectDirPrefix: string;
  /** The file name of the tier's host process sampler (test/e2e/support/host-sampler-main.ts). */
  readonly samplerScript: string;
  /** Processes allowed to run at the check (the current tier's sampler, stopped by the tier's teardown). */
  readonly exceptPids: readonly number[];
}

const cut = (args: string): string => (args.length > 200 ? `${args.slice(0, 200)}…` : args);

/** What a process the tests started is, or undefined when the tests did not start it. */
function testProcessKind(p: ProcessEntry, marks: TestProcessMarks): string | undefined {
  if (p.host !== undefined) {
    // armSshCut's cutters (test/e2e/support/lab-faults.ts) run as scripts under /tmp/kw-…
    return /(^|\s)\/tmp\/kw-/.test(p.args) ? "a script the tests put on the host" : undefined;
  }
  const word = (text: string) => new RegExp(`(^|[\\s=])${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\s|$)`);
  if (word(marks.kubeconfig).test(p.args)) return "kubectl against the lab";
  if (word(marks.sshKey).test(p.args)) return "ssh to a lab host";
  const project = p.backend?.startsWith(`file://${marks.projectDirPrefix}`) ? p.backend.slice("file://".length).replace(/\/\.backend\/?$/, "") : undefined;
  if (project !== undefined) return `pulumi (or a plugin) of test project ${project}`;
  if (p.args.includes(marks.samplerScript)) return "a host process sampler";
  return undefined;
}

/** One line for each process the tests started that is still running, naming where it runs and what it is. */
export function leftoverTestProcesses(processes: readonly ProcessEntry[], marks: TestProcessMarks): string[] {
  const lines: string[] = [];
  for (const p of processes) {
    if (marks.exceptPids.includes(p.pid)) continue;
    const kind = testProcessKind(p, marks);
    if (kind !== undefined) lines.push(`pid ${p.pid} on ${p.host ?? "the machine"}: ${kind}: ${cut(p.args)}`);
  }
  return lines;
}
