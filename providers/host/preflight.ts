import { dnsSubdomainProblem } from "../worker-node/validate";

/**
 * Gathers facts about a host as `key=value` lines. It changes nothing: every decision is made by
 * evaluatePreflight, in TypeScript, so the rules are tested without a host.
 */
export const preflightScript = `
set -u
. /etc/os-release 2>/dev/null
echo "os_id=\${ID:-unknown}"
echo "os_like=\${ID_LIKE:-}"
echo "os_version=\${VERSION_ID:-}"
echo "arch=$(uname -m)"
echo "uid=$(id -u)"
echo "sudo=$(command -v sudo >/dev/null && sudo -n true 2>/dev/null && echo yes || echo no)"
echo "hostname=$(hostname)"
echo "machine_id=$(cat /etc/machine-id 2>/dev/null)"
echo "apt=$(command -v apt-get >/dev/null && echo yes || echo no)"
echo "mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
echo "swap_kb=$(awk '/^SwapTotal:/ {print $2}' /proc/meminfo)"
echo "var_free_kb=$(df -Pk /var 2>/dev/null | awk 'NR==2 {print $4}')"
echo "listening=$( (ss -Hltn 2>/dev/null || netstat -ltn 2>/dev/null | tail -n +3) | awk '{print $4}' | sed 's/.*://' | sort -un | tr '\\n' ' ')"
echo "kubelet_conf=$(test -e /etc/kubernetes/kubelet.conf && echo yes || echo no)"
echo "kubelet_conf_server=$(grep -m1 'server:' /etc/kubernetes/kubelet.conf 2>/dev/null | awk '{print $2}')"
`;

export type HostFacts = Readonly<Record<string, string>>;

export function parseFacts(stdout: string): HostFacts {
  const facts: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) facts[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return facts;
}

export interface PreflightExpectations {
  /** The Node name the host will register as, when given; else its hostname must be valid. */
  readonly nodeName?: string;
  /** The API server the host should belong to, to recognise a re-run of our own join. */
  readonly apiServerEndpoint: string;
  readonly minMemoryMiB?: number;
  readonly minVarFreeMiB?: number;
}

/** Ports the worker's own components listen on (kubelet API, kubelet healthz, kube-proxy health and metrics). */
export const workerPorts = [10250, 10248, 10256, 10249];

const supportedArchitectures = ["x86_64", "aarch64"];

/** Every preflight problem of a host, each with how to fix it. Empty: the host can join. */
export function evaluatePreflight(facts: HostFacts, expect: PreflightExpectations): string[] {
  const problems: string[] = [];
  const family = `${facts.os_id ?? ""} ${facts.os_like ?? ""}`;
  if (!/\b(debian|ubuntu)\b/.test(family) || facts.apt !== "yes") {
    problems.push(`operating system "${facts.os_id ?? "unknown"}" is not Debian or Ubuntu with apt-get: only apt-based hosts are supported`);
  }
  if (!supportedArchitectures.includes(facts.arch ?? "")) {
    problems.push(`architecture "${facts.arch ?? "unknown"}" is not supported (supported: ${supportedArchitectures.join(", ")})`);
  }
  if (facts.uid !== "0" && facts.sudo !== "yes") {
    problems.push(`user has uid ${facts.uid ?? "?"} and no password-less sudo: log in as root or allow "sudo -n" for this user`);
  }
  if (!expect.nodeName) {
    const problem = dnsSubdomainProblem(facts.hostname ?? "");
    if (problem) problems.push(`hostname "${facts.hostname ?? ""}" cannot be a Node name: it ${problem}; set nodeName`);
  }
  const memMiB = Math.floor(Number(facts.mem_kb ?? 0) / 1024);
  const minMem = expect.minMemoryMiB ?? 1024;
  if (memMiB < minMem) problems.push(`memory is ${memMiB} MiB, below the ${minMem} MiB a worker needs`);
  const varMiB = Math.floor(Number(facts.var_free_kb ?? 0) / 1024);
  const minVar = expect.minVarFreeMiB ?? 2048;
  if (varMiB < minVar) problems.push(`/var has ${varMiB} MiB free, below the ${minVar} MiB images and logs need`);
  const listening = new Set((facts.listening ?? "").split(/\s+/).filter(Boolean).map(Number));
  const busy = workerPorts.filter((p) => listening.has(p));
  const ourKubelet = facts.kubelet_conf === "yes";
  if (busy.length > 0 && !ourKubelet) {
    problems.push(`port${busy.length > 1 ? "s" : ""} ${busy.join(", ")} already in use: stop what listens there (a kubelet of another cluster?)`);
  }
  if (ourKubelet) {
    const server = facts.kubelet_conf_server ?? "";
    if (!server.endsWith(`//${expect.apiServerEndpoint}`)) {
      problems.push(
        `host already belongs to a cluster (/etc/kubernetes/kubelet.conf points at ${server || "an unknown server"}, not https://${expect.apiServerEndpoint}): run "kubeadm reset -f" on it first if it may leave that cluster`,
      );
    }
  }
  return problems;
}
