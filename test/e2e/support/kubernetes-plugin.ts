import * as fs from "node:fs";
import * as path from "node:path";
import { labClusterConfig, waitFor } from "../../integration/support/lab";

/** The longest a test waits for test/run.sh's background build of the plugin (cold: Go compilation on 2 cores). */
const backgroundBuildLimitMs = 40 * 60_000;

/**
 * The Kubernetes resource plugin, installed in PULUMI_HOME, that stacks using @pulumi/kubernetes need.
 * Under `npm test` it is built in the background (test/run.sh sets KW_KUBERNETES_PLUGIN_STATUS to the
 * file its exit code lands in): this waits for that build, and fails with its log when it failed.
 */
export async function requireKubernetesPlugin(): Promise<void> {
  const status = process.env.KW_KUBERNETES_PLUGIN_STATUS;
  const log = process.env.KW_KUBERNETES_PLUGIN_LOG ?? "(no log)";
  if (status) {
    const code = await waitFor(
      `the background build of the Kubernetes resource plugin (bash lab/toolchain/build.sh pulumi-kubernetes, log ${log})`,
      () => Promise.resolve(fs.existsSync(status) ? fs.readFileSync(status, "utf8").trim() : undefined),
      backgroundBuildLimitMs,
    );
    if (code !== "0") {
      const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").slice(-30).join("\n") : "";
      throw new Error(`the background build of the Kubernetes resource plugin exited ${code}; ${log} ends:\n${tail}`);
    }
  }
  // The lab's stacks ask for the build the lab publishes (createLabStack sets it as kubernetesPluginVersion).
  const { kubernetesPluginVersion } = labClusterConfig();
  if (!kubernetesPluginVersion) throw new Error("the lab's .lab/cluster.json names no kubernetesPluginVersion (an older checkout wrote it): npm run lab -- up");
  const home = process.env.PULUMI_HOME ?? path.join(process.env.HOME ?? "/root", ".pulumi");
  const installed = path.join(home, "plugins", `resource-kubernetes-v${kubernetesPluginVersion}`, "pulumi-resource-kubernetes");
  if (!fs.existsSync(installed)) {
    throw new Error(`the Kubernetes resource plugin ${kubernetesPluginVersion} is not installed (${installed} is missing): bash lab/toolchain/build.sh pulumi-kubernetes`);
  }
}
