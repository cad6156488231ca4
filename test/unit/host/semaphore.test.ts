import { Semaphore } from "../../../providers/host/semaphore";

test("holds at most `limit` slots and serves waiters in order", async () => {
  const semaphore = new Semaphore(2);
  const order: string[] = [];
  const a = await semaphore.acquire();
  const b = await semaphore.acquire();
  const c = semaphore.acquire().then((release) => (order.push("c"), release));
  const d = semaphore.acquire().then((release) => (order.push("d"), release));
  await Promise.resolve();
  expect(order).toEqual([]);

  a();
  const releaseC = await c;
  expect(order).toEqual(["c"]);
  b();
  b(); // a second release of the same slot is ignored
  const releaseD = await d;
  expect(order).toEqual(["c", "d"]);

  releaseC();
  releaseD();
  // both slots free again: two acquisitions resolve at once
  await Promise.all([semaphore.acquire(), semaphore.acquire()]);
});

test("refuses a limit below 1", () => {
  expect(() => new Semaphore(0)).toThrow(/at least 1, got 0/);
});
