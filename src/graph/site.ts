import * as path from 'path';

/** Root of this library's own code (src/ when run from source, dist/cjs/ when built). */
const LIBRARY_DIR = path.resolve(__dirname, '..');

/**
 * The `file:line` of the first stack frame outside this library: where the user's code created an op.
 * Captured once per op at build time, so errors at run time can point at the user's line.
 */
export function userCallSite(): string {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = saved;
  for (const line of stack.split('\n').slice(1)) {
    const m = /(?:^at\s+(?:.*?\()?|\()((?:[A-Za-z]:)?[^():]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!m) continue;
    const file = m[1] as string;
    if (file.startsWith('node:') || file.includes('node_modules')) continue;
    if (file.startsWith(LIBRARY_DIR + path.sep)) continue;
    return `${path.relative(process.cwd(), file) || file}:${m[2]}`;
  }
  return '<unknown>';
}
