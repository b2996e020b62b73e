import * as fs from 'fs';
import * as path from 'path';
import { kernelTable } from '../../src/backends/backend';
import '../../src/backends/cpu/kernels';
import '../../src/backends/gpujs/kernels';

/**
 * Kernel files are named after the op families they serve, the same on both backends (issue 12): an op
 * type's CPU kernel (`registerKernel('cpu', 'Type', …)` in src/backends/cpu/kernels/F.ts) and its GPU
 * entry (`registerKernel('gpu', 'Type', …)`, a gpu.js kernel or a declared `host` placement) live in
 * files with the same base name F. The registrations are found by a static scan of the sources (string
 * literal types, and `for (const t of ['A', 'B']) registerKernel(backend, t, …)` loops, tuples too); the
 * scan is checked against the kernel tables the modules actually fill, so a registration the scanner
 * cannot read fails the test instead of passing unnoticed.
 */

const ROOT = path.join(__dirname, '../..');
const DIRS = {
  cpu: 'src/backends/cpu/kernels',
  gpu: 'src/backends/gpujs/kernels',
} as const;
type Backend = keyof typeof DIRS;

/**
 * Op types allowed to have their two registrations in differently named files, with the reason.
 * Empty: every family is in same-named files (an op whose GPU entry is a `host` declaration has it in
 * the GPU file named as its CPU kernel's). Add `Type: 'reason'` only for a real exception.
 */
const ALLOWED_MISMATCH: Readonly<Record<string, string>> = {};

/**
 * Modules of a kernel directory that register nothing (helpers of that backend's kernels), and the
 * index modules. Any other module without registrations fails (a family file that lost its kernels).
 */
const HELPER_MODULES: Readonly<Record<Backend, readonly string[]>> = {
  cpu: ['index'],
  // util: data-movement helpers; rows: row assembly for TensorArrays and stacked loop outputs;
  // elementwise: the fused elementwise kernel compiler; loop_history: device records of While loops.
  gpu: ['index', 'util', 'rows', 'elementwise', 'loop_history'],
};

/** `src` with its comments replaced by spaces (string and template literals, nested `${…}`, kept). */
export function stripComments(src: string): string {
  let out = '';
  let i = 0;
  // Open template literals; each entry counts the braces open inside its current `${…}`.
  const templates: number[] = [];
  let inTemplateText = false;
  while (i < src.length) {
    const c = src[i] as string;
    const next = src[i + 1];
    if (inTemplateText) {
      out += c;
      if (c === '\\') {
        out += next ?? '';
        i += 2;
        continue;
      }
      if (c === '`') {
        templates.pop();
        inTemplateText = false;
      } else if (c === '$' && next === '{') {
        out += '{';
        i += 2;
        inTemplateText = false;
        continue;
      }
      i++;
      continue;
    }
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '`') {
      templates.push(0);
      inTemplateText = true;
      out += c;
      i++;
      continue;
    }
    const depth = templates[templates.length - 1];
    if (depth !== undefined && c === '{') templates[templates.length - 1] = depth + 1;
    if (depth !== undefined && c === '}') {
      if (depth === 0) inTemplateText = true;
      else templates[templates.length - 1] = depth - 1;
    }
    out += c;
    i++;
  }
  return out;
}

/** The index of the bracket closing the one at `open` (string literals skipped). */
function closing(src: string, open: number): number {
  const pairs: Record<string, string> = { '[': ']', '(': ')', '{': '}' };
  const stack: string[] = [];
  for (let i = open; i < src.length; i++) {
    const c = src[i] as string;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      i = j;
    } else if (pairs[c]) stack.push(pairs[c] as string);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  throw new Error(`unbalanced bracket at ${open}`);
}

const OP_TYPE = /^[A-Z][A-Za-z0-9]*$/;

/**
 * The op types a module registers, by backend. Throws on a registerKernel call whose type it cannot
 * read (neither a string literal nor the variable of an enclosing for-of loop over a literal array).
 */
