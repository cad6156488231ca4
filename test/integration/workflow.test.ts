import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { loadYaml } from "@kubernetes/client-node";
import { installedKubernetesSdkVersion, kubernetesPluginVersion } from "../../stacks/kubernetes-plugin-version";
import { repoRoot, run, runOk } from "../support/process";

// The pull-request workflow is checked by actionlint, built into the toolchain from Go modules
// (lab/toolchain/components/actionlint.sh).
const actionlint = (): Promise<string> =>
  run("bash", ["-c", '. lab/toolchain/common.sh && . lab/toolchain/components/actionlint.sh && echo "$ACTIONLINT_DIR/bin/actionlint"'], { cwd: repoRoot }).then((r) => r.stdout.trim());

describe("the GitHub workflow", () => {
  test("actionlint passes on .github/workflows", async () => {
    const result = await run(await actionlint(), ["-no-color"], { cwd: repoRoot });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  // The check can fail: a broken expression, and a misspelt input of pulumi/actions (actionlint knows
  // the action's inputs, so the CLI pin's input name is checked too).
  test.each([
    ["a broken expression", "github.event.pull_request.number", "github.event.pull_request.numbr(", /numbr\(/],
    ["a misspelt pulumi/actions input", "pulumi-version:", "pulumi-versoin:", /input "pulumi-versoin" is not defined in action "pulumi\/actions@v6"/],
  ])("actionlint catches %s", async (_, text, replacement, message) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "kw-actionlint-"));
    try {
      const original = await fs.readFile(path.join(repoRoot, ".github/workflows/pulumi.yml"), "utf8");
      const broken = original.replace(text, replacement);
      expect(broken).not.toBe(original);
      await fs.writeFile(path.join(dir, "pulumi.yml"), broken);
      const result = await run(await actionlint(), ["-no-color", "-config-file", path.join(repoRoot, ".github/actionlint.yaml"), path.join(dir, "pulumi.yml")]);
      expect(result.stdout + result.stderr).toMatch(message);
      expect(result.code).not.toBe(0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test("the preview job comments on the PR with the diff, and up never runs twice at once", async () => {
    const workflow = await fs.readFile(path.join(repoRoot, ".github/workflows/pulumi.yml"), "utf8");
    expect(workflow).toMatch(/command: preview[\s\S]*diff: true[\s\S]*comment-on-pr: true/);
    expect(workflow).toMatch(/group: pulumi-up-prod\s+cancel-in-progress: false/);
  });

  test("each job installs, pinned, the Kubernetes plugin a stack without kubernetesPluginVersion asks for, before pulumi runs", async () => {
    const workflow = await readWorkflow();
    const asked = kubernetesPluginVersion(undefined, installedKubernetesSdkVersion());
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const steps = job.steps ?? [];
      const install = steps.findIndex((step) => /\bpulumi plugin install\b/.test(step.run ?? ""));
      const pulumiCommand = steps.findIndex((step) => isPulumiAction(step) && step.with?.command !== undefined);
      expect({ job: name, installs: install >= 0, beforePulumiRuns: install < pulumiCommand }).toEqual({ job: name, installs: true, beforePulumiRuns: true });
      // The step's own script, run with the workflow's, the job's and the step's env and a `pulumi` that records its arguments.
      expect(await runStepWithRecordingPulumi(workflow, job, steps[install])).toBe(`plugin install resource kubernetes ${asked}\n`);
    }
  });

  test("the Pulumi CLI is pinned, to the version the tests run (lab/toolchain/versions.sh) and the SDK's", async () => {
    const workflow = await readWorkflow();
    const versions = await fs.readFile(path.join(repoRoot, "lab/toolchain/versions.sh"), "utf8");
    const toolchainCli = /^PULUMI_VERSION=(\S+)/m.exec(versions)?.[1];
    const sdk = (JSON.parse(await fs.readFile(path.join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies["@pulumi/pulumi"];
    expect(toolchainCli).toBe(sdk);
    const pins = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).filter(isPulumiAction).map((step) => expand(workflow, job, step, step.with?.["pulumi-version"])));
    expect(pins.length).toBeGreaterThanOrEqual(4);
    expect(new Set(pins)).toEqual(new Set([toolchainCli]));
  });

  test("forks get no job on the runner inside the cluster network, secrets reach only the pulumi steps, permissions are least", async () => {
    const workflow = await readWorkflow();
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push"]); // never pull_request_target
    expect(workflow.permissions).toEqual({});
    const { preview, up } = workflow.jobs;
    expect(preview.if).toMatch(/^github\.event_name == 'pull_request' && github\.event\.pull_request\.head\.repo\.full_name == github\.repository$/);
    expect(preview.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(up.if).toBe("github.event_name == 'push'");
    expect(up.permissions).toEqual({ contents: "read" });
    expect(up.environment).toBe("production");
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        const usesSecrets = JSON.stringify(step).includes("secrets.");
        expect({ job: name, step: step.name ?? step.uses ?? step.run, usesSecrets }).toEqual({ job: name, step: step.name ?? step.uses ?? step.run, usesSecrets: isPulumiAction(step) && step.with?.command !== undefined });
        if (step.uses?.startsWith("actions/checkout@")) expect(step.with?.["persist-credentials"]).toBe(false);
      }
      expect(JSON.stringify({ ...job, steps: [] })).not.toContain("secrets.");
    }
    expect(JSON.stringify(workflow.env ?? {})).not.toContain("secrets.");
  });
});

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string | boolean | number>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly environment?: string;
  readonly env?: Record<string, string>;
  readonly steps?: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

async function readWorkflow(): Promise<Workflow> {
  return loadYaml<Workflow>(await fs.readFile(path.join(repoRoot, ".github/workflows/pulumi.yml"), "utf8"));
}

const isPulumiAction = (step: Step): boolean => step.uses?.startsWith("pulumi/actions@") ?? false;

/** The env a step's script sees: the workflow's, then the job's, then the step's (plain values only). */
function stepEnv(workflow: Workflow, job: Job, step: Step): Record<string, string> {
  return { ...workflow.env, ...job.env, ...step.env };
}

/** A value with its `${{ env.NAME }}` expressions replaced, as the runner does; any other expression is left for the caller to see. */
function expand(workflow: Workflow, job: Job, step: Step, value: unknown): string {
  const env = stepEnv(workflow, job, step);
  return String(value).replace(/\$\{\{\s*env\.(\w+)\s*\}\}/g, (_, name: string) => env[name] ?? "");
}

/** Runs a `run:` step with bash as the runner does and returns the arguments of every `pulumi` call it made. */
async function runStepWithRecordingPulumi(workflow: Workflow, job: Job, step: Step): Promise<string> {
  expect(step.run).not.toContain("${{"); // values reach scripts through env, never pasted into them
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "kw-workflow-step-"));
  try {
    const calls = path.join(dir, "pulumi-calls");
    await fs.writeFile(path.join(dir, "pulumi"), `#!/bin/sh\necho "$*" >>${JSON.stringify(calls)}\n`, { mode: 0o755 });
    await runOk("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run ?? ""], {
      cwd: repoRoot,
      env: { ...process.env, ...stepEnv(workflow, job, step), PATH: `${dir}:${process.env.PATH ?? ""}` },
    });
    return await fs.readFile(calls, "utf8").catch(() => "");
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
