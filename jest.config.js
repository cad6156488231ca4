// Tests are compiled by `tsc` first and run as the JavaScript that ships (dist/), the same code the
// serialized dynamic provider loads at run time. Each tier is a jest project and can run alone:
//   npx jest --selectProjects unit
const tier = (name) => ({
  displayName: name,
  testEnvironment: "node",
  rootDir: __dirname,
  // Only the compiled code: .lab/ holds host disks and etcd data that jest must never crawl.
  roots: ["<rootDir>/dist"],
  testMatch: [`<rootDir>/dist/test/${name}/**/*.test.js`],
});

module.exports = {
  projects: [tier("unit"), tier("integration"), tier("e2e")],
  // The e2e secrets scan reads what the rest of the tier left, so it goes last.
  testSequencer: "<rootDir>/test/sequencer.js",
};
