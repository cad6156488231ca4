import * as fs from "node:fs";
import * as path from "node:path";
import { kubernetesPluginVersion } from "../../../stacks/kubernetes-plugin";
import { repoRoot } from "../../support/process";

test("the program asks for the Kubernetes plugin version the toolchain builds and installs", () => {
  const component = fs.readFileSync(path.join(repoRoot, "lab/toolchain/components/pulumi-kubernetes.sh"), "utf8");
  expect(/^PULUMI_KUBERNETES_VERSION=(\S+)/m.exec(component)?.[1]).toBe(kubernetesPluginVersion);
});

test("the label names the commit of the provider module the wrapper go.mod pins", () => {
  const goMod = fs.readFileSync(path.join(repoRoot, "lab/toolchain/pulumi-kubernetes/go.mod"), "utf8");
  const pseudo = /github\.com\/pulumi\/pulumi-kubernetes\/provider\/v4 v4\.0\.0-(\d{14})-([0-9a-f]{12})/.exec(goMod);
  expect(pseudo).not.toBeNull();
  const [, stamp, commit] = pseudo!;
  const seconds = Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(8, 10), +stamp.slice(10, 12), +stamp.slice(12, 14)) / 1000;
  expect(kubernetesPluginVersion).toBe(`4.25.0-alpha.${seconds}+${commit.slice(0, 8)}`);
});
