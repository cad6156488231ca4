import { validateWorkerNodeInputs } from "../../../providers/worker-node/validate";
import { stackProblems } from "../../../stacks/stack-problems";
import { checkGroups, checkRefusalPattern, deepMerge, hostileCases, inputsOf, previewGroups, refusalPattern, stackSettingsOf, type LabStackConfig } from "../../support/hostile-input";

// The lab stack's valid config, as test/e2e/support/lab-stack.ts writes it (the key's text aside).
const lab: LabStackConfig = {
  apiServerEndpoint: "10.213.0.1:6443",
  packages: {
    aptRepository: "http://10.213.0.1:8080/kubernetes/core:/stable:/v1.36/deb/",
    aptDistribution: "/",
    aptKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGP...\n-----END PGP PUBLIC KEY BLOCK-----\n",
  },
  kubeadm: { ignorePreflightErrors: ["SystemVerification"] },
  joinTimeout: "3m",
};
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n";

describe("the hostile input corpus", () => {
  test("holds at least 60 cases with unique ids", () => {
    expect(hostileCases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(hostileCases.map((c) => c.id)).size).toBe(hostileCases.length);
  });

  test("the lab config it is merged over is valid, so each refusal is the case's own", () => {
    const none = { id: "none", description: "no change", field: "" };
    expect(validateWorkerNodeInputs(inputsOf(none, lab, privateKey))).toEqual([]);
    expect(stackProblems(stackSettingsOf(none, lab))).toEqual([]);
  });

  test("preview groups hold every case once, and no two cases of a group set the same config field", () => {
    const groups = previewGroups(hostileCases);
    expect(groups.flat().map((c) => c.id).sort()).toEqual(hostileCases.map((c) => c.id).sort());
    expect(groups.length).toBeLessThan(hostileCases.length);
  });
});

describe("the stack program's checks refuse every hostile case it can be given, naming its field (and the name meant, for a misspelt one)", () => {
  test.each(hostileCases.filter((c) => !c.resourceOnly).map((c) => [c.id, c.description, c] as const))("%s: %s", (_id, _description, c) => {
    expect(stackProblems(stackSettingsOf(c, lab)).join("\n")).toMatch(refusalPattern(c, 0));
  });
});

describe("validateWorkerNodeInputs (the resource's own check) refuses every case a WorkerNode input carries, naming its field", () => {
  test.each(hostileCases.filter((c) => !c.stackOnly).map((c) => [c.id, c.description, c] as const))("%s: %s", (_id, _description, c) => {
    const failures = validateWorkerNodeInputs(inputsOf(c, lab, privateKey));
    expect(failures.map((f) => f.property)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${c.field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`))]));
  });
});

describe("the e2e's program of the user's own: one WorkerNode per group of cases (the engine stops a preview at the first invalid resource)", () => {
  const groups = checkGroups(hostileCases, lab, privateKey);
  const plain = inputsOf({ id: "plain", description: "", field: "" }, lab, privateKey);

  test("the groups carry every case a WorkerNode input carries, once, in few WorkerNodes", () => {
    const carried = hostileCases.filter((c) => !c.stackOnly).map((c) => c.id);
    expect(groups.flatMap((g) => g.cases.map((c) => c.case.id)).sort()).toEqual(carried.sort());
    expect(groups.length).toBeLessThan(carried.length / 10);
  });

  test.each(groups.map((g, i) => [i, g.cases.length, g] as const))("group %i: the check names the field of each of its %i cases", (_i, _n, group) => {
    const properties = validateWorkerNodeInputs(deepMerge(plain, group.inputs)).map((f) => f.property);
    const named = (field: string) => properties.some((p) => checkRefusalPattern("g", field).test(`WorkerNode resource 'g': property ${p} value`));
    expect(group.cases.filter((c) => !named(c.field)).map((c) => `${c.case.id} (${c.case.description}): ${c.field}`)).toEqual([]);
  });
});
