// Tests are compiled by `tsc` first and run as the JavaScript that ships (dist/), the same code the
// serialized dynamic provider loads at run time. Each tier is a jest project and can run alone:
//   npx jest --selectProjects unit
const tier = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: "node",
  rootDir: __dirname,
  // Only the compiled code: .lab/ holds host disks and etcd data that jest must never crawl.
  roots: ["<rootDir>/dist"],
  testMatch: [`<rootDir>/dist/test/${name}/**/*.test.js`],
  ...extra,
});

module.exports = {
  projects: [
    tier("unit"),
    tier("integration"),
    // The lab hosts' command lines are sampled from before the tier's first test to after its last
    // (for the secrets scan): test/e2e/support/host-sampler.ts.
    tier("e2e", {
      globalSetup: "<rootDir>/dist/test/e2e/support/global-setup.js",
      globalTeardown: "<rootDir>/dist/test/e2e/support/global-teardown.js",
    }),
  ],
  // The e2e secrets scan reads what the rest of the tier left, so it goes last.
  testSequencer: "<rootDir>/test/sequencer.js",
};
