// Scenario 5: a no-op `pulumi preview` of a stack of 100 WorkerNodes against one of 100 trivial
// dynamic resources (the same engine, language host and dynamic-provider launcher, a provider that
// does nothing). Our check, diff and scale-in report must open no SSH session and make a constant
// number of API requests: counted for 10 and for 100 nodes. Also the stack program's peak memory
// (scenario 6).
//
// A stack of 100 joined nodes cannot be made on this machine, so its state is: one real node joined
// by `pulumi up` on a lab host, exported, and imported as 100 copies that differ in resource name
// (and the owner it implies), host address (10.213.0.100+, where no host listens) and Node name, as
// 100 joined nodes' state does.
import * as fs from "node:fs";
import * as path from "node:path";
import { createLabStack, entryFor, setConfig } from "../../test/e2e/support/lab-stack";
import { PulumiProject } from "../../test/e2e/support/pulumi-project";
import { labHosts } from "../../test/integration/support/lab";
import type { Scenario } from "../scenario";
import { nodeBaselineMb } from "../support/memory";
import { peakMb, probedPulumi, type ProbedRun } from "../support/probed-pulumi";
import { summarize } from "../table";

const nodes = 100;
const template = { name: "node-tpl", nodeName: "bench-node-tpl" };
const cloneName = (i: number) => `node-${i}`;
const cloneNodeName = (i: number) => `bench-node-${i}`;
const cloneHost = (i: number) => `10.213.0.${100 + i}`;

interface Deployment {
  deployment: { resources: { urn: string; type: string }[] };
}

/** The exported state with the template WorkerNode replaced by `count` copies. */
export function cloneNodes(exported: Deployment, templateHost: string, count: number): Deployment {
  const resources = exported.deployment.resources;
  const node = resources.find((r) => r.urn.endsWith(`::${template.name}`));
  if (!node) throw new Error(`the exported state has no resource named ${template.name}`);
  const text = JSON.stringify(node);
  const hostPattern = new RegExp(templateHost.replace(/\./g, "\\.") + "(?!\\d)", "g");
  const clones = Array.from({ length: count }, (_, i) =>
    JSON.parse(
      text
        .replaceAll(template.nodeName, cloneNodeName(i))
        .replaceAll(`::${template.name}`, `::${cloneName(i)}`)
        // The owner the resource stamps, project/stack/name (providers/review/departing.ts ownerOf).
        .replaceAll(`/${template.name}"`, `/${cloneName(i)}"`)
        .replace(hostPattern, cloneHost(i)),
    ) as { urn: string; type: string },
  );
  return { ...exported, deployment: { ...exported.deployment, resources: [...resources.filter((r) => r !== node), ...clones] } };
}

function entries(count: number, hostKey: string | undefined) {
  return Array.from({ length: count }, (_, i) => ({ name: cloneName(i), host: cloneHost(i), nodeName: cloneNodeName(i), ...(hostKey ? { hostKey } : {}) }));
}

const trivialProgram = `const pulumi = require("@pulumi/pulumi");
const provider = { async create(inputs) { return { id: inputs.name, outs: inputs }; } };
for (let i = 0; i < ${nodes}; i++) new pulumi.dynamic.Resource(provider, "r-" + i, { name: "r-" + i, value: i });
`;

function noSsh(run: ProbedRun, what: string): void {
  const ssh = [...run.providers, ...run.programs].flatMap((r) => r.connections).filter((c) => c.endsWith(":22"));
  if (ssh.length > 0) throw new Error(`${what} opened ${ssh.length} SSH connection(s): ${ssh.slice(0, 5).join(", ")}`);
}

