import { stridesOf } from '../../graph/shape';
import type { Program } from './runtime';

/**
 * Kernel source generation. Every program is a gpu.js kernel written in gpu.js's JavaScript subset: one
 * float per output element, the element's flat row-major index being `this.thread.x`. Shapes, strides and
 * attrs are baked in as literals (gpu.js then needs no dynamic sizes, and GLSL ES 1.0 loops get constant
 * bounds). Math that GLSL gets wrong or imprecise (pow of negatives, tanh overflow, expm1/log1p near 0,
 * NaN-propagating max/min, half-to-even rounding) goes through the helper functions below, declared
 * inside the kernel body when used.
 */

/** A float literal gpu.js types as Float: `3` → `3.0`, `1e-7` stays. Non-finite values are refused. */
export function lit(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`internal: non-finite literal ${v} in kernel source`);
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** An integer literal (an index or a count). */
export function ilit(v: number): string {
  if (!Number.isInteger(v)) throw new Error(`internal: non-integer index literal ${v}`);
  return String(v);
}

/**
 * GPU math helpers in gpu.js JavaScript, by name; a kernel gets the ones it uses (with their
 * dependencies) as gpu.js functions typed Number → Number, so every backend's type inference agrees
 * (left untyped, gpu.js's webasm mode infers them from the first call and can pick integers).
 */
const HELPERS: Record<string, { deps?: string[]; src: string }> = {
  tgBool: { src: 'function tgBool(x) { return (x !== 0.0 && x === x) ? 1.0 : 0.0; }' },
  tgSquare: { src: 'function tgSquare(x) { return x * x; }' },
  tgCube: { src: 'function tgCube(x) { return x * x * x; }' },
  tgMax: { src: 'function tgMax(a, b) { return (a >= b || a !== a) ? a : b; }' },
  tgMin: { src: 'function tgMin(a, b) { return (a <= b || a !== a) ? a : b; }' },
  tgSign: { src: 'function tgSign(x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : x); }' },
  tgToInt: {
    src: 'function tgToInt(x) { let r = 0.0; if (x === x && Math.abs(x) < 2147483648.0) { if (x < 0.0) { r = Math.ceil(x); } else { r = Math.floor(x); } } return r; }',
  },
  tgRound: {
    src: 'function tgRound(x) { let r = 0.0; r = Math.floor(x + 0.5); if (r - x === 0.5) { let h = 0.0; h = r * 0.5; if (Math.floor(h) !== h) { r = r - 1.0; } } if (x !== x) { r = x; } return r; }',
  },
  tgExpm1: {
    src: 'function tgExpm1(x) { let u = 0.0; u = Math.exp(x); let r = 0.0; r = u - 1.0; if (u === 1.0) { r = x; } else if (x > -20.0 && x < 20.0) { r = (u - 1.0) * x / Math.log(u); } return r; }',
  },
  tgLog1p: {
    src: 'function tgLog1p(x) { let u = 0.0; u = 1.0 + x; let r = 0.0; r = Math.log(u); if (u === 1.0) { r = x; } else if (u > 0.0 && u < 1e30) { r = Math.log(u) * x / (u - 1.0); } return r; }',
  },
  tgTanh: {
    deps: ['tgExpm1'],
    src: 'function tgTanh(x) { let r = 0.0; r = x; if (x > 10.0) { r = 1.0; } else if (x < -10.0) { r = -1.0; } else if (x === x) { let e = 0.0; e = tgExpm1(2.0 * x); r = e / (e + 2.0); } return r; }',
  },
  tgSinh: {
    deps: ['tgExpm1'],
    src: 'function tgSinh(x) { let r = 0.0; r = 0.5 * (Math.exp(x) - Math.exp(-x)); if (Math.abs(x) < 1.0) { r = 0.5 * (tgExpm1(x) - tgExpm1(-x)); } return r; }',
  },
  tgCosh: { src: 'function tgCosh(x) { return 0.5 * (Math.exp(x) + Math.exp(-x)); }' },
  tgSigmoid: {
    src: 'function tgSigmoid(x) { let r = 0.0; if (x >= 0.0) { r = 1.0 / (1.0 + Math.exp(-x)); } else { let e = 0.0; e = Math.exp(x); r = e / (1.0 + e); } if (x !== x) { r = x; } return r; }',
  },
  tgSoftplus: {
    deps: ['tgLog1p'],
    src: 'function tgSoftplus(x) { let r = 0.0; if (x > 0.0) { r = x + tgLog1p(Math.exp(-x)); } else { r = tgLog1p(Math.exp(x)); } if (x !== x) { r = x; } return r; }',
  },
  // JS Math.pow semantics: negative bases with integer exponents keep their sign; other negatives are NaN
  // (log of the negative base yields it at run time, where no compiler can fold it away).
  tgPow: {
    src: 'function tgPow(x, y) { let r = 0.0; if (y === 0.0) { r = 1.0; } else if (x > 0.0) { r = Math.pow(x, y); } else if (x === 0.0) { if (y > 0.0) { r = 0.0; } else { r = 1.0 / x; } } else { let fy = 0.0; fy = Math.floor(y); if (fy !== y) { r = Math.log(x); if (x < -3.0e38) { if (y > 0.0) { r = -x; } else { r = 0.0; } } } else { let m = 0.0; m = Math.pow(-x, y); let h = 0.0; h = fy * 0.5; if (Math.floor(h) === h) { r = m; } else { r = -m; } } } if (y !== 0.0) { if (x > 3.0e38) { if (y > 0.0) { r = x; } else { r = 0.0; } } if (x !== x) { r = x; } if (y !== y) { r = y; } } return r; }',
  },
};

