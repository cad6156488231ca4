/**
 * The stack output `scaleInReport` as `pulumi preview --diff` prints it on stdout, one quoted string
 * per line (`+     [0]: "Scale-in report …"`), read back into the report's text; undefined when
 * stdout has none. Only stdout: it is what pulumi/actions posts as the pull request's comment.
 */
export function reportInPreviewStdout(stdout: string): string | undefined {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => /^\s*[-+~]?\s*scaleInReport\s*: \[$/.test(line));
  if (start < 0) return undefined;
  const report: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const element = /^\s*[-+~]?\s*\[\d+\]: (".*")$/.exec(line);
    if (!element) break;
    report.push(JSON.parse(element[1]) as string);
  }
  return report.join("\n");
}

/**
 * The step `pulumi preview --diff` prints on stdout for the resource named `name` ("delete",
 * "update", …): the `Type: (step)` line above its `[urn=…::name]`; undefined when it is not there.
 */
export function diffStepIn(stdout: string, name: string): string | undefined {
  const lines = stdout.split("\n");
  const urn = lines.findIndex((line) => line.trim().startsWith("[urn=") && line.trim().endsWith(`::${name}]`));
  for (let i = urn - 1; i >= 0 && urn > 0; i--) {
    const step = /: \(([\w-]+)\)$/.exec(lines[i].trimEnd());
    if (step) return step[1];
  }
  return undefined;
}
