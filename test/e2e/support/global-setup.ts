import { startHostSampler } from "./host-sampler";

// jest's globalSetup of the e2e tier (jest.config.js): the host process sampler runs from before the
// tier's first test to after its last, so every join of every suite is sampled for the secrets scan.
export = async function e2eGlobalSetup(): Promise<void> {
  const sampler = await startHostSampler();
  console.log(`\ne2e: host process sampler started (pid ${sampler.pid})`);
};
