import { repoRoot, runOk } from "../support/process";

// A shell as a new user has it: the machine's own PATH, none of the toolchain.
const machinePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const pulumiVersion = "v3.276.0";

describe("the project toolchain", () => {
  test("eval of `npm run --silent env` gives a shell with node >= 22 and the pulumi CLI", async () => {
    // GIVEN a shell without the toolchain
    const script = [
      'eval "$(npm run --silent env)"',
      "node --version",
      "pulumi version",
      "command -v pulumi-language-nodejs pulumi-resource-pulumi-nodejs",
      'echo "backend=$PULUMI_BACKEND_URL home=$PULUMI_HOME"',
      'echo "skip=$PULUMI_SKIP_UPDATE_CHECK acquisition=$PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"',
    ].join(" && ");

    // WHEN it evaluates the env script's output
    const { stdout } = await runOk("bash", ["-c", script], {
      env: { PATH: machinePath, HOME: process.env.HOME ?? "/root" },
    });

    // THEN every tool answers from the toolchain
    const [nodeVersion, printedPulumi, languageHost, launcher, locations, flags] = stdout.trim().split("\n");
    expect(Number(/^v(\d+)\./.exec(nodeVersion ?? "")?.[1])).toBeGreaterThanOrEqual(22);
    expect(printedPulumi).toBe(pulumiVersion);
    expect(languageHost).toMatch(/\/toolchain\/pulumi-3\.276\.0\/bin\/pulumi-language-nodejs$/);
    expect(launcher).toMatch(/\/toolchain\/pulumi-3\.276\.0\/bin\/pulumi-resource-pulumi-nodejs$/);
    expect(locations).toBe(`backend=file://${repoRoot}/.pulumi/backend home=${repoRoot}/.pulumi/home`);
    expect(flags).toBe("skip=true acquisition=true");
  });

  test("eval twice does not grow PATH", async () => {
    const { stdout } = await runOk(
      "bash",
      ["-c", 'eval "$(npm run --silent env)"; a=$PATH; eval "$(npm run --silent env)"; [ "$a" = "$PATH" ] && echo same'],
      { env: { PATH: machinePath, HOME: process.env.HOME ?? "/root" } },
    );
    expect(stdout.trim()).toBe("same");
  });

  test("a second build reuses every cached component", async () => {
    // `npm test` has just built the toolchain; building again must only report cache hits.
    const { stdout } = await runOk("bash", ["lab/toolchain/build.sh"]);
    const lines = stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^toolchain: \S+\s+\S+\s+cached /);
  });
});
