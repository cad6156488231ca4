import { caCertHash, splitPemBundle } from "../cluster/ca-hash";
import { dnsSubdomainProblem } from "../worker-node/validate";
import { compareVersions, formatVersion, parseKubernetesVersion } from "../worker-node/version";
import { debianVersionMajorMinor, needsContainerd2, type CgroupDriver } from "./containerd";

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
echo "kubelet_conf_ca=$(grep -m1 'certificate-authority-data:' /etc/kubernetes/kubelet.conf 2>/dev/null | awk '{print $2}')"
# A kubelet.conf may name its CA by path (certificate-authority:) instead of embedding it.
echo "kubelet_conf_ca_file=$(f=$(grep -m1 'certificate-authority:' /etc/kubernetes/kubelet.conf 2>/dev/null | awk '{print $2}'); [ -n "$f" ] && base64 -w0 "$f" 2>/dev/null)"
echo "pid1=$(cat /proc/1/comm 2>/dev/null)"
for p in containerd.io containerd; do
  # Installed, or left unpacked/half-configured by a failed install: either way the host has it.
  case "$(dpkg-query -W -f='\${Status}' "$p" 2>/dev/null)" in
    ""|*not-installed|*config-files) ;;
    *) echo "containerd_package=$p"; echo "containerd_version=$(dpkg-query -W -f='\${Version}' "$p")"; break ;;
  esac
done
echo "containerd_binary=$(command -v containerd 2>/dev/null)"
echo "kube_packages=$(for p in kubeadm kubelet kubectl; do dpkg-query -W -f='\${Status} \${Version}' "$p" 2>/dev/null | awk -v p="$p" '$3 == "installed" {printf "%s=%s ", p, $4}'; done)"
echo "containerd_binary_package=$(dpkg -S "$(command -v containerd 2>/dev/null || echo /nonexistent)" 2>/dev/null | head -n1 | cut -d: -f1)"
echo "control_plane_manifests=$(cd /etc/kubernetes/manifests 2>/dev/null && ls kube-apiserver.yaml kube-controller-manager.yaml kube-scheduler.yaml etcd.yaml 2>/dev/null | tr '\\n' ' ')"
echo "etcd_data=$(test -d /var/lib/etcd/member && echo yes || echo no)"
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
  /** sha256:… of the cluster's CA: a kubelet.conf trusting another CA belongs to another cluster. */
  readonly caCertHash?: string;
  /** "1.36.3": from 1.36 the host needs containerd 2. */
  readonly kubernetesVersion?: string;
  /** The cluster's kubelet cgroupDriver: systemd needs systemd as PID 1. */
  readonly cgroupDriver?: CgroupDriver;
  /** containerd.upgrade: an installed containerd 1.x will be replaced, so it is no problem. */
  readonly containerdUpgrade?: boolean;
  /** containerd.package, named in the message. */
  readonly containerdPackage?: string;
}

/** The Node of this host, when one exists, as preflight needs it. */
export interface ExistingNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Whether it carries this host's machine-id (ours by annotation, or the kubelet's). */
  readonly thisHost: boolean;
  readonly machineId: string;
}

export const controlPlaneLabels = ["node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master"];

/** Problems with the Node of the host's name: another machine's, or a control-plane node. */
export function existingNodeProblems(node: ExistingNode | undefined, facts: HostFacts): string[] {
  if (!node) return [];
  if (!node.thisHost) {
    return [
      `a Node named ${node.name} already exists and is not this host (machine-id ${facts.machine_id || "unknown"}, Node's ${node.machineId || "unknown"}): ` +
        `remove it (kubectl delete node ${node.name}) if it is stale, or set nodeName to another name`,
    ];
  }
  const label = controlPlaneLabels.find((l) => l in node.labels);
  return label
    ? [`this host is the control-plane node ${node.name} (label ${label}): kubeadm-workers manages worker nodes only; choose a host that is not part of the control plane`]
    : [];
}

/** sha256:… of the CA the host's kubelet.conf trusts (embedded, or the file it names); undefined when neither can be read. */
export function kubeletTrustedCaHash(facts: HostFacts): string | undefined {
  const base64 = facts.kubelet_conf_ca || facts.kubelet_conf_ca_file;
  return base64 ? hashOfBase64Pem(base64) : undefined;
}

function hashOfBase64Pem(base64: string): string | undefined {
  try {
    return splitPemBundle(Buffer.from(base64, "base64").toString("utf8")).map(caCertHash)[0];
  } catch {
    return undefined;
  }
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
  if (ourKubelet) problems.push(...joinedClusterProblems(facts, expect));
  problems.push(...controlPlaneProblems(facts));
  problems.push(...runtimeProblems(facts, expect));
  return problems;
}

