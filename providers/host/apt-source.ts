// Our apt source of kubelet/kubeadm/kubectl (shell-files.ts writes every apt source of ours, a unit
// test holds join and upgrade to the same source line): where it points, and a step that converges
// it when the repository, distribution or key changes (an update) or the minor changes (an upgrade).
import type { PackagesInputs } from "../worker-node/inputs";
import type { HostStep } from "./prepare-steps";
import { aptSourceFiles, aptSourceLineOf, aptSourceStepOf, aptUpdateOf, type AptSource } from "./shell-files";

const kubernetesSourceName = "kubeadm-workers-kubernetes";
export const { keyring: aptKeyring, keyOrigin: aptKeyringOrigin, sourceFile: aptSourceFile } = aptSourceFiles(kubernetesSourceName);
export { aptGet as apt } from "./shell-files";

/**
 * The repository of the version: given (an air-gapped mirror) with its given key, else pkgs.k8s.io's
 * repository of its minor, whose Release.key is fetched over HTTPS.
 */
export function kubernetesAptSource(packages: PackagesInputs, kubernetesVersion: string): AptSource {
  const minor = kubernetesVersion.split(".").slice(0, 2).join(".");
  const url = packages.aptRepository ?? `https://pkgs.k8s.io/core:/stable:/v${minor}/deb/`;
  return {
    url,
    distribution: packages.aptRepository ? (packages.aptDistribution ?? "./") : "/",
    ...(packages.aptKey ? { key: packages.aptKey } : { keyUrl: `${url}Release.key` }),
    name: kubernetesSourceName,
  };
}

export function aptSourceLine(packages: PackagesInputs, kubernetesVersion: string): string {
  return aptSourceLineOf(kubernetesAptSource(packages, kubernetesVersion));
}

/** Refreshes the package lists of the repository's source only (as the join does). */
export function aptUpdateSource(packages: PackagesInputs, kubernetesVersion: string): string {
  return aptUpdateOf(kubernetesAptSource(packages, kubernetesVersion));
}

/**
 * Our source file and key point at the repository of `packages` and `kubernetesVersion`: a changed
 * repository, distribution or key is written (a given key replaces the old one; without one, the
 * new repository's Release.key is fetched, whatever key an earlier repository left), and the lists
 * are refreshed so a wrong mirror or key fails here. A host whose own source lists the repository
 * keeps it, and ours goes, as at join.
 */
export function aptSourceStep(packages: PackagesInputs, kubernetesVersion: string): HostStep {
  return aptSourceStepOf(kubernetesAptSource(packages, kubernetesVersion));
}
