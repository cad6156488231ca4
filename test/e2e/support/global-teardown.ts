import { stopHostSampler } from "./host-sampler";

// jest's globalTeardown of the e2e tier (jest.config.js): stops the host process sampler.
export = async function e2eGlobalTeardown(): Promise<void> {
  console.log(`e2e: ${await stopHostSampler()}`);
};