export function registrations(source: string, file: string): { backend: string; type: string }[] {
  const src = stripComments(source);
  const found: { backend: string; type: string }[] = [];
  const loopCalls = new Set<number>();
  // for (const t of [...]) registerKernel('b', t, …) — or destructured: for (const [t, x] of [[...], …])
  const loop = /for\s*\(\s*const\s+(?:(\w+)|\[\s*(\w+)[^\]]*\])\s+of\s+\[/g;
  for (let m = loop.exec(src); m; m = loop.exec(src)) {
    const variable = (m[1] ?? m[2]) as string;
    const open = m.index + m[0].length - 1;
    const end = closing(src, open);
    const list = src.slice(open + 1, end);
    const forOpen = src.indexOf('(', m.index);
    const bodyStart = closing(src, forOpen) + 1;
    const body = src.slice(
      bodyStart,
      /^\s*\{/.test(src.slice(bodyStart))
        ? closing(src, src.indexOf('{', bodyStart))
        : src.indexOf(';', bodyStart),
    );
    const call = new RegExp(`registerKernel\\(\\s*'(\\w+)'\\s*,\\s*${variable}\\s*,`).exec(body);
    if (!call) continue;
    loopCalls.add(bodyStart + call.index);
    const types = m[1]
      ? [...list.matchAll(/'([^']*)'/g)].map((t) => t[1] as string)
      : [...list.matchAll(/\[\s*'([^']*)'/g)].map((t) => t[1] as string);
    for (const type of types) {
      if (!OP_TYPE.test(type)) throw new Error(`${file}: loop registers '${type}', not an op type`);
      found.push({ backend: call[1] as string, type });
    }
  }
  const any = /registerKernel\(\s*(?:'(\w+)'\s*,\s*(?:'(\w+)')?)?/g;
  for (let m = any.exec(src); m; m = any.exec(src)) {
    if (m[1] && m[2]) found.push({ backend: m[1], type: m[2] });
    else if (!loopCalls.has(m.index)) {
      const line = src.slice(0, m.index).split('\n').length;
      throw new Error(`${file}:${line}: a registerKernel call this scan cannot read; extend the scanner`);
    }
  }
  return found;
}

/** Module base name → op types it registers for `backend`, over the backend's kernel directory. */
function scan(backend: Backend): Map<string, string[]> {
  const dir = path.join(ROOT, DIRS[backend]);
  const byFile = new Map<string, string[]>();
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.ts')) continue;
    const file = path.join(DIRS[backend], name);
    const regs = registrations(fs.readFileSync(path.join(dir, name), 'utf8'), file);
    for (const r of regs) {
      if (r.backend !== backend) throw new Error(`${file} registers a ${r.backend} kernel (${r.type})`);
    }
    byFile.set(
      name.slice(0, -3),
      regs.map((r) => r.type),
    );
  }
  return byFile;
}

/** Op type → the module registering it. */
function owners(byFile: Map<string, string[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, types] of byFile) for (const t of types) out.set(t, file);
  return out;
}

describe('kernel files (issue 12): one family, one file name, on both backends', () => {
  const files = { cpu: scan('cpu'), gpu: scan('gpu') };
  const owner = { cpu: owners(files.cpu), gpu: owners(files.gpu) };

  test.each(['cpu', 'gpu'] as const)(
    'the %s scan finds exactly the kernels the modules register (no type missed, none twice)',
    (backend) => {
      const scanned = [...files[backend].values()].flat();
      expect(new Set(scanned).size).toBe(scanned.length);
      expect(new Set(scanned)).toEqual(new Set(kernelTable(backend).keys()));
      expect(scanned.length).toBeGreaterThan(100);
    },
  );

  test('every op type has its CPU and GPU registrations in files of the same name', () => {
    const mismatches: string[] = [];
    for (const type of new Set([...owner.cpu.keys(), ...owner.gpu.keys()])) {
      const c = owner.cpu.get(type);
      const g = owner.gpu.get(type);
      if (c === g || type in ALLOWED_MISMATCH) continue;
      mismatches.push(`${type}: cpu ${c ?? '(none)'}.ts, gpu ${g ?? '(none)'}.ts`);
    }
    expect(mismatches).toEqual([]);
    // The allowlist holds only real exceptions: registered types whose files differ.
    for (const type of Object.keys(ALLOWED_MISMATCH)) {
      expect([type, owner.cpu.has(type)]).toEqual([type, true]);
      expect([type, owner.cpu.get(type) === owner.gpu.get(type)]).toEqual([type, false]);
    }
  });

  test.each(['cpu', 'gpu'] as const)(
    'every %s kernel module registers kernels or is a declared helper, and kernels/index.ts imports each',
    (backend) => {
      const index = stripComments(fs.readFileSync(path.join(ROOT, DIRS[backend], 'index.ts'), 'utf8'));
      const imported = new Set([...index.matchAll(/import '\.\/(\w+)'/g)].map((m) => m[1]));
      for (const [file, types] of files[backend]) {
        if (HELPER_MODULES[backend].includes(file)) {
          expect([file, types]).toEqual([file, []]);
          continue;
        }
        expect([file, types.length > 0]).toEqual([file, true]);
        expect([file, imported.has(file)]).toEqual([file, true]);
      }
    },
  );

  test('the scanner reads literal, looped and tuple-looped registrations and ignores comments', () => {
    const src = [
      "// registerKernel('cpu', 'InComment', k);",
      "/* registerKernel('cpu', 'InBlock', k); */",
      'const s = `a ${f(`//`)} b`; registerKernel(',
      "  'cpu',",
      "  'Multi', k);",
      "for (const t of ['A', 'B'] as const) registerKernel('cpu', t, k);",
      "for (const [t, sign] of [['C', '+'], ['D', '-']] as const) {",
      "  registerKernel('cpu', t, make(sign));",
      '}',
    ].join('\n');
    expect(registrations(src, 'x.ts').map((r) => r.type)).toEqual(['A', 'B', 'C', 'D', 'Multi']);
    expect(() => registrations("registerKernel('cpu', name, k);", 'y.ts')).toThrow(/cannot read/);
  });
});
