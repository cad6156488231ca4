import * as fs from "node:fs/promises";
import * as path from "node:path";
import { labClusterConfig, labHosts, labSsh, requireLab } from "../integration/support/lab";
import { checkGroups, checkRefusalPattern, deepMerge, hostileCases, inputsOf, previewGroups, refusalPattern } from "../support/hostile-input";
import { createLabStack, setConfig } from "./support/lab-stack";
import { sshdPeerLines } from "./support/sshd-log";
import { createProjectWithPackage } from "./support/stack-project";
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

// The same corpus through a program of the user's own, which builds WorkerNodes itself: nothing but
// the resource's own check stands between its input and the hosts. The engine stops a preview at the
// first resource whose check fails (after printing every problem of that one), so each preview is
// one WorkerNode carrying a group of cases, none two setting the same input (checkGroups).
describe("a program of the user's own: each WorkerNode's own check refuses hostile input at preview, before any host is dialled", () => {
  const program = [
    'const fs = require("node:fs");',
    'const path = require("node:path");',
    'const { WorkerNode } = require("kubeadm-workers");',
    "// The test writes the one WorkerNode of each preview here: its name and its inputs.",
    'const { name, inputs } = JSON.parse(fs.readFileSync(path.join(__dirname, "node.json"), "utf8"));',
    "new WorkerNode(name, inputs);",
  ].join("\n");
  const stack = previewStackForSuite("hostile-own", (name) => createProjectWithPackage(name, program));
  // Never used to log in (a preview dials nothing); a real lab host is the address, so a dial would show in its sshd log.
  const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
  const carried = hostileCases.filter((c) => !c.stackOnly);

  test(`all ${carried.length} cases a WorkerNode input carries are refused by its check, naming their field; no sshd logs a connection`, async () => {
    const hosts = labHosts();
    const lab = { ...labClusterConfig(), joinTimeout: "3m" };
    const plain = deepMerge(inputsOf({ id: "plain", description: "", field: "" }, lab, privateKey), { connection: { host: hosts[0].address } });
    const groups = checkGroups(carried, lab, privateKey);
    const before = hosts.map((h) => sshdPeerLines(h).length);
    const notNamed: string[] = [];

    for (const [index, group] of groups.entries()) {
      const name = `group-${index}`;
      await fs.writeFile(path.join(stack.project.dir, "node.json"), JSON.stringify({ name, inputs: deepMerge(plain, group.inputs) }));
      const { code, stdout, stderr } = await stack.project.pulumi(["preview", "--diff"], 300_000);
      const output = stdout + stderr;
      expect(code).not.toBe(0);
      expect(output).not.toMatch(/\+ .*WorkerNode.*create/);
      for (const { case: c, field } of group.cases) if (!checkRefusalPattern(name, field).test(output)) notNamed.push(`${c.id} (${c.description}): ${field}`);
    }

    // every case went through a preview, in few of them
    expect(groups.flatMap((g) => g.cases.map((c) => c.case.id)).sort()).toEqual(carried.map((c) => c.id).sort());
    expect(groups.length).toBeLessThan(carried.length / 10);
    expect(notNamed).toEqual([]);
    // no sshd saw a peer while the previews ran
    expect(hosts.map((h) => sshdPeerLines(h).length)).toEqual(before);
    // and the log would have shown one: a login by hand is logged
    expect((await labSsh(hosts[0].address, "true")).code).toBe(0);
    expect(sshdPeerLines(hosts[0]).length).toBeGreaterThan(before[0]);
  });
});
