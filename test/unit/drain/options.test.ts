import { defaultDrainOptions, resolveDrainOptions } from "../../../providers/drain/options";

describe("resolveDrainOptions", () => {
  test.each([
    { description: "nothing", input: undefined },
    { description: "null", input: null },
    { description: "an empty object", input: {} },
  ])("gives the documented defaults for $description", ({ input }) => {
    expect(resolveDrainOptions(input)).toEqual({
      ok: true,
      options: {
        force: false,
        deleteEmptyDirData: false,
        ignoreDaemonSets: true,
        disableEviction: false,
        gracePeriodSeconds: undefined,
        timeoutSeconds: 600,
        skipWaitForDeleteTimeoutSeconds: 0,
        waitForReplacements: true,
        checkCapacity: true,
        volumeDetachTimeoutSeconds: 300,
        maxConcurrentDrains: 1,
      },
    });
  });

  test("keeps what was given and fills the rest", () => {
    // GIVEN a user who only wants a longer timeout and to lose emptyDir data
    const resolved = resolveDrainOptions({ timeoutSeconds: 1800, deleteEmptyDirData: true, gracePeriodSeconds: 30 });
    // THEN those three change and every other field keeps its default
    expect(resolved).toEqual({
      ok: true,
      options: { ...defaultDrainOptions, timeoutSeconds: 1800, deleteEmptyDirData: true, gracePeriodSeconds: 30 },
    });
  });

  test.each([
    { description: "skipWaitForDeleteTimeoutSeconds 0", input: { skipWaitForDeleteTimeoutSeconds: 0 } },
    { description: "gracePeriodSeconds 1", input: { gracePeriodSeconds: 1 } },
    { description: "ignoreDaemonSets true", input: { ignoreDaemonSets: true } },
    { description: "maxConcurrentDrains 3", input: { maxConcurrentDrains: 3 } },
  ])("accepts the boundary value $description", ({ input }) => {
    expect(resolveDrainOptions(input).ok).toBe(true);
  });

  test.each([
    { description: "a negative timeout", input: { timeoutSeconds: -1 }, failure: "drain.timeoutSeconds must be a positive integer, got -1" },
    { description: "a zero timeout", input: { timeoutSeconds: 0 }, failure: "drain.timeoutSeconds must be a positive integer, got 0" },
    { description: "a fractional timeout", input: { timeoutSeconds: 1.5 }, failure: "drain.timeoutSeconds must be a positive integer, got 1.5" },
    { description: "a timeout as text", input: { timeoutSeconds: "600" }, failure: 'drain.timeoutSeconds must be a positive integer, got "600"' },
    { description: "force as text", input: { force: "yes" }, failure: 'drain.force must be true or false, got "yes"' },
    { description: "checkCapacity as a number", input: { checkCapacity: 1 }, failure: "drain.checkCapacity must be true or false, got 1" },
    {
      description: "a zero grace period",
      input: { gracePeriodSeconds: 0 },
      failure: "drain.gracePeriodSeconds must be an integer >= 1 (leave it unset to use each pod's own grace period), got 0",
    },
    {
      description: "a negative skip timeout",
      input: { skipWaitForDeleteTimeoutSeconds: -5 },
      failure: "drain.skipWaitForDeleteTimeoutSeconds must be an integer >= 0 (0 waits for every pod), got -5",
    },
    { description: "no concurrent drains", input: { maxConcurrentDrains: 0 }, failure: "drain.maxConcurrentDrains must be a positive integer, got 0" },
    { description: "an array", input: [], failure: "drain must be an object of drain options, got []" },
    { description: "a string", input: "force", failure: 'drain must be an object of drain options, got "force"' },
  ])("refuses $description, naming the field and the rule", ({ input, failure }) => {
    expect(resolveDrainOptions(input)).toEqual({ ok: false, failures: [failure] });
  });

  test("refuses ignoreDaemonSets false and says why", () => {
    const resolved = resolveDrainOptions({ ignoreDaemonSets: false });
    expect(resolved.ok).toBe(false);
    expect(!resolved.ok && resolved.failures).toEqual([
      expect.stringMatching(/^drain\.ignoreDaemonSets must be true, got false: DaemonSet pods are always left in place/),
    ]);
  });

  test("refuses a misspelt option, names the one meant and lists the known ones", () => {
    const resolved = resolveDrainOptions({ deleteEmptydirData: true });
    expect(!resolved.ok && resolved.failures).toEqual([
      expect.stringMatching(/^drain\.deleteEmptydirData is not a drain option; did you mean "deleteEmptyDirData"\? \(known: force, deleteEmptyDirData, ignoreDaemonSets, /),
    ]);
  });

  test("reports every broken field at once, unknown fields first", () => {
    const resolved = resolveDrainOptions({ timeoutSeconds: -1, force: "no", bogus: 1 });
    expect(!resolved.ok && resolved.failures.map((failure) => failure.split(" ")[0])).toEqual([
      "drain.bogus",
      "drain.force",
      "drain.timeoutSeconds",
    ]);
  });
});
