import { withArmed } from "../../support/armed-cuts";

// An armed SSH cutter left on a host would cut a later test's session (faults.test.ts): every one
// armed is stopped, whatever fails, and a failure to stop one is never silent.
class FakeCut {
  disarmed = 0;
  constructor(readonly name: string, private readonly disarmError?: Error) {}
  disarm(): Promise<void> {
    this.disarmed++;
    return this.disarmError ? Promise.reject(this.disarmError) : Promise.resolve();
  }
}

test("every cut is armed before the body runs, and disarmed after it; the body's value is returned", async () => {
  const cuts = [new FakeCut("a"), new FakeCut("b")];
  const seen: number[][] = [];
  const value = await withArmed(
    cuts.map((cut) => () => Promise.resolve(cut)),
    (armed) => (seen.push(armed.map((c) => c.disarmed)), Promise.resolve(armed.map((c) => c.name).join("+"))),
  );
  expect(value).toBe("a+b");
  expect(seen).toEqual([[0, 0]]);
  expect(cuts.map((c) => c.disarmed)).toEqual([1, 1]);
});

test("arming the second fails: the first, already armed, is disarmed, and the arming error is thrown", async () => {
  const first = new FakeCut("a");
  let bodyRan = false;
  const error = await withArmed([() => Promise.resolve(first), () => Promise.reject(new Error("on lab-host-2: echo … exited 255"))], () => {
    bodyRan = true;
    return Promise.resolve();
  }).catch((e: Error) => e);
  expect((error as Error).message).toBe("on lab-host-2: echo … exited 255");
  expect(bodyRan).toBe(false);
  expect(first.disarmed).toBe(1);
});

test("the body fails: every cut is disarmed, and the body's error is thrown", async () => {
  const cuts = [new FakeCut("a"), new FakeCut("b")];
  const error = await withArmed(cuts.map((cut) => () => Promise.resolve(cut)), () => Promise.reject(new Error("expect failed"))).catch((e: Error) => e);
  expect(error.message).toBe("expect failed");
  expect(cuts.map((c) => c.disarmed)).toEqual([1, 1]);
});

test("one cut cannot be disarmed: the others still are, and the error says so, after the body's own error if it had one", async () => {
  const cuts = [new FakeCut("a", new Error("ssh to lab-host-1 timed out")), new FakeCut("b")];
  const arms = cuts.map((cut) => () => Promise.resolve(cut));

  const afterSuccess = await withArmed(arms, () => Promise.resolve("ok")).catch((e: Error) => e);
  expect((afterSuccess as Error).message).toBe("1 armed cut(s) could not be disarmed (each may still fire on its host): ssh to lab-host-1 timed out");

  const afterFailure = await withArmed(arms, () => Promise.reject(new Error("expect failed"))).catch((e: Error) => e);
  expect(afterFailure.message).toBe("expect failed; and 1 armed cut(s) could not be disarmed (each may still fire on its host): ssh to lab-host-1 timed out");
  expect(cuts.map((c) => c.disarmed)).toEqual([2, 2]);
});
