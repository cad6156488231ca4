import type { ContainerdInputs, PackagesInputs } from "../worker-node/inputs";

/**
 * One idempotent host step: `check` exits 0 when the host is already as wanted, `apply` makes it
 * so. The runner runs check, then apply only if needed, then check again to prove it worked.
 */
export interface HostStep {
  readonly name: string;
  readonly check: string;
  readonly apply: string;
}

export interface PreparePlan {
  /** "1.36.3" (no v). */
  readonly kubernetesVersion: string;
  readonly containerd: ContainerdInputs;
  readonly packages: PackagesInputs;
}

const kernelModules = ["overlay", "br_netfilter"];
/** A test that passes when the module's feature is present, loaded or built in. */
const moduleProvides: Record<string, string> = {
  overlay: "grep -qw overlay /proc/filesystems",
  br_netfilter: "test -e /proc/sys/net/bridge/bridge-nf-call-iptables",
};
const sysctls: Record<string, string> = {
  "net.bridge.bridge-nf-call-iptables": "1",
  "net.bridge.bridge-nf-call-ip6tables": "1",
  "net.ipv4.ip_forward": "1",
};
/** Pause image kubeadm 1.31+ expects; users override it with containerd.sandboxImage. */
export const defaultSandboxImage = "registry.k8s.io/pause:3.10";

/**
 * An install cut short (a lost connection) leaves dpkg half done, and its orphaned dpkg may still
 * hold the lock, as may unattended-upgrades: wait up to two minutes for the lock, then finish
 * whatever is pending. apt-get waits by itself (DPkg::Lock::Timeout); plain dpkg does not.
 */
const finishInterruptedDpkg = [
  "for i in $(seq 1 120); do",
  "  if out=$(dpkg --configure -a 2>&1); then break; fi",
  '  case "$out" in *lock*) sleep 1 ;; *) echo "$out" >&2; exit 1 ;; esac',
  '  [ "$i" = 120 ] && { echo "dpkg is still locked by another process after 2 minutes: $out" >&2; exit 1; }',
  "done",
].join("\n");

/** Quotes a value for a POSIX shell, whatever it holds. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A shell command that writes `content` to `path` only when it differs (so re-runs change nothing). */
function writeFileIfChanged(path: string, content: string, mode = "0644"): string {
  const tmp = `${path}.kubeadm-workers.tmp`;
  return [
    `mkdir -p "$(dirname ${shellQuote(path)})"`,
    `printf '%s' ${shellQuote(content)} > ${shellQuote(tmp)}`,
    `if cmp -s ${shellQuote(tmp)} ${shellQuote(path)}; then rm -f ${shellQuote(tmp)}; else chmod ${mode} ${shellQuote(tmp)} && mv ${shellQuote(tmp)} ${shellQuote(path)}; fi`,
  ].join("\n");
}

function fileHasContent(path: string, content: string): string {
  return `printf '%s' ${shellQuote(content)} | cmp -s - ${shellQuote(path)}`;
}

export function containerdConfig(containerd: ContainerdInputs): string {
  return [
    "# Written by kubeadm-workers; changes here are overwritten on the next pulumi up.",
    "version = 2",
    '[plugins."io.containerd.grpc.v1.cri"]',
    `  sandbox_image = ${JSON.stringify(containerd.sandboxImage ?? defaultSandboxImage)}`,
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
    '  runtime_type = "io.containerd.runc.v2"',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
    "  SystemdCgroup = true",
    '[plugins."io.containerd.grpc.v1.cri".registry]',
    '  config_path = "/etc/containerd/certs.d"',
    "",
  ].join("\n");
}

/** containerd's hosts.toml for one registry: mirrors first, the registry itself as fallback. */
export function registryHostsToml(registry: string, mirrors: readonly string[]): string {
  const upstream = registry === "docker.io" ? "https://registry-1.docker.io" : `https://${registry}`;
  return [
    `server = ${JSON.stringify(upstream)}`,
    ...mirrors.flatMap((m) => ["", `[host.${JSON.stringify(m)}]`, '  capabilities = ["pull", "resolve"]']),
    "",
  ].join("\n");
}

function aptSource(packages: PackagesInputs, minor: string): { url: string; distribution: string } {
  if (packages.aptRepository) return { url: packages.aptRepository, distribution: packages.aptDistribution ?? "./" };
  return { url: `https://pkgs.k8s.io/core:/stable:/v${minor}/deb/`, distribution: "/" };
}

