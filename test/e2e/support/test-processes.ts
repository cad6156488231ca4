import * as path from "node:path";
import { labDir } from "../../support/lab-dir";
import { leftoverTestProcesses } from "../../support/lab-processes";
import { processTable } from "../../support/proc-table";
import { hostSamplerScript, runningHostSampler } from "./host-sampler";
import { projectDirPrefix } from "./pulumi-project";

/**
 * The processes the tests started that still run, on the machine and (through the machine's /proc)
 * on the lab hosts: kubectl watches and followed logs, ssh to a host, pulumi and its plugins,
 * samplers, cutters. The tier's own host process sampler runs until the tier's teardown and is not one.
 */
export function testProcessesLeft(): string[] {
  const sampler = runningHostSampler();
  return leftoverTestProcesses(processTable(), {
    // as the lab helpers build them (test/integration/support/lab.ts)
    kubeconfig: path.join(labDir, "kubeconfig"),
    sshKey: path.join(labDir, "ssh", "id_ed25519"),
    projectDirPrefix,
    samplerScript: hostSamplerScript,
    exceptPids: sampler ? [sampler.pid] : [],
  });
}
