import type { ContainerdInputs } from "../worker-node/inputs";
import type { HostStep } from "./prepare-steps";
import { aptGet, aptSourceSetup, fileHasContent, finishInterruptedDpkg, shellQuote, writeFileIfChanged, type AptSource } from "./shell-files";

export type CgroupDriver = "systemd" | "cgroupfs";

/** Kubernetes 1.35 was the last release to support containerd 1.x. */
export const firstMinorNeedingContainerd2 = 36;
export const defaultContainerdPackage = "containerd.io";
export const containerdConfigPath = "/etc/containerd/config.toml";
/** Where containerd.configDropIn goes; config.toml imports every *.toml of its directory. */
export const containerdDropInPath = "/etc/containerd/conf.d/kubeadm-workers.toml";
const dropInGlob = "/etc/containerd/conf.d/*.toml";
/** The hash of the configuration containerd was last restarted with (a running containerd keeps its old config). */
const appliedStamp = "/var/lib/kubeadm-workers/containerd-config.sha256";
export const containerdAptSourceName = "kubeadm-workers-containerd";

export function needsContainerd2(kubernetesVersion: string): boolean {
  const minor = Number(kubernetesVersion.replace(/^v/, "").split(".")[1]);
  return minor >= firstMinorNeedingContainerd2;
}

