// Which Kubernetes resource plugin the stack's @pulumi/kubernetes resources ask the engine for (stack
// config `kubernetesPluginVersion`). The engine runs a resource plugin only at the exact version asked
// for. Unset, it is the release of the @pulumi/kubernetes SDK installed beside the program: what the
// SDK itself would ask for, and what a CI runner or a laptop installs with `pulumi plugin install
// resource kubernetes <version>` (.github/workflows/pulumi.yml does). The lab's stacks set the build
// its toolchain makes from Go modules, a pre-release no registry serves (.lab/cluster.json publishes
// its label). Pure, and free of the SDK itself (reading its package.json does not load it).

// Semantic Versioning 2.0.0, as the engine parses plugin versions: no leading "v", no ranges.
const semver =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

/** The version of the @pulumi/kubernetes package installed beside the program, read as the SDK reads its own. */
export function installedKubernetesSdkVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file, resolved where the program runs
  const { version } = require("@pulumi/kubernetes/package.json") as { version: string };
  return version.replace(/^v/, "");
}

/** The plugin version the stack's Kubernetes provider names: the configured one, else the installed SDK's release. */
export function kubernetesPluginVersion(configured: string | undefined, installedSdkVersion: string): string {
  return configured ?? installedSdkVersion;
}

/** What is wrong with the `kubernetesPluginVersion` config value; nothing when it is unset. */
export function kubernetesPluginVersionProblems(value: unknown, namespace = "kubeadm-workers"): string[] {
  if (value === undefined || (typeof value === "string" && semver.test(value))) return [];
  return [
    `${namespace}:kubernetesPluginVersion must be a plugin version such as 4.25.0 (semver, no leading "v"), got ${JSON.stringify(value)}: ` +
      "the exact version of the Kubernetes resource plugin installed where pulumi runs (`pulumi plugin ls`); unset, the stack asks for the release of the installed @pulumi/kubernetes",
  ];
}
