// Kubernetes versions as the provider reasons about them: normalized, compared, and checked against
// kubeadm's upgrade rules and the version skew policy (kubernetes.io/releases/version-skew-policy).
// Pure: the control plane's version is passed in by whoever read it.

export interface KubernetesVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/**
 * The oldest release whose kubeadm reads the v1beta4 JoinConfiguration we write (v1beta4 came with
 * kubeadm 1.31; older kubeadm refuses the file).
 */
export const oldestSupportedVersion: KubernetesVersion = { major: 1, minor: 31, patch: 0 };

/** How many minors a kubelet may trail kube-apiserver (the skew policy, kubelet >= 1.25). */
export const maxKubeletMinorsBehind = 3;

const releasePattern = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** "1.36.3" or "v1.36.3" → its parts; undefined for anything else (pre-releases included). */
export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const match = releasePattern.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/**
 * What the API server reports (`v1.36.3`, `v1.36.3+k3s1`, `v1.37.0-rc.1`) → its release, build
 * and pre-release suffixes dropped.
 */
export function parseServerVersion(gitVersion: string): KubernetesVersion | undefined {
  return parseKubernetesVersion(gitVersion.trim().replace(/[-+].*$/, ""));
}

export function formatVersion(version: KubernetesVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}

/** `v1.36.3` and `1.36.3` are the same release: both become "1.36.3". Unparseable text is returned trimmed. */
export function normalizeVersion(text: string): string {
  const parsed = parseKubernetesVersion(text);
  return parsed ? formatVersion(parsed) : text.trim();
}

export function compareVersions(a: KubernetesVersion, b: KubernetesVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Minors from `from` to `to` (negative when `to` is older); majors count as far apart. */
function minorDistance(from: KubernetesVersion, to: KubernetesVersion): number {
  return from.major === to.major ? to.minor - from.minor : (to.major - from.major) * 1000;
}

/** Refuses a version kubeadm's v1beta4 JoinConfiguration cannot join. */
export function versionFloorProblem(version: KubernetesVersion): string | undefined {
  if (compareVersions(version, oldestSupportedVersion) >= 0) return undefined;
  return (
    `${formatVersion(version)} is older than ${formatVersion(oldestSupportedVersion)}, the oldest release whose kubeadm reads ` +
    "the v1beta4 JoinConfiguration this provider writes; use 1.31 or newer"
  );
}

/**
 * Refuses an in-place change kubeadm does not support on a node: a downgrade, or a skip of more than
 * one minor (kubeadm upgrades one minor at a time). `from` is what the node runs.
 */
export function versionChangeProblem(from: KubernetesVersion, to: KubernetesVersion): string | undefined {
  const order = compareVersions(to, from);
  if (order === 0) return undefined;
  if (order < 0) {
    return (
      `${formatVersion(to)} is older than ${formatVersion(from)}, which the node runs: a node is never downgraded in place. ` +
      `Set kubernetesVersion back to ${formatVersion(from)} (or remove it), or replace the node (remove its entry, then add it back) to join it at ${formatVersion(to)}`
    );
  }
  const minors = minorDistance(from, to);
  if (minors > 1) {
    return (
      `${formatVersion(from)} → ${formatVersion(to)} skips ${minors - 1} minor release(s): kubeadm upgrades one minor at a time. ` +
      `Upgrade to ${from.major}.${from.minor + 1}.x first, then to ${formatVersion(to)}`
    );
  }
  return undefined;
}

/**
 * The skew policy for a kubelet against kube-apiserver: never newer, at most three minors older.
 * `apiServer` is what the control plane reports.
 */
export function skewProblem(kubelet: KubernetesVersion, apiServer: KubernetesVersion): string | undefined {
  if (compareVersions(kubelet, apiServer) > 0) {
    return (
      `${formatVersion(kubelet)} is newer than the control plane (kube-apiserver ${formatVersion(apiServer)}): a kubelet must not be newer than kube-apiserver. ` +
      `Upgrade the control plane first (kubeadm upgrade apply), or use ${formatVersion(apiServer)}`
    );
  }
  const behind = minorDistance(kubelet, apiServer);
  if (behind > maxKubeletMinorsBehind) {
    return (
      `${formatVersion(kubelet)} is ${behind} minors older than the control plane (kube-apiserver ${formatVersion(apiServer)}): ` +
      `a kubelet may be at most ${maxKubeletMinorsBehind} minors older. Use ${apiServer.major}.${Math.max(apiServer.minor - maxKubeletMinorsBehind, 0)} or newer`
    );
  }
  return undefined;
}
