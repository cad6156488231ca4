import { apply, kubectl, labHosts, requireLab } from "../../integration/support/lab";
import { namespace as namespaceManifest } from "../../integration/support/workloads";
import type { PulumiProject } from "./pulumi-project";
import { createLabStack } from "./lab-stack";
import { createStackProject } from "./stack-project";

export interface SuiteStackOptions {
  /** Lab hosts the suite needs; fewer is an error that says how to bring the lab up with enough. */
  readonly hosts?: number;
  /** A namespace for the suite's workloads, created first and deleted before the stack is destroyed. */
  readonly namespace?: string;
  /** A check that must pass before anything is created (it throws saying what to do). */
  readonly prerequisite?: () => Promise<void>;
  /** Stack config beyond the lab's own, read once the lab is known to be up. */
  readonly config?: () => Record<string, unknown>;
}

export interface SuiteStack {
  /** The stack's project; set by the suite's first beforeAll. */
  readonly project: PulumiProject;
}

class SuiteStackHandle implements SuiteStack {
  created: PulumiProject | undefined;
  constructor(private readonly stack: string) {}

  get project(): PulumiProject {
    if (!this.created) throw new Error(`the ${this.stack} e2e stack was not created (see the beforeAll failure above)`);
    return this.created;
  }
}

/** Destroys the stack's resources when asked (drains and resets whatever it joined), then removes the stack and its directory. */
export async function removeStack(project: PulumiProject, { destroy }: { destroy: boolean }): Promise<void> {
  if (destroy) await project.pulumi(["destroy", "--yes", "--skip-preview"], 600_000);
  await project.pulumi(["stack", "rm", "--yes", "--force"]);
  await project.remove();
}

/**
 * A stack that is only ever previewed, for the describe block it is called in: created in a
 * beforeAll (by default as the repository's stack program), removed in an afterAll.
 */
export function previewStackForSuite(stack: string, create: (stack: string) => Promise<PulumiProject> = createStackProject): SuiteStack {
  const handle = new SuiteStackHandle(stack);
  beforeAll(async () => {
    handle.created = await create(stack);
  }, 120_000);
  afterAll(async () => {
    if (handle.created) await removeStack(handle.created, { destroy: false });
  }, 120_000);
  return handle;
}

/**
 * One lab stack for the describe block it is called in: a beforeAll checks the lab and creates the
 * stack (and the namespace); an afterAll deletes the namespace, destroys the stack (which drains and
 * resets whatever it joined) and removes it. A hook the suite declares after this call runs after
 * the stack exists.
 */
export function labStackForSuite(stack: string, options: SuiteStackOptions = {}): SuiteStack {
  const handle = new SuiteStackHandle(stack);

  beforeAll(async () => {
    requireLab();
    const needed = options.hosts ?? 1;
    if (labHosts().length < needed) throw new Error(`the ${stack} e2e needs ${needed} lab hosts: run "npm run lab -- up --hosts ${needed}"`);
    await options.prerequisite?.();
    handle.created = await createLabStack(stack, options.config?.() ?? {});
    if (options.namespace) await apply(namespaceManifest(options.namespace));
  }, 120_000);

  afterAll(async () => {
    if (options.namespace) await kubectl(["delete", "namespace", options.namespace, "--wait=false", "--ignore-not-found"]).catch(() => undefined);
    if (handle.created) await removeStack(handle.created, { destroy: true });
  }, 700_000);

  return handle;
}

export interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
}

/** The steps `pulumi preview --json` plans, by resource name (the URN's last part). */
export async function previewPlan(project: PulumiProject): Promise<Map<string, PreviewStep>> {
  const digest = JSON.parse((await project.pulumiOk(["preview", "--json"])).stdout) as { steps: PreviewStep[] };
  return new Map(digest.steps.map((step) => [step.urn.slice(step.urn.lastIndexOf("::") + 2), step]));
}