/** Major and minor of a Debian package version ("1:2.1.4-1", "1.6.20~ds1-1+b1"); undefined when it has none. */
export function debianVersionMajorMinor(version: string): { major: number; minor: number } | undefined {
  const match = /^(?:\d+:)?(\d+)\.(\d+)/.exec(version.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

export interface HostOs {
  /** "debian" or "ubuntu": the family Docker's repository is laid out by. */
  readonly family: "debian" | "ubuntu";
  /** VERSION_CODENAME (UBUNTU_CODENAME on Ubuntu derivatives), e.g. "bookworm". */
  readonly codename: string;
}

/** `. /etc/os-release` facts as key=value lines, for hostOsFrom. */
export const hostOsScript = `. /etc/os-release 2>/dev/null; echo "os_id=\${ID:-}"; echo "os_like=\${ID_LIKE:-}"; echo "os_codename=\${VERSION_CODENAME:-}"; echo "os_ubuntu_codename=\${UBUNTU_CODENAME:-}"`;

export function hostOsFrom(facts: Readonly<Record<string, string>>): HostOs {
  const family = ` ${facts.os_id ?? ""} ${facts.os_like ?? ""} `.includes(" ubuntu ") ? "ubuntu" : "debian";
  const codename = (family === "ubuntu" ? facts.os_ubuntu_codename || facts.os_codename : facts.os_codename) ?? "";
  return { family, codename };
}

/**
 * Where containerd 2 comes from: the given repository with its given key, else Docker's for the
 * host's distribution (what Kubernetes' container-runtime page sends Debian and Ubuntu users to),
 * its key fetched over HTTPS.
 */
export function containerdAptSource(containerd: ContainerdInputs, os: HostOs): AptSource {
  if (containerd.aptRepository) {
    // validate.ts refuses a repository without its key at preview: a mirror's key is never fetched
    // from the mirror itself (often plain HTTP), so without one there is nothing to trust it by.
    if (!containerd.aptKey) throw new Error("containerd.aptKey is required with containerd.aptRepository: give the repository's ASCII-armored public key");
    return {
      url: containerd.aptRepository.endsWith("/") ? containerd.aptRepository : `${containerd.aptRepository}/`,
      distribution: containerd.aptDistribution ?? "./",
      key: containerd.aptKey,
      name: containerdAptSourceName,
    };
  }
  if (!os.codename) throw new Error("the host's /etc/os-release names no VERSION_CODENAME, needed for Docker's apt repository: set containerd.aptRepository and containerd.aptDistribution");
  const url = `https://download.docker.com/linux/${os.family}/`;
  return { url, distribution: containerd.aptDistribution ?? `${os.codename} stable`, keyUrl: `${url}gpg`, name: containerdAptSourceName };
}

/** Shell functions: which containerd package is installed (name and version), and its major version. */
function installedContainerdFunctions(wanted: string): string {
  const candidates = [...new Set([wanted, "containerd.io", "containerd"])].map(shellQuote).join(" ");
  return [
    // Installed, or left unpacked/half-configured by a failed install: either way it is the host's containerd.
    `kw_installed() { for p in ${candidates}; do case "$(dpkg-query -W -f='\${Status}' "$p" 2>/dev/null)" in ""|*not-installed|*config-files) ;; *) echo "$p $(dpkg-query -W -f='\${Version}' "$p")"; return 0 ;; esac; done; return 1; }`,
    `kw_major() { printf '%s' "$1" | sed -E 's/^[0-9]+://; s/[^0-9].*//'; }`,
  ].join("\n");
}

export interface ContainerdPackagePlan {
  readonly kubernetesVersion: string;
  readonly containerd: ContainerdInputs;
  readonly os: HostOs;
}

/**
 * Installs the container runtime. Kubernetes >= 1.36: containerd >= 2.0 (`containerd.package` from
 * `containerd.aptRepository`, by default containerd.io from Docker's repository); an installed
 * containerd 1.x is replaced only with `containerd.upgrade: true`, else the step fails naming it.
 * Older Kubernetes keeps Debian's `containerd` (1.6/1.7 support those releases): no runtime is
 * swapped under the pods of an existing node.
 */
export function containerdPackageStep(plan: ContainerdPackagePlan): HostStep {
  const wanted = plan.containerd.package ?? defaultContainerdPackage;
  if (!needsContainerd2(plan.kubernetesVersion)) {
    const installed = "dpkg-query -W -f='${Status}' containerd 2>/dev/null | grep -q 'install ok installed' || dpkg-query -W -f='${Status}' containerd.io 2>/dev/null | grep -q 'install ok installed'";
    return {
      name: "container runtime (containerd)",
      check: installed,
      apply: ["set -e", finishInterruptedDpkg, `${installed} || { ${aptGet} update -q && ${aptGet} install -y -q containerd; }`].join("\n"),
    };
  }
  const source = containerdAptSource(plan.containerd, plan.os);
  const minor = plan.kubernetesVersion.replace(/^v/, "").split(".").slice(0, 2).join(".");
  const major = 'major=$(kw_major "${installed#* }")';
  return {
    name: `container runtime (containerd >= 2.0, ${wanted})`,
    check: [
      installedContainerdFunctions(wanted),
      "installed=$(kw_installed) || exit 1",
      major,
      // containerd >= 2, and fully installed (not left half-configured by a failed install)
      `[ -n "$major" ] && [ "$major" -ge 2 ] && dpkg-query -W -f='\${Status}' "\${installed%% *}" | grep -q 'install ok installed'`,
    ].join("\n"),
    apply: [
      "set -e",
      finishInterruptedDpkg,
      installedContainerdFunctions(wanted),
      "remove=",
      'if installed=$(kw_installed); then',
      `  ${major}`,
      '  if [ "${major:-0}" -lt 2 ]; then',
      plan.containerd.upgrade
        ? `    [ "\${installed%% *}" = ${shellQuote(wanted)} ] || remove="\${installed%% *}-"; echo "replacing containerd \${installed#* } (package \${installed%% *}) with "${shellQuote(wanted)}" (containerd.upgrade)"`
        : `    echo "containerd \${installed#* } (package \${installed%% *}) is installed, but Kubernetes ${minor} needs containerd 2.0 or newer: set containerd.upgrade: true to replace it with "${shellQuote(wanted)}" in place (containerd restarts), or remove it from the host" >&2; exit 1`,
      "  fi",
      "fi",
      aptSourceSetup(source),
      finishInterruptedDpkg,
      // `<package>-` removes it in the same transaction, so the host is never without a runtime package.
      `${aptGet} install -y -q ${shellQuote(wanted)} $remove`,
      "installed=$(kw_installed)",
      major,
      // User text (the package, the URL) stands single-quoted between the message's double-quoted parts: printed, never expanded.
      `[ "\${major:-0}" -ge 2 ] || { echo ${shellQuote(wanted)}" \${installed#* } from "${shellQuote(source.url)}" is older than 2.0, which Kubernetes ${minor} needs: point containerd.aptRepository at a repository with containerd 2" >&2; exit 1; }`,
    ].join("\n"),
  };
}

export interface ContainerdConfigSettings {
  readonly sandboxImage: string;
  readonly cgroupDriver: CgroupDriver;
}

const header = [
  "# Written by kubeadm-workers; changes here are overwritten on the next pulumi up.",
  `# Add settings through containerd.configDropIn (${containerdDropInPath}), imported below.`,
];

/** containerd 2 (config version 3): the CRI plugin is split into images and runtime plugins. */
export function containerdConfigV3(settings: ContainerdConfigSettings): string {
  return [
    ...header,
    "version = 3",
    `imports = [${JSON.stringify(dropInGlob)}]`,
    "",
    "[plugins.'io.containerd.cri.v1.images'.pinned_images]",
    `  sandbox = ${JSON.stringify(settings.sandboxImage)}`,
    "[plugins.'io.containerd.cri.v1.images'.registry]",
    '  config_path = "/etc/containerd/certs.d"',
    "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]",
    '  runtime_type = "io.containerd.runc.v2"',
    "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]",
    `  SystemdCgroup = ${settings.cgroupDriver === "systemd"}`,
    "",
  ].join("\n");
}

/** containerd 1.x (config version 2), for Kubernetes < 1.36. */
export function containerdConfigV2(settings: ContainerdConfigSettings): string {
  return [
    ...header,
    "version = 2",
    `imports = [${JSON.stringify(dropInGlob)}]`,
    "",
    '[plugins."io.containerd.grpc.v1.cri"]',
    `  sandbox_image = ${JSON.stringify(settings.sandboxImage)}`,
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
    '  runtime_type = "io.containerd.runc.v2"',
    '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
    `  SystemdCgroup = ${settings.cgroupDriver === "systemd"}`,
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

export interface ContainerdConfigPlan extends ContainerdConfigSettings {
  readonly kubernetesVersion: string;
  readonly containerd: ContainerdInputs;
}

/**
 * config.toml, the drop-in and the certs.d mirrors; containerd restarted whenever the configuration
 * differs from the one it was last restarted with (a running containerd keeps its old config, and
 * runc then fails with cgroup paths of the other driver).
 */
export function containerdConfigStep(plan: ContainerdConfigPlan): HostStep {
  const config = (needsContainerd2(plan.kubernetesVersion) ? containerdConfigV3 : containerdConfigV2)(plan);
  const dropIn = plan.containerd.configDropIn;
  const mirrors = Object.entries(plan.containerd.registryMirrors ?? {});
  const configHash = `cat ${containerdConfigPath} ${dropInGlob} 2>/dev/null | sha256sum | cut -d' ' -f1`;
  return {
    name: `containerd configuration (${plan.cgroupDriver} cgroups, sandbox ${plan.sandboxImage}${dropIn ? ", drop-in" : ""})`,
    check: [
      fileHasContent(containerdConfigPath, config),
      dropIn !== undefined ? fileHasContent(containerdDropInPath, dropIn) : `! test -e ${containerdDropInPath}`,
      ...mirrors.map(([registry, endpoints]) => fileHasContent(`/etc/containerd/certs.d/${registry}/hosts.toml`, registryHostsToml(registry, endpoints))),
      "systemctl is-active --quiet containerd",
      "systemctl is-enabled --quiet containerd",
      `[ "$(${configHash})" = "$(cat ${appliedStamp} 2>/dev/null)" ]`,
    ].join(" && "),
    apply: [
      "set -e",
      // What containerd runs with is unknown after a package (re)install started it with the
      // package's own config.toml: any file this step rewrites restarts it, whatever the stamp says.
      `before=$(${configHash})`,
      writeFileIfChanged(containerdConfigPath, config),
      dropIn !== undefined ? writeFileIfChanged(containerdDropInPath, dropIn) : `rm -f ${containerdDropInPath}`,
      ...mirrors.map(([registry, endpoints]) => writeFileIfChanged(`/etc/containerd/certs.d/${registry}/hosts.toml`, registryHostsToml(registry, endpoints))),
      "systemctl enable containerd",
      `after=$(${configHash})`,
      `if [ "$before" != "$after" ] || [ "$after" != "$(cat ${appliedStamp} 2>/dev/null)" ] || ! systemctl is-active --quiet containerd; then systemctl restart containerd; fi`,
      // The next steps (and kubeadm's CRI preflight) need containerd answering with the new config.
      "for i in $(seq 1 30); do ctr version >/dev/null 2>&1 && break; sleep 1; done",
      'ctr version >/dev/null || { echo "containerd does not answer on /run/containerd/containerd.sock 30 s after its restart; its log says why (journalctl -u containerd)" >&2; exit 1; }',
      `mkdir -p "$(dirname ${appliedStamp})" && echo "$after" > ${appliedStamp}`,
    ].join("\n"),
  };
}

/** The command that prints the images the version's kubeadm uses, the pause image among them. */
export function kubeadmImagesCommand(kubernetesVersion: string, imageRepository?: string): string {
  return `kubeadm config images list --kubernetes-version ${shellQuote(`v${kubernetesVersion.replace(/^v/, "")}`)}${imageRepository ? ` --image-repository ${shellQuote(imageRepository)}` : ""}`;
}

/** The pause image in `kubeadm config images list` output. */
export function pauseImageFrom(output: string): string | undefined {
  return output
    .split("\n")
    .map((l) => l.trim())
    .find((l) => /^\S+\/pause:[\w.-]+$/.test(l));
}
