import * as fs from "node:fs";
import * as path from "node:path";
import { installedKubernetesSdkVersion, kubernetesPluginVersion } from "../../../stacks/kubernetes-plugin-version";
import { stackProblems, type StackSettings } from "../../../stacks/stack-problems";
import { repoRoot } from "../../support/process";

// Which Kubernetes resource plugin the stack's @pulumi/kubernetes resources ask the engine for. The
// engine runs a plugin only at the exact version asked for, so a stack on a user's machine or a CI
// runner must ask for a release a registry serves, and a lab stack for the build the lab installs.
const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(repoRoot, file), "utf8")) as Record<string, unknown>;
const lockedSdk = (): string => ((readJson("package-lock.json").packages as Record<string, { version: string }>)["node_modules/@pulumi/kubernetes"]).version;

describe("the Kubernetes plugin version a stack asks for", () => {
  test("unset: the release the installed @pulumi/kubernetes names, which `pulumi plugin install resource kubernetes <version>` fetches", () => {
    const sdk = readJson("node_modules/@pulumi/kubernetes/package.json");
    expect(installedKubernetesSdkVersion()).toBe(lockedSdk());
    // The plugin the SDK's own install script and `pulumi plugin ls --project` would name.
    expect(sdk.pulumi).toEqual({ resource: true, name: "kubernetes", version: lockedSdk() });
    expect(kubernetesPluginVersion(undefined, installedKubernetesSdkVersion())).toBe(lockedSdk());
    // A release, not a pre-release such as the lab's own build.
    expect(lockedSdk()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("set: exactly the version the stack config names, e.g. the lab's build", () => {
    expect(kubernetesPluginVersion("4.25.0-alpha.1768448096+f47bc2d6", "4.25.0")).toBe("4.25.0-alpha.1768448096+f47bc2d6");
    expect(kubernetesPluginVersion("4.24.1", "4.25.0")).toBe("4.24.1");
  });
});

describe("the stack config kubernetesPluginVersion", () => {
  const settings = (kubernetesPluginVersion: unknown): StackSettings => ({
    nodes: [{ name: "web-1", host: "10.213.0.11" }],
    configKeys: ["nodes", "sshPrivateKey", "kubernetesPluginVersion"],
    kubernetesPluginVersion,
  });

  test.each(["4.25.0", "4.25.0-alpha.1768448096+f47bc2d6", "4.26.0-rc.1"])("%s is a version the engine can ask for", (version) => {
    expect(stackProblems(settings(version))).toEqual([]);
  });

  test.each([
    ["v4.25.0", /kubeadm-workers:kubernetesPluginVersion must be a plugin version such as 4\.25\.0 \(semver, no leading "v"\), got "v4\.25\.0"/],
    ["4.25", /got "4\.25"/],
    ["", /got ""/],
    ["latest", /got "latest"/],
  ])("%j is refused, naming the key and the form it takes", (version, message) => {
    expect(stackProblems(settings(version))).toEqual([expect.stringMatching(message)]);
  });
});

describe("the lab's build of the plugin", () => {
  const component = (): string => fs.readFileSync(path.join(repoRoot, "lab/toolchain/components/pulumi-kubernetes.sh"), "utf8");
  const labVersion = (): string | undefined => /^PULUMI_KUBERNETES_VERSION=(\S+)/m.exec(component())?.[1];
  const settings = (kubernetesPluginVersion: unknown): StackSettings => ({ nodes: [], configKeys: ["nodes", "kubernetesPluginVersion"], kubernetesPluginVersion });

  test("is a pre-release label naming the commit of the provider module the wrapper go.mod pins", () => {
    const goMod = fs.readFileSync(path.join(repoRoot, "lab/toolchain/pulumi-kubernetes/go.mod"), "utf8");
    const pseudo = /github\.com\/pulumi\/pulumi-kubernetes\/provider\/v4 v4\.0\.0-(\d{14})-([0-9a-f]{12})/.exec(goMod);
    expect(pseudo).not.toBeNull();
    const [, stamp, commit] = pseudo!;
    const seconds = Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(8, 10), +stamp.slice(10, 12), +stamp.slice(12, 14)) / 1000;
    expect(labVersion()).toBe(`4.25.0-alpha.${seconds}+${commit.slice(0, 8)}`);
  });

  test("is a version the stack config accepts, and differs from the release a stack asks for by default", () => {
    expect(stackProblems(settings(labVersion()))).toEqual([]);
    expect(labVersion()).not.toBe(installedKubernetesSdkVersion());
  });
});
