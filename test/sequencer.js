// jest's default order, except three kinds of e2e tests that go last: those that need the Kubernetes
// resource plugin, which test/run.sh builds in the background (so the tests before them overlap the
// build), then the secrets scan, which reads what every other e2e test left
// (test/e2e/support/capture.ts), and last the check that no process a test started survives it.
const Sequencer = require("@jest/test-sequencer").default;

const isScan = (test) => /secrets-scan\.test\.js$/.test(test.path);
const isLeftoverCheck = (test) => /no-process-left\.test\.js$/.test(test.path);
const needsKubernetesPlugin = (test) => /least-privilege\.test\.js$/.test(test.path);

module.exports = class PluginThenScanThenLeftoversLast extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const rest = sorted.filter((t) => !isScan(t) && !needsKubernetesPlugin(t) && !isLeftoverCheck(t));
    return [...rest, ...sorted.filter(needsKubernetesPlugin), ...sorted.filter(isScan), ...sorted.filter(isLeftoverCheck)];
  }
};
