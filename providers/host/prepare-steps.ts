import type { ContainerdInputs, PackagesInputs } from "../worker-node/inputs";
import { containerdPackageStep, type HostOs } from "./containerd";
import { kubernetesAptSource } from "./apt-source";
import { aptGet, aptSourceSetup, finishInterruptedDpkg, fileHasContent, shellQuote, writeFileIfChanged } from "./shell-files";

export { shellQuote } from "./shell-files";

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
  /** The host's distribution, for the default containerd source. */
  readonly os: HostOs;
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
/**
 * The host steps up to a runtime and the Kubernetes packages. containerd's configuration comes
 * after them (containerdConfigStep): its default sandbox image is what the installed kubeadm names.
 */
export function prepareSteps(plan: PreparePlan): HostStep[] {
  const moduleConf = kernelModules.join("\n") + "\n";
  const sysctlConf = Object.entries(sysctls).map(([k, v]) => `${k} = ${v}`).join("\n") + "\n";
  const k8sPackages = ["kubelet", "kubeadm", "kubectl"];

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
    containerdPackageStep(plan),
    {
      name: `kubelet, kubeadm, kubectl ${plan.kubernetesVersion}`,
      check: [
        ...k8sPackages.map((p) => `dpkg-query -W -f='\${Version}' ${p} 2>/dev/null | grep -q '^${plan.kubernetesVersion.replace(/\./g, "\\.")}-'`),
        `[ "$(apt-mark showhold ${k8sPackages.join(" ")} | sort | tr '\\n' ' ')" = ${shellQuote([...k8sPackages].sort().join(" ") + " ")} ]`,
      ].join(" && "),
      apply: [
        "set -e",
        aptSourceSetup(kubernetesAptSource(plan.packages, plan.kubernetesVersion)),
        finishInterruptedDpkg,
        `${aptGet} install -y -q --allow-change-held-packages ${k8sPackages.map((p) => `${p}=${plan.kubernetesVersion}-*`).join(" ")}`,
        `apt-mark hold ${k8sPackages.join(" ")}`,
      ].join("\n"),
    },
  ];
}
