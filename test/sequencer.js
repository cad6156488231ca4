// jest's default order, except the e2e secrets scan, which reads what every other e2e test left
// (test/e2e/support/capture.ts) and so runs last.
const Sequencer = require("@jest/test-sequencer").default;

const isScan = (test) => /secrets-scan\.test\.js$/.test(test.path);

module.exports = class ScanLast extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    return [...sorted.filter((t) => !isScan(t)), ...sorted.filter(isScan)];
  }
};
