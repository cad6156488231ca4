import { entryNameProblem } from "../../../stacks/entries";
import { stackProblems, type StackSettings } from "../../../stacks/stack-problems";

// The stack program's own checks, before any WorkerNode exists: every problem of every entry and of
// the config keys, at once, each naming its field.
const settings = (changes: Partial<StackSettings> = {}): StackSettings => ({
  nodes: [{ name: "web-1", host: "10.213.0.11" }],
  configKeys: ["nodes", "sshPrivateKey"],
  ...changes,
});

describe("the stack program refuses unknown fields and keys", () => {
  test("a valid stack has no problem", () => {
    expect(stackProblems(settings())).toEqual([]);
  });

  test("an unknown field of an entry is named with the closest known one", () => {
    expect(stackProblems(settings({ nodes: [{ name: "web-1", host: "10.213.0.11", lables: { tier: "web" }, hostkey: "x" }] }))).toEqual([
      expect.stringMatching(/^nodes\[0\] \(web-1\): hostkey is not a field of a nodes entry; did you mean "hostKey"\? \(known: name, host, port, user, hostKey, nodeName, labels, taints, adopt\)$/),
      expect.stringMatching(/^nodes\[0\] \(web-1\): lables is not a field of a nodes entry; did you mean "labels"\?/),
    ]);
  });

  test("an unknown config key of the stack is named with the closest known one", () => {
    expect(stackProblems(settings({ configKeys: ["nodes", "sshPrivateKey", "drian", "colour"] }))).toEqual([
      expect.stringMatching(/^kubeadm-workers:colour is not a config key of this stack \(known: /),
      expect.stringMatching(/^kubeadm-workers:drian is not a config key of this stack; did you mean "kubeadm-workers:drain"\? \(known: /),
    ]);
  });

  test("leastPrivilege is a boolean and needs the stack's kubeconfig to create the identity with", () => {
    expect(stackProblems(settings({ leastPrivilege: true, configKeys: ["nodes", "sshPrivateKey", "kubeconfig", "leastPrivilege"] }))).toEqual([]);
    expect(stackProblems(settings({ leastPrivilege: false, configKeys: ["nodes", "sshPrivateKey", "leastPrivilege"] }))).toEqual([]);
    expect(stackProblems(settings({ leastPrivilege: true, configKeys: ["nodes", "sshPrivateKey", "leastPrivilege"] }))).toEqual([
      "kubeadm-workers:leastPrivilege needs kubeadm-workers:kubeconfig (an admin kubeconfig, set with --secret): the stack creates the provider's identity with it",
    ]);
    expect(stackProblems(settings({ leastPrivilege: "yes", configKeys: ["nodes", "sshPrivateKey", "kubeconfig", "leastPrivilege"] }))).toEqual([
      'kubeadm-workers:leastPrivilege must be true or false, got "yes"',
    ]);
  });

  test("nodes that is not a list, and entries that are not objects or lack name or host", () => {
    expect(stackProblems(settings({ nodes: { name: "web-1" } }))).toEqual(["nodes must be a list of entries ({ name, host, … }), got an object"]);
    expect(stackProblems(settings({ nodes: ["web-1", { host: "10.213.0.12" }, { name: "web-3" }] }))).toEqual([
      'nodes[0] must be an entry ({ name, host, … }), got "web-1"',
      "nodes[1]: name is required: it names the entry's Pulumi resource",
      "nodes[2] (web-3): connection.host is required: the address the SSH connection dials",
    ]);
  });

  test("the sshUser config key is checked as every entry's user", () => {
    expect(stackProblems(settings({ sshUser: "ops;id", configKeys: ["nodes", "sshPrivateKey", "sshUser"] }))).toEqual([
      expect.stringMatching(/^nodes\[0\] \(web-1\): connection\.user is not a valid user name: "ops;id"/),
    ]);
  });
});

describe("entry names: a Pulumi resource name that every pulumi command and every line of output can carry", () => {
  test.each(["web-1", "Web_1", "10.0.0.21", "pool-a/web-1", "w", "a".repeat(253)])("accepts %j", (name) => {
    expect(entryNameProblem(name)).toBeUndefined();
  });

  test.each([
    ["", /must not be empty/],
    [" web-1", /letters, digits/],
    ["web 1", /letters, digits/],
    ["web\n1", /letters, digits/],
    ["web::1", /letters, digits/],
    ["web;1", /letters, digits/],
    ["-web", /start with a letter, digit, '_' or '\.'/],
    ["/web", /start with a letter, digit, '_' or '\.'/],
    ["web/", /'\/' separates non-empty parts/],
    ["pool//web", /'\/' separates non-empty parts/],
    ["a".repeat(254), /at most 253 characters, got 254/],
  ])("refuses %j", (name, reason) => {
    expect(entryNameProblem(name)).toMatch(reason);
  });

  test("a refused name is shown escaped, never raw, in the entry's label", () => {
    const problems = stackProblems(settings({ nodes: [{ name: "web\n1", host: "10.213.0.11" }] }));
    expect(problems).toEqual([expect.stringMatching(/^nodes\[0\]: name must be letters, digits, .* got "web\\n1"$/)]);
  });
});
