import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";

import type { WorkerNodeInputs } from "./inputs";
import type { WorkerNodeOutputs } from "./outputs";

type Implementation = typeof import("./implementation");

// Pulumi serializes the provider object, with everything it reaches, into the stack state, and
// `delete`/`refresh` run that stored copy. Keeping it to these few lines and loading the
// implementation at run time means fixes reach stacks created with older versions, and no
// credentials or client objects are ever captured. Only the two strings below are captured.
const installedImplementation = "kubeadm-workers/dist/providers/worker-node/implementation.js";
const builtImplementation = path.join(__dirname, "implementation.js");

function implementation(): Implementation {
  const tried: string[] = [];
  for (const candidate of [installedImplementation, builtImplementation]) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time on purpose, see above
      return require(require.resolve(candidate, { paths: [process.cwd()] })) as Implementation;
    } catch (error) {
      if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
      tried.push(candidate);
    }
  }
  throw new Error(
    `kubeadm-workers: cannot load the WorkerNode provider (tried ${tried.join(" and ")} from ${process.cwd()}); run "npm install" in the Pulumi project`,
  );
}

/** One module-level instance: Pulumi caches serialization per provider object. */
export const workerNodeProvider: pulumi.dynamic.ResourceProvider<WorkerNodeInputs, WorkerNodeOutputs> = {
  check: (olds, news) => implementation().check(olds, news),
  diff: (id, olds, news) => implementation().diff(id, olds, news),
  create: (inputs) => implementation().create(inputs),
  update: (id, olds, news) => implementation().update(id, olds, news),
  delete: (id, olds) => implementation().remove(id, olds),
  // The SDK types a read's inputs as outputs; ours are the inputs (see read.ts).
  read: (id, olds) => implementation().read(id, olds as WorkerNodeOutputs) as Promise<pulumi.dynamic.ReadResult<WorkerNodeOutputs>>,
};
