import type { FormulaFunction } from '../../graph/formula';
import type { FormulaTable } from '../../graph/formula_emit';
import { lit, useHelper } from './program';

/**
 * The GPU's formula table: how src/graph/formula_emit.ts's emitter writes each formula construct as
 * gpu.js kernel source (src/backends/gpujs/kernels/elementwise.ts). Truth values are floats (1.0 / 0.0);
 * a value's truthiness is JS's (non-zero and not NaN), as on the CPU, through `tgBool`. Math that GLSL
 * gets wrong or imprecise goes through the `tg*` helpers of ./program.ts, recorded as the kernel's
 * helpers when used.
 */

/**
 * Whitelisted functions as gpu.js source over their arguments `$0`, `$1`. `ipow` (int32 Pow) has none:
 * int32 ops run on the host (./registry.ts), never in a GPU kernel.
 */
const FUNCTIONS: Record<Exclude<FormulaFunction, 'ipow'>, string> = {
  abs: 'Math.abs($0)',
  sqrt: 'Math.sqrt($0)',
  rsqrt: '(1.0 / Math.sqrt($0))',
  exp: 'Math.exp($0)',
  expm1: 'tgExpm1($0)',
  log: 'Math.log($0)',
  log1p: 'tgLog1p($0)',
  sin: 'Math.sin($0)',
  cos: 'Math.cos($0)',
  tan: 'Math.tan($0)',
  asin: 'Math.asin($0)',
  acos: 'Math.acos($0)',
  atan: 'Math.atan($0)',
  sinh: 'tgSinh($0)',
  cosh: 'tgCosh($0)',
  tanh: 'tgTanh($0)',
  sech: '(1.0 / tgCosh($0))',
  sec: '(1.0 / Math.cos($0))',
  csc: '(1.0 / Math.sin($0))',
  cot: '(1.0 / Math.tan($0))',
  floor: 'Math.floor($0)',
  // GPU arithmetic is float32 (precision 'single'): rounding to float32 is the identity.
  fround: '($0)',
  ceil: 'Math.ceil($0)',
  round: 'tgRound($0)',
  sign: 'tgSign($0)',
  square: 'tgSquare($0)',
  cube: 'tgCube($0)',
  sigmoid: 'tgSigmoid($0)',
  softplus: 'tgSoftplus($0)',
  pow: 'tgPow($0, $1)',
  max: 'tgMax($0, $1)',
  min: 'tgMin($0, $1)',
};

/**
 * gpu.js source for formulas; `record` adds the `tg*` helpers a template calls (with their
 * dependencies) to the kernel's helper set.
 *
 * @example
 * const helpers = new Set<string>();
 * emitFormula(parseFormula('sigmoid(x)', ['x']), GPU_FORMULA_TABLE, () => 'v0', helpers);
 * // 'tgSigmoid(v0)', helpers: {tgSigmoid}
 */
export const GPU_FORMULA_TABLE: FormulaTable = {
  name: 'GPU',
  // Non-finite values have no gpu.js literal.
  number: (v) => (Number.isFinite(v) ? `(${lit(v)})` : undefined),
  truthValues: ['0.0', '1.0'],
  constants: { pi: lit(Math.PI), e: lit(Math.E) },
  functions: FUNCTIONS,
  operators: {
    add: '($0 + $1)',
    subtract: '($0 - $1)',
    multiply: '($0 * $1)',
    divide: '($0 / $1)',
    larger: '(($0 > $1) ? 1.0 : 0.0)',
    smaller: '(($0 < $1) ? 1.0 : 0.0)',
    largerEq: '(($0 >= $1) ? 1.0 : 0.0)',
    smallerEq: '(($0 <= $1) ? 1.0 : 0.0)',
    equal: '(($0 === $1) ? 1.0 : 0.0)',
    unequal: '(($0 !== $1) ? 1.0 : 0.0)',
    // Operands of and/or/not are truth values (tgBool: 1.0 or 0.0).
    and: '($0 * $1)',
    or: '(($0 + $1) > 0.5 ? 1.0 : 0.0)',
    not: '(1.0 - $0)',
    unaryMinus: '(-$0)',
    unaryPlus: '$0',
    pow: 'tgPow($0, $1)',
  },
  square: 'tgSquare($0)',
  conditional: '($0 > 0.5 ? $1 : $2)',
  truth: 'tgBool($0)',
  record(template, used) {
    for (const m of template.matchAll(/\b(tg[A-Za-z0-9]+)\(/g)) useHelper(used, m[1] as string);
  },
};