/** A host whose kubelet.conf names another CA (or, without one, another server) belongs to another cluster. */
function joinedClusterProblems(facts: HostFacts, expect: PreflightExpectations): string[] {
  const server = facts.kubelet_conf_server ?? "";
  const hostCa = kubeletTrustedCaHash(facts);
  const reset = 'run "kubeadm reset -f" on it first if it may leave that cluster, or choose another host';
  if (hostCa && expect.caCertHash && hostCa !== expect.caCertHash) {
    return [
      `host is already joined to another cluster: /etc/kubernetes/kubelet.conf points at ${server || "an unknown server"} and trusts CA ${hostCa}, ` +
        `but this cluster (https://${expect.apiServerEndpoint}) has CA ${expect.caCertHash}: ${reset}`,
    ];
  }
  if (!server.endsWith(`//${expect.apiServerEndpoint}`)) {
    const sameCa = hostCa !== undefined && hostCa === expect.caCertHash;
    return [
      `host already belongs to a cluster (/etc/kubernetes/kubelet.conf points at ${server || "an unknown server"}, not https://${expect.apiServerEndpoint}` +
        `${sameCa ? `; it trusts this cluster's CA, so set cluster.apiServerEndpoint to ${server.replace(/^https:\/\//, "")} if that is this cluster's endpoint` : ""}): ${reset}`,
    ];
  }
  return [];
}

export function controlPlaneProblems(facts: HostFacts): string[] {
  const problems: string[] = [];
  const manifests = (facts.control_plane_manifests ?? "").split(/\s+/).filter(Boolean);
  if (manifests.length > 0) {
    problems.push(
      `host runs a control plane: /etc/kubernetes/manifests holds ${manifests.join(", ")}: a control-plane host must never become a worker; choose another host ` +
        '(if that control plane is gone for good, "kubeadm reset -f" on the host removes it)',
    );
  }
  if (facts.etcd_data === "yes") {
    problems.push(
      "host holds etcd data (/var/lib/etcd/member): it is, or was, an etcd member of a control plane; choose another host, " +
        "or move /var/lib/etcd away if that data is known to be dead",
    );
  }
  return problems;
}

function runtimeProblems(facts: HostFacts, expect: PreflightExpectations): string[] {
  const problems: string[] = [];
  if (expect.cgroupDriver === "systemd" && facts.pid1 !== "systemd") {
    problems.push(
      `the cluster's kubelet configuration (kube-system/kubelet-config) sets cgroupDriver systemd, but PID 1 on this host is "${facts.pid1 || "unknown"}", not systemd: ` +
        "the kubelet and containerd could not create systemd cgroups; use a host booted with systemd, or a cluster whose kubelet configuration sets cgroupDriver: cgroupfs",
    );
  }
  const newer = expect.kubernetesVersion ? newerKubePackages(facts.kube_packages ?? "", expect.kubernetesVersion) : undefined;
  if (newer) problems.push(newer);
  if (expect.kubernetesVersion && needsContainerd2(expect.kubernetesVersion) && !facts.containerd_package && facts.containerd_binary && !facts.containerd_binary_package) {
    // A binary install (containerd's release tarball) brings its own unit, which would keep running
    // that binary beside the package we install.
    problems.push(
      `containerd at ${facts.containerd_binary} is not from a Debian package (a release-tarball install?): remove it and its systemd unit, ` +
        `so that ${expect.containerdPackage ?? "containerd.io"} is the only containerd on the host`,
    );
  }
  if (expect.kubernetesVersion && needsContainerd2(expect.kubernetesVersion) && facts.containerd_package && !expect.containerdUpgrade) {
    const found = debianVersionMajorMinor(facts.containerd_version ?? "");
    if (!found || found.major < 2) {
      const minor = expect.kubernetesVersion.split(".").slice(0, 2).join(".");
      problems.push(
        `containerd ${facts.containerd_version || "of unknown version"} (package ${facts.containerd_package}) is installed, but Kubernetes ${minor} requires containerd 2.0 or newer: ` +
          `set containerd.upgrade: true to replace it in place with ${expect.containerdPackage ?? "containerd.io"} 2.x (containerd restarts; drain the host first if it runs workloads), or remove it from the host`,
      );
    }
  }
  return problems;
}

/**
 * kubeadm, kubelet or kubectl installed at a newer release than the one asked for: apt would have to
 * downgrade held packages, which it refuses with a message that names neither cause nor fix.
 */
function newerKubePackages(installed: string, kubernetesVersion: string): string | undefined {
  const wanted = parseKubernetesVersion(kubernetesVersion);
  if (!wanted) return undefined;
  const newer = installed
    .split(/\s+/)
    .filter(Boolean)
    .map((entry) => entry.split("="))
    .filter(([, debVersion]) => {
      const release = parseKubernetesVersion((debVersion ?? "").replace(/-.*$/, ""));
      return release !== undefined && compareVersions(release, wanted) > 0;
    });
  if (newer.length === 0) return undefined;
  const names = newer.map(([name]) => name).join(" ");
  const highest = newer.map(([, v]) => v.replace(/-.*$/, "")).sort((a, b) => compareVersions(parseKubernetesVersion(b)!, parseKubernetesVersion(a)!))[0];
  return (
    `${newer.map(([name, v]) => `${name} ${v}`).join(", ")} already installed, newer than kubernetesVersion ${formatVersion(wanted)}: ` +
    `set kubernetesVersion to ${highest}, or remove them from the host (apt-mark unhold ${names}; apt-get purge ${names})`
  );
}
