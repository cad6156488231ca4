import * as fs from "node:fs/promises";
import * as path from "node:path";
import { repoRoot } from "../../support/process";
import { PulumiProject } from "./pulumi-project";

/**
 * A Pulumi project laid out as a user's: `kubeadm-workers` installed in its node_modules (a link to
 * this checkout), so the provider loads its implementation the way it does in production: from the
 * installed package. The program is this checkout's compiled stack program, required by path: the
 * package's exports map publishes the library, not the repository's own stack.
 */
export function createStackProject(stack: string): Promise<PulumiProject> {
  return createProjectWithPackage(stack, `module.exports = require(${JSON.stringify(path.join(repoRoot, "dist/stacks/index.js"))});\n`);
}

/** The same layout with a program of the user's own (JavaScript, `index.js`) that requires "kubeadm-workers". */
export async function createProjectWithPackage(stack: string, program: string): Promise<PulumiProject> {
  const project = await PulumiProject.create("stack", {
    "Pulumi.yaml": "name: kubeadm-workers\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
    "package.json": JSON.stringify({ name: "kubeadm-workers-stack", private: true, main: "index.js" }),
    "index.js": program,
  });
  // Replace the node_modules link with a directory of links plus the package itself.
  const modules = path.join(project.dir, "node_modules");
  await fs.rm(modules);
  await fs.mkdir(modules);
  for (const entry of await fs.readdir(path.join(repoRoot, "node_modules"))) {
    await fs.symlink(path.join(repoRoot, "node_modules", entry), path.join(modules, entry));
  }
  await fs.symlink(repoRoot, path.join(modules, "kubeadm-workers"));
  await project.pulumiOk(["stack", "init", stack]);
  return project;
}
