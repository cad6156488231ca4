// The host side of kubeadm's worker upgrade ("Upgrading Linux nodes" on kubernetes.io), as pure
// renderers: the caller has already drained the node. The apt source and package pinning follow
// prepare-steps.ts (apt-source.ts).
import type { PackagesInputs } from "../worker-node/inputs";
import { apt, aptSourceStep, aptUpdateSource } from "./apt-source";
import { shellQuote, type HostStep } from "./prepare-steps";

export interface UpgradePlan {
  /** "1.36.3" (no v): the version the node is upgraded to. */
  readonly kubernetesVersion: string;
  readonly packages: PackagesInputs;
  /** kubeadm preflight checks to skip by name, as at join. */
  readonly ignorePreflightErrors?: readonly string[];
}

/** Written after `kubeadm upgrade node` succeeded, so a re-run knows that step is done. kubeadm reset removes it with /var/lib/kubelet. */
export const upgradeNodeMarker = "/var/lib/kubelet/kubeadm-workers-upgraded-node";

function versionIs(pkg: string, version: string): string {
  return `dpkg-query -W -f='\${Version}' ${pkg} 2>/dev/null | grep -q '^${version.replace(/\./g, "\\.")}-'`;
}

function held(packages: readonly string[]): string {
  return packages.map((p) => `apt-mark showhold ${p} | grep -qx ${p}`).join(" && ");
}

/** unhold, install the exact version, hold again (never a downgrade: apt-get -y refuses one without --allow-downgrades). */
function installHeld(packages: readonly string[], version: string): string {
  return [
    `apt-mark unhold ${packages.join(" ")}`,
    `${apt} install -y -q ${packages.map((p) => `${p}=${version}-*`).join(" ")}`,
    `apt-mark hold ${packages.join(" ")}`,
  ].join("\n");
}

/**
 * The host steps of the upgrade, in kubeadm's order: kubeadm first, `kubeadm upgrade node` (which
 * fetches the kubelet configuration of the new version), then kubelet and kubectl. Each is
 * check/apply, so a re-run after a failure resumes at the step that failed.
 */
export function upgradeSteps(plan: UpgradePlan): HostStep[] {
  const version = plan.kubernetesVersion;
  const skip = plan.ignorePreflightErrors?.length ? ` --ignore-preflight-errors=${plan.ignorePreflightErrors.join(",")}` : "";
  return [
    aptSourceStep(plan.packages, version),
    {
      name: `kubeadm ${version}`,
      check: [versionIs("kubeadm", version), held(["kubeadm"])].join(" && "),
      apply: ["set -e", aptUpdateSource(plan.packages, version), installHeld(["kubeadm"], version)].join("\n"),
    },
    {
      name: `kubeadm upgrade node (${version})`,
      check: `[ "$(cat ${upgradeNodeMarker} 2>/dev/null)" = ${shellQuote(version)} ]`,
      apply: ["set -e", `kubeadm upgrade node --v=1${skip}`, `printf '%s' ${shellQuote(version)} > ${upgradeNodeMarker}`].join("\n"),
    },
    {
      name: `kubelet, kubectl ${version}`,
      check: [versionIs("kubelet", version), versionIs("kubectl", version), held(["kubelet", "kubectl"])].join(" && "),
      apply: ["set -e", aptUpdateSource(plan.packages, version), installHeld(["kubelet", "kubectl"], version)].join("\n"),
    },
  ];
}

/** Restarts the kubelet on the new binary and configuration (kubeadm's last host step). Harmless to repeat. */
export const restartKubeletScript = ["set -e", "systemctl daemon-reload", "systemctl restart kubelet"].join("\n");
