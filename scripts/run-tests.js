#!/usr/bin/env node
// `npm test`: runs jest, under a virtual X display (xvfb-run) when one is needed and available, so the
// GPU backend's headless-WebGL tests run for real on machines without a screen. Extra args go to jest.
const { spawnSync } = require('child_process');
const args = process.argv.slice(2);
const jest = require.resolve('jest/bin/jest');
const hasXvfb = !process.env.DISPLAY && spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const cmd = hasXvfb ? 'xvfb-run' : process.execPath;
const cmdArgs = hasXvfb ? ['-a', '-s', '-screen 0 1280x1024x24', process.execPath, jest, ...args] : [jest, ...args];
const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
