import { backendSuite, modeChoiceSuite } from './backend.suite';
import { caseTableSuite } from './cases.suite';
import { describeGpu } from './gpu_env';
import { helperSuite } from './helpers.suite';

/**
 * Every GPU backend test, once per tested gpu.js mode (the best available one, and the WebAssembly
 * mode): headless WebGL runs under `xvfb-run` (`npm test` uses it when installed). Where no gpu.js mode
 * other than plain `cpu` works, this file reports one skipped test saying so.
 */
describeGpu('GPU backend', (mode) => {
  caseTableSuite(mode);
  backendSuite(mode);
  helperSuite(mode);
});

modeChoiceSuite();