export function prepareSteps(plan: PreparePlan): HostStep[] {
  const minor = plan.kubernetesVersion.split(".").slice(0, 2).join(".");
  const moduleConf = kernelModules.join("\n") + "\n";
  const sysctlConf = Object.entries(sysctls).map(([k, v]) => `${k} = ${v}`).join("\n") + "\n";
  const config = containerdConfig(plan.containerd);
  const mirrors = Object.entries(plan.containerd.registryMirrors ?? {});
  const source = aptSource(plan.packages, minor);
  const keyring = "/etc/apt/keyrings/kubeadm-workers-kubernetes.asc";
  const sourceLine = `deb [signed-by=${keyring}] ${source.url} ${source.distribution}\n`;
  const sourceFile = "/etc/apt/sources.list.d/kubeadm-workers-kubernetes.list";
  const k8sPackages = ["kubelet", "kubeadm", "kubectl"];
  const apt = "DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=120";

  return [
    {
      name: "kernel modules",
      // Checked by what each module provides, not by lsmod or /sys/module: a module built into the
      // kernel appears in neither, and that is what kubeadm's own preflight looks at too.
      check: [fileHasContent("/etc/modules-load.d/kubeadm-workers.conf", moduleConf), ...Object.values(moduleProvides)].join(" && "),
      apply: [
        writeFileIfChanged("/etc/modules-load.d/kubeadm-workers.conf", moduleConf),
        ...Object.entries(moduleProvides).map(([m, test]) => `${test} || modprobe ${m}`),
      ].join("\n"),
    },
    {
      name: "sysctl",
      check: [
        fileHasContent("/etc/sysctl.d/99-kubeadm-workers.conf", sysctlConf),
        ...Object.entries(sysctls).map(([k, v]) => `[ "$(cat /proc/sys/${k.replace(/\./g, "/")})" = ${v} ]`),
      ].join(" && "),
      apply: [
        writeFileIfChanged("/etc/sysctl.d/99-kubeadm-workers.conf", sysctlConf),
        ...Object.entries(sysctls).map(([k, v]) => `echo ${v} > /proc/sys/${k.replace(/\./g, "/")}`),
      ].join("\n"),
    },
    {
      name: "swap off",
      check: `[ "$(tail -n +2 /proc/swaps | wc -l)" = 0 ] && ! grep -Eq '^[^#]\\S*\\s+\\S+\\s+swap\\s' /etc/fstab`,
      apply: `swapoff -a\nsed -i -E 's|^([^#]\\S*\\s+\\S+\\s+swap\\s.*)$|# disabled by kubeadm-workers: \\1|' /etc/fstab`,
    },
    {
      name: "containerd",
      check: [
        "dpkg-query -W -f='${Status}' containerd 2>/dev/null | grep -q 'install ok installed'",
        fileHasContent("/etc/containerd/config.toml", config),
        ...mirrors.map(([registry, endpoints]) => fileHasContent(`/etc/containerd/certs.d/${registry}/hosts.toml`, registryHostsToml(registry, endpoints))),
        "systemctl is-active --quiet containerd",
        "systemctl is-enabled --quiet containerd",
      ].join(" && "),
      apply: [
        "set -e",
        finishInterruptedDpkg,
        `dpkg-query -W -f='\${Status}' containerd 2>/dev/null | grep -q 'install ok installed' || { ${apt} update -q && ${apt} install -y -q containerd; }`,
        "before=$(cat /etc/containerd/config.toml /etc/containerd/certs.d/*/hosts.toml 2>/dev/null | sha256sum)",
        writeFileIfChanged("/etc/containerd/config.toml", config),
        ...mirrors.map(([registry, endpoints]) => writeFileIfChanged(`/etc/containerd/certs.d/${registry}/hosts.toml`, registryHostsToml(registry, endpoints))),
        "after=$(cat /etc/containerd/config.toml /etc/containerd/certs.d/*/hosts.toml 2>/dev/null | sha256sum)",
        "systemctl enable containerd",
        '[ "$before" = "$after" ] && systemctl is-active --quiet containerd || systemctl restart containerd',
        // The runner's second check needs the socket up; containerd takes a moment after start.
        "for i in $(seq 1 30); do test -S /run/containerd/containerd.sock && break; sleep 1; done",
      ].join("\n"),
    },
    {
      name: `kubelet, kubeadm, kubectl ${plan.kubernetesVersion}`,
      check: [
        ...k8sPackages.map((p) => `dpkg-query -W -f='\${Version}' ${p} 2>/dev/null | grep -q '^${plan.kubernetesVersion.replace(/\./g, "\\.")}-'`),
        `[ "$(apt-mark showhold ${k8sPackages.join(" ")} | sort | tr '\\n' ' ')" = ${shellQuote([...k8sPackages].sort().join(" ") + " ")} ]`,
      ].join(" && "),
      apply: [
        "set -e",
        // A host may already list this repository (pkgs.k8s.io's install guide writes kubernetes.list);
        // apt refuses one repository with two Signed-By keys, so an existing entry is used as it is.
        `existing=$(grep -rlsF -- ${shellQuote(source.url)} /etc/apt/sources.list /etc/apt/sources.list.d/ | grep -vxF ${sourceFile} | head -n1 || true)`,
        'if [ -n "$existing" ]; then',
        `  rm -f ${sourceFile}; source_file=$existing; echo "using the existing apt source $existing for ${source.url}"`,
        "else",
        plan.packages.aptKey
          ? writeFileIfChanged(keyring, plan.packages.aptKey)
          : `test -s ${keyring} || { mkdir -p /etc/apt/keyrings && curl -fsSL ${shellQuote(`${source.url}Release.key`)} -o ${keyring}; }`,
        writeFileIfChanged(sourceFile, sourceLine),
        `  source_file=${sourceFile}`,
        "fi",
        // Only that source is refreshed: faster, and another broken source on the host cannot fail us.
        'case "$source_file" in *.sources) parts="-o Dir::Etc::sourceparts=$(dirname "$source_file") -o Dir::Etc::sourcelist=/dev/null";; *) parts="-o Dir::Etc::sourcelist=$source_file -o Dir::Etc::sourceparts=-";; esac',
        `${apt} update -q $parts -o APT::Get::List-Cleanup=0`,
        finishInterruptedDpkg,
        `${apt} install -y -q --allow-change-held-packages ${k8sPackages.map((p) => `${p}=${plan.kubernetesVersion}-*`).join(" ")}`,
        `apt-mark hold ${k8sPackages.join(" ")}`,
      ].join("\n"),
    },
  ];
}
