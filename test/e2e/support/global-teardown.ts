import { stopHostSampler } from "./host-sampler";
import { testProcessesLeft } from "./test-processes";

// jest's globalTeardown of the e2e tier (jest.config.js): stops the host process sampler, then names
// any process the tests started that still runs (test/e2e/no-process-left.test.ts asserts there is
// none when it runs; this line also covers a run of a few suites without it).
export = async function e2eGlobalTeardown(): Promise<void> {
  console.log(`e2e: ${await stopHostSampler()}`);
  const left = testProcessesLeft();
  if (left.length > 0) console.warn(`e2e: processes the tests started still run:\n  ${left.join("\n  ")}`);
};