/** Names of every helper (tests run each one on every mode). */
export const HELPER_NAMES: readonly string[] = Object.keys(HELPERS);

/** Adds `name` and its dependencies to `used` (dependencies first). */
export function useHelper(used: Set<string>, name: string): string {
  const h = HELPERS[name];
  if (!h) throw new Error(`internal: unknown GPU helper ${name}`);
  for (const d of h.deps ?? []) useHelper(used, d);
  used.add(name);
  return name;
}

/** gpu.js function definitions (typed) of the named helpers. */
export function helperFunctions(names: readonly string[]): { source: string; settings: object }[] {
  return names.map((name) => {
    const src = (HELPERS[name] as { src: string }).src;
    const params = (/\(([^)]*)\)/.exec(src)?.[1] ?? '').split(',').map((p) => p.trim());
    const argumentTypes = Object.fromEntries(params.map((p) => [p, 'Number']));
    return { source: src, settings: { argumentTypes, returnType: 'Number' } };
  });
}

/**
 * Assembles a kernel: `args` are the tensor arguments (flat float arrays), `body` the statements
 * computing the element at flat index `i` and returning it; `helpers` the helper functions it calls.
 */
export function makeProgram(
  size: number,
  args: readonly string[],
  body: string,
  helpers: ReadonlySet<string> = new Set(),
): Program {
  const source = `function(${args.join(', ')}) {\nconst i = this.thread.x;\n${body}\n}`;
  return { source, size, helpers: [...helpers] };
}

/**
 * Statements declaring `${prefix}0 … ${prefix}{rank-1}`, the coordinates of flat index `index` in a
 * row-major array of `shape` (integer math; size-1 axes give constant 0).
 */
export function coords(shape: readonly number[], index = 'i', prefix = 'c'): string {
  const lines: string[] = [];
  const rank = shape.length;
  if (rank === 0) return '';
  let rest = index;
  for (let ax = rank - 1; ax >= 0; ax--) {
    const d = shape[ax] as number;
    const name = `${prefix}${ax}`;
    if (ax === 0) {
      lines.push(`const ${name} = ${rest};`);
      break;
    }
    if (d === 1) {
      lines.push(`const ${name} = 0;`);
      continue;
    }
    const q = `${prefix}q${ax}`;
    lines.push(
      `const ${q} = Math.floor(${rest} / ${ilit(d)});`,
      `const ${name} = ${rest} - ${q} * ${ilit(d)};`,
    );
    rest = q;
  }
  return lines.join('\n');
}

/** `Σ c_k · stride_k` over the axes with non-zero stride: a flat index expression (`0` when none). */
export function linear(coordNames: readonly string[], strides: readonly number[], base = 0): string {
  const terms: string[] = base ? [ilit(base)] : [];
  coordNames.forEach((c, k) => {
    const s = strides[k] as number;
    if (s === 1) terms.push(c);
    else if (s !== 0) terms.push(`${c} * ${ilit(s)}`);
  });
  return terms.length ? terms.join(' + ') : '0';
}

/**
 * The flat index into an input of shape `inShape` broadcast (numpy rules) to `outShape`, given the
 * output coordinates `c0 …` (or the flat index itself when no broadcasting happens).
 */
export function broadcastIndex(
  inShape: readonly number[],
  outShape: readonly number[],
  prefix = 'c',
  flat = 'i',
): string {
  const n = inShape.reduce((a, b) => a * b, 1);
  const total = outShape.reduce((a, b) => a * b, 1);
  if (n === total) return flat;
  if (n === 1) return '0';
  const rank = outShape.length;
  const padded = [...new Array<number>(rank - inShape.length).fill(1), ...inShape];
  const strides = stridesOf(padded).map((s, ax) => (padded[ax] === 1 ? 0 : s));
  return linear(
    outShape.map((_d, ax) => `${prefix}${ax}`),
    strides,
  );
}

/** True when reading an input of `inShape` at output index needs the output coordinates. */
export function needsCoords(inShape: readonly number[], outShape: readonly number[]): boolean {
  const n = inShape.reduce((a, b) => a * b, 1);
  return n !== 1 && n !== outShape.reduce((a, b) => a * b, 1);
}

/**
 * An integer index expression clamped to [0, hi] (GLSL ES 1.0 has no integer min/max, so ternaries).
 * `expr` should be a simple variable or short expression: it is repeated.
 */
export function clampIndex(expr: string, hi: number): string {
  return `((${expr}) < 0 ? 0 : ((${expr}) > ${ilit(hi)} ? ${ilit(hi)} : (${expr})))`;
}
