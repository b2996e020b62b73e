// Where an op was created: the user's frame in CommonJS and ES-module stack traces (issue 11).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isLibraryFrame, libraryDir, parseStackFrame } from '../../src/graph/site';
import * as tf from '../../src';

describe('parseStackFrame', () => {
  test('CommonJS frames, with and without a function name', () => {
    expect(parseStackFrame('    at main (/home/u/proj/train.js:12:5)')).toEqual({
      file: '/home/u/proj/train.js',
      line: 12,
      column: 5,
    });
    expect(parseStackFrame('    at /home/u/proj/train.js:3:9')).toEqual({
      file: '/home/u/proj/train.js',
      line: 3,
      column: 9,
    });
    expect(parseStackFrame('    at Object.<anonymous> (/home/u/my dir/a.js:7:1)')?.file).toBe(
      '/home/u/my dir/a.js',
    );
    expect(parseStackFrame('    at new Model (/x/m.js:1:2)')?.file).toBe('/x/m.js');
  });

  test('ES-module frames: file:// URLs become paths (percent-decoded)', () => {
    expect(parseStackFrame('    at file:///home/u/proj/train.mjs:12:5')).toEqual({
      file: '/home/u/proj/train.mjs',
      line: 12,
      column: 5,
    });
    expect(parseStackFrame('    at build (file:///home/u/my%20dir/m%C3%BCller.mjs:4:11)')).toEqual({
      file: '/home/u/my dir/müller.mjs',
      line: 4,
      column: 11,
    });
    expect(parseStackFrame('    at async main (file:///home/u/a.mjs:20:3)')?.line).toBe(20);
  });

  test('frames without a file location', () => {
    expect(parseStackFrame('    at Array.forEach (<anonymous>)')).toBeUndefined();
    expect(parseStackFrame('    at new Promise (native)')).toBeUndefined();
    expect(parseStackFrame('Error: boom')).toBeUndefined();
    expect(parseStackFrame('    at node:internal/main/run_main_module:28:49')?.file).toBe(
      'node:internal/main/run_main_module',
    );
  });
});

describe('library frames', () => {
  test('the built package: dist/cjs and dist/esm are both library code', () => {
    const root = path.resolve('/pkg/node_modules/tensorgraph/dist');
    expect(libraryDir(path.join(root, 'cjs'))).toBe(root);
    expect(libraryDir(path.resolve('/repo/src'))).toBe(path.resolve('/repo/src'));
    const lib = path.resolve('/repo/dist');
    expect(isLibraryFrame(path.join(lib, 'esm', 'index.mjs'), lib)).toBe(true);
    expect(isLibraryFrame(path.join(lib, 'cjs', 'graph', 'graph.js'), lib)).toBe(true);
    expect(isLibraryFrame(path.resolve('/repo/distribution/user.js'), lib)).toBe(false);
    expect(isLibraryFrame('node:internal/modules/run_main', lib)).toBe(true);
    expect(isLibraryFrame(path.resolve('/app/node_modules/dep/x.js'), lib)).toBe(true);
    expect(isLibraryFrame(path.resolve('/app/train.mjs'), lib)).toBe(false);
  });

  test('an op built here points at this test file', () => {
    const g = new tf.Graph();
    const x = g.asDefault(() => tf.placeholder('float32', [2], 'x'));
    expect(x.op.site).toMatch(/site\.test\.ts:\d+$/);
  });
});

describe('an ES-module user script', () => {
  test('its ops point at the .mjs file and line (not <unknown>)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg site '));
    const script = path.join(dir, 'my model.mjs');
    const repo = path.resolve(__dirname, '../..');
    fs.writeFileSync(
      script,
      [
        "import { createRequire } from 'module';",
        'const require = createRequire(import.meta.url);',
        `require(${JSON.stringify(path.join(repo, 'node_modules/ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(repo, 'tsconfig.json'))} });`,
        `const tf = require(${JSON.stringify(path.join(repo, 'src/index.ts'))});`,
        "const x = tf.placeholder('float32', [2], 'x');",
        'console.log(x.op.site);',
        '',
      ].join('\n'),
    );
    try {
      const out = execFileSync(process.execPath, [script], { cwd: dir, encoding: 'utf8', timeout: 120000 });
      expect(out.trim()).toBe('my model.mjs:5');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 150000);
});
