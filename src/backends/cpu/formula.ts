import { InvalidArgumentError } from '../../errors';
import type { FormulaFunction } from '../../graph/formula';
import type { FormulaTable } from '../../graph/formula_emit';

/**
 * The CPU's formula table: how src/graph/formula_emit.ts's emitter writes each formula construct as JS
 * (the body of the loops src/backends/cpu/elementwise.ts generates). Generated code sees `Math` and
 * `H` (= {@link CPU_FORMULA_HELPERS}) as parameters. Truth values are the numbers 1 and 0; a value's
 * truth is JS's (non-zero and not NaN).
 */

/** Runtime helpers referenced as `H.*` by generated code. */
export const CPU_FORMULA_HELPERS = {
  roundHalfEven(x: number): number {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  square: (x: number): number => x * x,
  cube: (x: number): number => x * x * x,
  sigmoid(x: number): number {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  },
  softplus(x: number): number {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  },
  /** Integer power (int32 Pow): TF1 rejects negative exponents at run time. */
  ipow(x: number, y: number): number {
    if (y < 0) throw new InvalidArgumentError('Integers to negative integer powers are not allowed');
    return Math.pow(x, y);
  },
  // NaN-propagating max/min, as TF's Maximum/Minimum.
  max: (a: number, b: number): number => (a >= b || a !== a ? a : b),
  min: (a: number, b: number): number => (a <= b || a !== a ? a : b),
};

/** Every whitelisted function as JS over its arguments `$0`, `$1`. */
const FUNCTIONS: Record<FormulaFunction, string> = {
  abs: 'Math.abs($0)',
  sqrt: 'Math.sqrt($0)',
  rsqrt: '(1 / Math.sqrt($0))',
  exp: 'Math.exp($0)',
  expm1: 'Math.expm1($0)',
  log: 'Math.log($0)',
  log1p: 'Math.log1p($0)',
  sin: 'Math.sin($0)',
  cos: 'Math.cos($0)',
  tan: 'Math.tan($0)',
  asin: 'Math.asin($0)',
  acos: 'Math.acos($0)',
  atan: 'Math.atan($0)',
  sinh: 'Math.sinh($0)',
  cosh: 'Math.cosh($0)',
  tanh: 'Math.tanh($0)',
  sech: '(1 / Math.cosh($0))',
  sec: '(1 / Math.cos($0))',
  csc: '(1 / Math.sin($0))',
  cot: '(1 / Math.tan($0))',
  floor: 'Math.floor($0)',
  ceil: 'Math.ceil($0)',
  round: 'H.roundHalfEven($0)',
  sign: 'Math.sign($0)',
  square: 'H.square($0)',
  cube: 'H.cube($0)',
  sigmoid: 'H.sigmoid($0)',
  softplus: 'H.softplus($0)',
  pow: 'Math.pow($0, $1)',
  fround: 'Math.fround($0)',
  ipow: 'H.ipow($0, $1)',
  max: 'H.max($0, $1)',
  min: 'H.min($0, $1)',
};

/**
 * JS for formulas.
 *
 * @example
 * emitFormula(parseFormula('x > 0 ? x : 0', ['x']), CPU_FORMULA_TABLE, () => 'a0[i]');
 * // '(((a0[i] > (0)) ? 1 : 0) ? a0[i] : (0))'
 */
export const CPU_FORMULA_TABLE: FormulaTable = {
  name: 'CPU',
  number: (v) => (Number.isFinite(v) ? `(${String(v)})` : v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN'),
  truthValues: ['0', '1'],
  constants: { pi: 'Math.PI', e: 'Math.E' },
  functions: FUNCTIONS,
  operators: {
    add: '($0 + $1)',
    subtract: '($0 - $1)',
    multiply: '($0 * $1)',
    divide: '($0 / $1)',
    larger: '(($0 > $1) ? 1 : 0)',
    smaller: '(($0 < $1) ? 1 : 0)',
    largerEq: '(($0 >= $1) ? 1 : 0)',
    smallerEq: '(($0 <= $1) ? 1 : 0)',
    equal: '(($0 === $1) ? 1 : 0)',
    unequal: '(($0 !== $1) ? 1 : 0)',
    and: '(($0 && $1) ? 1 : 0)',
    or: '(($0 || $1) ? 1 : 0)',
    not: '($0 ? 0 : 1)',
    unaryMinus: '(-$0)',
    unaryPlus: '(+$0)',
    pow: 'Math.pow($0, $1)',
  },
  square: 'H.square($0)',
  conditional: '($0 ? $1 : $2)',
};
