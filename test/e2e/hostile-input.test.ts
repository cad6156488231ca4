import { labHosts, labSsh, requireLab } from "../integration/support/lab";
import { deepMerge, hostileCases, previewGroups, refusalPattern } from "../support/hostile-input";
import { createLabStack, setConfig } from "./support/lab-stack";
import { sshdPeerLines } from "./support/sshd-log";
import { previewStackForSuite } from "./support/suite-stack";

// Every case of the hostile input corpus, through the real CLI: `pulumi preview` of the stack
// program refuses it, naming the field, and no lab host's sshd sees a connection. The cases are
// grouped so that one preview lists many at once (the stack program reports every problem of every
// entry and config key): each entry case is its own node entry (named after the case unless the case
// is about the name) aimed at a real lab host.

jest.setTimeout(900_000);

beforeAll(requireLab);

describe("pulumi preview refuses hostile input, before any host is dialled", () => {
  const stack = previewStackForSuite("hostile", (name) => createLabStack(name));
  let labConfig: Record<string, unknown>;

  beforeAll(async () => {
    labConfig = JSON.parse((await stack.project.pulumiOk(["config", "--json"])).stdout) as Record<string, unknown>;
  });

  const cases = hostileCases.filter((c) => !c.resourceOnly);

  test(`all ${cases.length} cases the stack program can be given are refused naming their field; no sshd logs a connection`, async () => {
    const hosts = labHosts();
    const base = Object.fromEntries(
      Object.entries(labConfig)
        .filter(([key, value]) => !(value as { secret?: boolean }).secret && key !== "kubeadm-workers:nodes")
        .map(([key, value]) => [key.replace(/^kubeadm-workers:/, ""), (value as { objectValue?: unknown; value: unknown }).objectValue ?? (value as { value: unknown }).value]),
    );
    const configKeys = [...new Set([...Object.keys(base), ...cases.flatMap((c) => Object.keys(c.config ?? {}))])];
    const before = hosts.map((h) => sshdPeerLines(h).length);
    const notNamed: string[] = [];

    for (const group of previewGroups(cases)) {
      const entryCases = group.filter((c) => c.entry);
      const entries = entryCases.map((c, i) => ({ name: c.id, host: hosts[i % hosts.length].address, ...c.entry }));
      // config problems are listed per entry: one plain entry carries them when the group has none
      const nodes = entries.length > 0 ? entries : [{ name: "carrier", host: hosts[0].address }];
      const config = group.reduce<Record<string, unknown>>((merged, c) => deepMerge(merged, c.config ?? {}), base);
      // Cleared first: set-all merges into what the last group left (and keeps a string a string).
      await stack.project.pulumiOk(["config", "rm-all", ...configKeys.map((key) => `kubeadm-workers:${key}`)]);
      await setConfig(stack.project, { ...config, nodes });

      const { code, stdout, stderr } = await stack.project.pulumi(["preview", "--diff"], 300_000);
      const output = stdout + stderr;
      expect(code).not.toBe(0);
      expect(output).toMatch(/the stack config has \d+ problem\(s\); nothing was changed/);
      for (const c of group) if (!refusalPattern(c, entryCases.indexOf(c)).test(output)) notNamed.push(`${c.id} (${c.description}): ${c.field}`);
    }

    expect(notNamed).toEqual([]);
    // no sshd saw a peer while the previews ran
    expect(hosts.map((h) => sshdPeerLines(h).length)).toEqual(before);
    // and the log would have shown one: a login by hand is logged
    expect((await labSsh(hosts[0].address, "true")).code).toBe(0);
    expect(sshdPeerLines(hosts[0]).length).toBeGreaterThan(before[0]);
  });
});
