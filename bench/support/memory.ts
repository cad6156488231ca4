import { runOk } from "../../test/support/process";

/** Peak RSS of a Node process that does nothing: what every Node process costs before our code. */
export async function nodeBaselineMb(): Promise<number> {
  const { stdout } = await runOk("node", ["-e", "process.stdout.write(String(process.resourceUsage().maxRSS))"]);
  return Number(stdout) / 1024;
}
