import * as fs from "node:fs";
import * as path from "node:path";
import { installedKubernetesSdkVersion } from "../../stacks/kubernetes-plugin-version";
import { setConfig } from "./support/lab-stack";
import { previewStackForSuite } from "./support/suite-stack";

// A stack that sets no kubernetesPluginVersion, as on a user's machine or a CI runner: its
// @pulumi/kubernetes resources ask the real engine for the release of the installed SDK, the plugin
// `pulumi plugin install resource kubernetes <version>` fetches (.github/workflows/pulumi.yml). Here,
// where the toolchain's environment turns automatic plugin downloads off and only the lab's own build
// is installed, the preview stops naming that release, and nothing is downloaded.
const kubeconfig = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{ name: nowhere, cluster: { server: 'https://127.0.0.1:9', insecure-skip-tls-verify: true } }]",
  "users: [{ name: nobody, user: { token: not-a-token } }]",
  "contexts: [{ name: nowhere, context: { cluster: nowhere, user: nobody } }]",
  "current-context: nowhere",
  "",
].join("\n");

describe("the Kubernetes plugin a stack asks for when kubernetesPluginVersion is unset", () => {
  const stack = previewStackForSuite("k8s-plugin-default");

  test("the installed @pulumi/kubernetes release, named by the engine; no download in the lab", async () => {
    const release = installedKubernetesSdkVersion();
    const pluginsDir = path.join(process.env.PULUMI_HOME ?? path.join(process.env.HOME ?? "/root", ".pulumi"), "plugins");
    expect(process.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION).toBe("true");
    expect(fs.existsSync(path.join(pluginsDir, `resource-kubernetes-v${release}`))).toBe(false);

    await setConfig(stack.project, { nodes: [], leastPrivilege: true });
    await stack.project.pulumiStdin(["config", "set", "--secret", "sshPrivateKey"], "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n");
    await stack.project.pulumiStdin(["config", "set", "--secret", "kubeconfig"], kubeconfig);

    const { code, stdout, stderr } = await stack.project.pulumi(["preview"]);
    const output = stdout + stderr;
    expect(code).not.toBe(0);
    expect(output).toContain(`no resource plugin 'pulumi-resource-kubernetes' found in the workspace at version v${release} or on your $PATH`);
    expect(output).not.toMatch(/-alpha\.\d+\+/); // not the lab's own build
    expect(fs.existsSync(path.join(pluginsDir, `resource-kubernetes-v${release}`))).toBe(false);
  }, 300_000);
});
