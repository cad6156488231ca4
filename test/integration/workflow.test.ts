import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot, run } from "../support/process";

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

  test("actionlint would catch a broken workflow (the check can fail)", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "kw-actionlint-"));
    try {
      const broken = (await fs.readFile(path.join(repoRoot, ".github/workflows/pulumi.yml"), "utf8")).replace("github.event.pull_request.number", "github.event.pull_request.numbr(");
      await fs.writeFile(path.join(dir, "pulumi.yml"), broken);
      const result = await run(await actionlint(), ["-no-color", "-config-file", path.join(repoRoot, ".github/actionlint.yaml"), path.join(dir, "pulumi.yml")]);
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
});
