// Our apt source of kubelet/kubeadm/kubectl, with the paths and options of prepare-steps.ts (a unit
// test holds the two to the same source line): where it points, and a step that converges it when
// the repository, distribution or key changes (an update) or the minor changes (an upgrade).
import type { PackagesInputs } from "../worker-node/inputs";
import { shellQuote, type HostStep } from "./prepare-steps";

export const aptKeyring = "/etc/apt/keyrings/kubeadm-workers-kubernetes.asc";
/** Beside the keyring: the URL a fetched key came from, so a changed repository fetches its own key. */
export const aptKeyringOrigin = `${aptKeyring}.origin`;
export const aptSourceFile = "/etc/apt/sources.list.d/kubeadm-workers-kubernetes.list";
export const apt = "DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=120";

/** The repository of the version: given (an air-gapped mirror), else pkgs.k8s.io's repository of its minor. */
export function aptSourceOf(packages: PackagesInputs, kubernetesVersion: string): { url: string; distribution: string } {
  const minor = kubernetesVersion.split(".").slice(0, 2).join(".");
  if (packages.aptRepository) return { url: packages.aptRepository, distribution: packages.aptDistribution ?? "./" };
  return { url: `https://pkgs.k8s.io/core:/stable:/v${minor}/deb/`, distribution: "/" };
}

export function aptSourceLine(packages: PackagesInputs, kubernetesVersion: string): string {
  const source = aptSourceOf(packages, kubernetesVersion);
  return `deb [signed-by=${aptKeyring}] ${source.url} ${source.distribution}\n`;
}

function fileIs(path: string, content: string): string {
  return `printf '%s' ${shellQuote(content)} | cmp -s - ${path}`;
}

/** A host source file other than ours that lists the repository (pkgs.k8s.io's guide writes kubernetes.list). */
function foreignSource(url: string): string {
  return `grep -rlsF -- ${shellQuote(url)} /etc/apt/sources.list /etc/apt/sources.list.d/ | grep -vxF ${aptSourceFile} | head -n1`;
}

/** Refreshes the package lists of the repository's source only (as prepare-steps does). */
export function aptUpdateSource(packages: PackagesInputs, kubernetesVersion: string): string {
  const { url } = aptSourceOf(packages, kubernetesVersion);
  return [
    `source_file=$(${foreignSource(url)} || true)`,
    `[ -n "$source_file" ] || source_file=${aptSourceFile}`,
    'case "$source_file" in *.sources) parts="-o Dir::Etc::sourceparts=$(dirname "$source_file") -o Dir::Etc::sourcelist=/dev/null";; *) parts="-o Dir::Etc::sourcelist=$source_file -o Dir::Etc::sourceparts=-";; esac',
    `${apt} update -q $parts -o APT::Get::List-Cleanup=0`,
  ].join("\n");
}

/**
 * Our source file and key point at the repository of `packages` and `kubernetesVersion`: a changed
 * repository, distribution or key is written (a given key replaces the old one; without one, the
 * new repository's Release.key is fetched, whatever key an earlier repository left), and the lists
 * are refreshed so a wrong mirror or key fails here. A host whose own source lists the repository
 * keeps it, and ours goes, as at join.
 */
export function aptSourceStep(packages: PackagesInputs, kubernetesVersion: string): HostStep {
  const { url } = aptSourceOf(packages, kubernetesVersion);
  const line = aptSourceLine(packages, kubernetesVersion);
  const keyReady = packages.aptKey ? fileIs(aptKeyring, packages.aptKey) : `test -s ${aptKeyring} && ${fileIs(aptKeyringOrigin, url)}`;
  return {
    name: `apt source ${url}`,
    check: `if [ -n "$(${foreignSource(url)})" ]; then ! test -e ${aptSourceFile}; else ${fileIs(aptSourceFile, line)} && ${keyReady}; fi`,
    apply: [
      "set -e",
      `if [ -n "$(${foreignSource(url)})" ]; then`,
      `  rm -f ${aptSourceFile}`,
      "else",
      "  mkdir -p /etc/apt/keyrings",
      packages.aptKey
        ? `  printf '%s' ${shellQuote(packages.aptKey)} > ${aptKeyring}.tmp && mv ${aptKeyring}.tmp ${aptKeyring} && rm -f ${aptKeyringOrigin}`
        : `  curl -fsSL ${shellQuote(`${url}Release.key`)} -o ${aptKeyring}.tmp && mv ${aptKeyring}.tmp ${aptKeyring} && printf '%s' ${shellQuote(url)} > ${aptKeyringOrigin}`,
      `  printf '%s' ${shellQuote(line)} > ${aptSourceFile}.tmp && mv ${aptSourceFile}.tmp ${aptSourceFile}`,
      "fi",
      aptUpdateSource(packages, kubernetesVersion),
    ].join("\n"),
  };
}
