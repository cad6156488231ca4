import type { HostStep } from "./prepare-steps";
import type { CommandResult, RemoteShell } from "./ssh-session";

export class HostStepError extends Error {
  constructor(
    message: string,
    readonly step: string,
  ) {
    super(message);
    this.name = "HostStepError";
  }
}

/** The last lines of a command's output, which is where apt, kubeadm and friends say what went wrong. */
export function outputTail(result: CommandResult, lines = 20): string {
  const text = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-lines).join("\n");
  return text ? `\n${text.replace(/^/gm, "    ")}` : " (no output)";
}

/**
 * Runs each step: check; apply only when the check fails; check again to prove the apply worked.
 * Returns, per step, whether it was already done, which is what makes re-runs visible in the log.
 */
export async function runHostSteps(
  shell: RemoteShell,
  steps: readonly HostStep[],
  log: (line: string) => void,
  timeoutSeconds = 900,
): Promise<{ step: string; changed: boolean }[]> {
  const outcome: { step: string; changed: boolean }[] = [];
  for (const step of steps) {
    const before = await shell.runScript(step.check, { timeoutSeconds: 60 });
    if (before.code === 0) {
      log(`${step.name}: already done`);
      outcome.push({ step: step.name, changed: false });
      continue;
    }
    log(`${step.name}: applying`);
    const applied = await shell.runScript(`set -e\n${step.apply}`, { timeoutSeconds });
    if (applied.code !== 0) {
      throw new HostStepError(`host ${shell.address}: step "${step.name}" failed with exit code ${applied.code}:${outputTail(applied)}`, step.name);
    }
    const after = await shell.runScript(step.check, { timeoutSeconds: 60 });
    if (after.code !== 0) {
      throw new HostStepError(`host ${shell.address}: step "${step.name}" ran but its check still fails:${outputTail(after)}`, step.name);
    }
    log(`${step.name}: done`);
    outcome.push({ step: step.name, changed: true });
  }
  return outcome;
}
