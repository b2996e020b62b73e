#!/usr/bin/env node
// `npm test`: runs jest, under a virtual X display (xvfb-run) when one is needed and available, so the
// GPU backend's headless-WebGL tests run for real on machines without a screen. Extra args go to jest.
// `--slow` (`npm run test:slow`) runs only the long tutorial trainings (`*.slow.test.ts`) instead.
const { spawnSync } = require('child_process');
const args = process.argv.slice(2);
const slowAt = args.indexOf('--slow');
const env = { ...process.env };
if (slowAt >= 0) {
  args.splice(slowAt, 1);
  env.TENSORGRAPH_SLOW_TESTS = '1';
}
const jest = require.resolve('jest/bin/jest');
const hasXvfb = !process.env.DISPLAY && spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const cmd = hasXvfb ? 'xvfb-run' : process.execPath;
const cmdArgs = hasXvfb ? ['-a', '-s', '-screen 0 1280x1024x24', process.execPath, jest, ...args] : [jest, ...args];
const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env });
// The browser tests take about 2 minutes more (SwiftShader), so they run from `npm run test:browser` and .ci/run.
if (args.length === 0 && slowAt < 0) {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  console.log(
    require('fs').existsSync(chromium)
      ? `browser tests: not part of npm test (~3 min); run \`npm run test:browser\` (Chromium found at ${chromium}; .ci/run does)`
      : `browser tests: skipped (no Chromium at ${chromium}; install Debian's chromium, then \`npm run test:browser\`)`,
  );
}
process.exit(r.status === null ? 1 : r.status);