export const preview: Scenario = {
  id: "preview",
  defaultRuns: 3,
  async run(runs, log) {
    const host = labHosts()[0];
    if (!host) throw new Error("scenario preview needs one lab host (npm run lab -- up)");
    const ours = await createLabStack("bench-preview");
    const peer = await PulumiProject.create("bench-trivial", {
      "Pulumi.yaml": "name: bench-trivial\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
      "package.json": JSON.stringify({ name: "bench-trivial", private: true, main: "index.js" }),
      "index.js": trivialProgram,
    });
    try {
      // The template: one node really joined, its state exported (secrets in plaintext, re-encrypted on import).
      await setConfig(ours, { nodes: [entryFor(host, { name: template.name, nodeName: template.nodeName })] });
      await ours.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
      const exported = JSON.parse((await ours.pulumiOk(["stack", "export", "--show-secrets"])).stdout) as Deployment;
      await ours.pulumiOk(["destroy", "--yes", "--skip-preview"], 600_000);
      const importState = async (count: number): Promise<void> => {
        const file = path.join(ours.dir, `state-${count}.json`);
        fs.writeFileSync(file, JSON.stringify(cloneNodes(exported, host.address, count)));
        await ours.pulumiOk(["stack", "import", "--file", file]);
        await setConfig(ours, { nodes: entries(count, host.hostKey) });
      };
      const previewOurs = async (): Promise<ProbedRun> => {
        const run = await probedPulumi(ours, ["preview", "--expect-no-changes"]);
        noSsh(run, "our no-op preview");
        return run;
      };
      // Constant API requests: the same preview at a tenth of the size.
      await importState(10);
      const tenth = await previewOurs();
      log(`preview: 10 nodes ${tenth.seconds.toFixed(1)} s, ${tenth.apiRequests} API requests, no SSH`);
      await importState(nodes);
      await peer.pulumiOk(["stack", "init", "bench-trivial"]);
      await peer.pulumiOk(["up", "--yes", "--skip-preview"], 600_000);
      const oursRuns: ProbedRun[] = [];
      const peerRuns: ProbedRun[] = [];
      for (let round = 0; round < runs; round++) {
        const order = round % 2 === 0 ? ["ours", "peer"] : ["peer", "ours"];
        for (const side of order) {
          if (side === "ours") oursRuns.push(await previewOurs());
          else peerRuns.push(await probedPulumi(peer, ["preview", "--expect-no-changes"]));
        }
        log(`preview: ${nodes} WorkerNodes ${oursRuns.at(-1)?.seconds.toFixed(1)} s (${oursRuns.at(-1)?.apiRequests} API requests, no SSH), ${nodes} trivial resources ${peerRuns.at(-1)?.seconds.toFixed(1)} s`);
      }
      const counts = oursRuns.map((r) => r.apiRequests);
      if (new Set([tenth.apiRequests, ...counts]).size !== 1) log(`preview: WARNING API requests differ between runs and sizes: 10 nodes ${tenth.apiRequests}, ${nodes} nodes ${counts.join(", ")}`);
      const baseline = await nodeBaselineMb();
      log(`preview: program peak RSS ours ${oursRuns.map((r) => peakMb(r.programs).toFixed(0)).join(", ")} MB, trivial ${peerRuns.map((r) => peakMb(r.programs).toFixed(0)).join(", ")} MB`);
      return [
        summarize(`5. no-op preview: ${nodes} WorkerNodes vs ${nodes} trivial dynamic resources (s)`, oursRuns.map((o, i) => ({ ours: o.seconds, peer: peerRuns[i]?.seconds ?? NaN })), `${tenth.apiRequests} / ${counts[0]} (10 / ${nodes} nodes)`),
        summarize(`6. peak memory: stack program during the no-op preview of ${nodes} WorkerNodes vs Node baseline (MB)`, oursRuns.map((o) => ({ ours: peakMb(o.programs), peer: baseline })), null),
      ];
    } finally {
      await ours.pulumi(["stack", "rm", "--yes", "--force"]);
      await ours.remove();
      await peer.pulumi(["stack", "rm", "--yes", "--force"]);
      await peer.remove();
    }
  },
};
