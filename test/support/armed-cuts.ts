/** Something armed on a lab host that must be stopped after its test (an SSH cutter). */
export interface Disarmable {
  disarm(): Promise<void>;
}

/**
 * Arms each in turn, runs the body with them, then disarms every one that was armed: also when a
 * later one fails to arm, or the body fails, since a cutter left armed would fire in a later test.
 * Every disarm is tried; one that fails is reported, after the body's own error if there was one.
 */
export async function withArmed<C extends Disarmable, T>(arms: readonly (() => Promise<C>)[], body: (armed: C[]) => Promise<T>): Promise<T> {
  const armed: C[] = [];
  let outcome: PromiseSettledResult<T>;
  try {
    for (const arm of arms) armed.push(await arm());
    outcome = { status: "fulfilled", value: await body(armed) };
  } catch (reason) {
    outcome = { status: "rejected", reason };
  }
  const stops = await Promise.allSettled(armed.map((cut) => cut.disarm()));
  const stopFailures = stops.flatMap((stop) => (stop.status === "rejected" ? [(stop.reason as Error).message ?? String(stop.reason)] : []));
  if (stopFailures.length > 0) {
    const message = `${stopFailures.length} armed cut(s) could not be disarmed (each may still fire on its host): ${stopFailures.join("; ")}`;
    throw new Error(outcome.status === "rejected" ? `${(outcome.reason as Error).message}; and ${message}` : message, outcome.status === "rejected" ? { cause: outcome.reason } : undefined);
  }
  if (outcome.status === "rejected") throw outcome.reason;
  return outcome.value;
}
