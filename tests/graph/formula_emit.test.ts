/**
 * The one formula emitter (src/graph/formula_emit.ts) with each backend's table: the same formula is
 * emitted as CPU JS and as gpu.js source, both are evaluated here as plain JavaScript (the GPU source with
 * the `tg*` helpers it recorded, from program.ts), and both must agree with an independent JS
 * computation on sample inputs — arithmetic, every whitelisted function, comparisons, logical operators
 * and conditionals, NaN's truthiness included. Nothing outside the whitelist can be emitted.
 */
import '../../src';
import { AccessorNode, ConstantNode, FunctionNode, IndexNode, OperatorNode, parse, SymbolNode } from 'mathjs';
import type { MathNode } from 'mathjs';
import { parseFormula } from '../../src/graph/formula';
import { emitFormula, FormulaTable } from '../../src/graph/formula_emit';
import { CPU_FORMULA_HELPERS, CPU_FORMULA_TABLE } from '../../src/backends/cpu/formula';
import { GPU_FORMULA_TABLE } from '../../src/backends/gpujs/formula';
import { helperFunctions } from '../../src/backends/gpujs/program';
import { InvalidArgumentError } from '../../src/errors';

type Fn = (x: number, y: number) => number;
const sym = (name: string): string => `V_${name}`;

function cpuFn(node: MathNode): Fn {
  const expr = emitFormula(node, CPU_FORMULA_TABLE, sym);
  return new Function('H', 'Math', `return function (V_x, V_y) { return ${expr}; };`)(
    CPU_FORMULA_HELPERS,
    Math,
  ) as Fn;
}

/** The gpu.js source run as JS, with only the helpers the emitter recorded (a missing one throws). */
function gpuFn(node: MathNode): { fn: Fn; expr: string; helpers: string[] } {
  const used = new Set<string>();
  const expr = emitFormula(node, GPU_FORMULA_TABLE, sym, used);
  const helpers = [...used];
  const defs = helperFunctions(helpers).map((h) => h.source);
  const fn = new Function(`${defs.join('\n')}\nreturn function (V_x, V_y) { return ${expr}; };`)() as Fn;
  return { fn, expr, helpers };
}

// Independent references (no code shared with the tables or their helpers).
const truthy = (v: number): boolean => v !== 0 && !Number.isNaN(v);
const b = (c: boolean): number => (c ? 1 : 0);
const roundHalfEven = (x: number): number => {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
};
const nanMax = (p: number, q: number): number => (Number.isNaN(p) || Number.isNaN(q) ? NaN : Math.max(p, q));
const nanMin = (p: number, q: number): number => (Number.isNaN(p) || Number.isNaN(q) ? NaN : Math.min(p, q));

const CASES: [string, Fn][] = [
  ['x + y * 2 - x / (y - 3)', (x, y) => x + y * 2 - x / (y - 3)],
  ['-x + +y', (x, y) => -x + y],
  ['x ^ 2 + y ^ 3', (x, y) => x * x + y * y * y],
  ['x ^ y', (x, y) => Math.pow(x, y)],
  ['pi * x + e', (x) => Math.PI * x + Math.E],
  ['x * true + false', (x) => x],
  ['x > y', (x, y) => b(x > y)],
  ['x >= y', (x, y) => b(x >= y)],
  ['x < y', (x, y) => b(x < y)],
  ['x <= y', (x, y) => b(x <= y)],
  ['x == y', (x, y) => b(x === y)],
  ['x != y', (x, y) => b(x !== y)],
  ['x and y', (x, y) => b(truthy(x) && truthy(y))],
  ['x or y', (x, y) => b(truthy(x) || truthy(y))],
  ['not x', (x) => b(!truthy(x))],
  ['x ? y : -y', (x, y) => (truthy(x) ? y : -y)],
  [
    '(x > 0 and y > 0) or not (x < y) ? x * 10 : y - 1',
    (x, y) => ((x > 0 && y > 0) || !(x < y) ? x * 10 : y - 1),
  ],
  ['x > 0 ? (y > 0 ? 1 : 2) : 3', (x, y) => (x > 0 ? (y > 0 ? 1 : 2) : 3)],
  ['(x ? 2 : 0) + (not (x or y)) * 4', (x, y) => (truthy(x) ? 2 : 0) + b(!(truthy(x) || truthy(y))) * 4],
  ['abs(x) + sqrt(y) + rsqrt(y)', (x, y) => Math.abs(x) + Math.sqrt(y) + 1 / Math.sqrt(y)],
  [
    'exp(x) + expm1(y) + log(y) + log1p(x)',
    (x, y) => Math.exp(x) + (Math.exp(y) - 1) + Math.log(y) + Math.log(1 + x),
  ],
  ['sin(x) + cos(y) + tan(x)', (x, y) => Math.sin(x) + Math.cos(y) + Math.tan(x)],
  ['asin(y) + acos(y) + atan(x)', (x, y) => Math.asin(y) + Math.acos(y) + Math.atan(x)],
  [
    'sinh(x) + cosh(y) + tanh(x)',
    (x, y) =>
      (Math.exp(x) - Math.exp(-x)) / 2 +
      (Math.exp(y) + Math.exp(-y)) / 2 +
      (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1),
  ],
  [
    'sech(x) + sec(y) + csc(x) + cot(x)',
    (x, y) =>
      2 / (Math.exp(x) + Math.exp(-x)) + 1 / Math.cos(y) + 1 / Math.sin(x) + Math.cos(x) / Math.sin(x),
  ],
  [
    'floor(x) + ceil(y) * 10 + round(x) * 100',
    (x, y) => Math.floor(x) + Math.ceil(y) * 10 + roundHalfEven(x) * 100,
  ],
  ['sign(x) + square(y) + cube(x)', (x, y) => (x > 0 ? 1 : x < 0 ? -1 : x) + y * y + x * x * x],
  ['sigmoid(x) + softplus(y)', (x, y) => 1 / (1 + Math.exp(-x)) + Math.log(1 + Math.exp(y))],
  ['pow(x, y) + fround(x)', (x, y) => Math.pow(x, y) + x],
  ['max(x, y) - min(x, y) * 2', (x, y) => nanMax(x, y) - nanMin(x, y) * 2],
];

const XS = [-2.5, -1, -0.5, 0, 0.5, 1, 1.5, 2.5, 3, NaN];
const YS = [-1, 0, 0.25, 0.5, 2, NaN];

function close(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

describe('emitFormula: CPU and GPU tables agree with an independent computation', () => {
  test.each(CASES)('%s', (formula, reference) => {
    const node = parseFormula(formula, ['x', 'y']);
    const cpu = cpuFn(node);
    const gpu = gpuFn(node);
    // Every tg* function the GPU source calls was recorded as a helper (the kernel would lack it).
    for (const m of gpu.expr.matchAll(/\b(tg[A-Za-z0-9]+)\(/g)) expect(gpu.helpers).toContain(m[1]);
    const bad: string[] = [];
    for (const x of XS) {
      for (const y of YS) {
        const want = reference(x, y);
        const c = cpu(x, y);
        const g = gpu.fn(x, y);
        if (!close(c, want)) bad.push(`cpu(${x}, ${y}) = ${c}, want ${want}`);
        if (!close(g, want)) bad.push(`gpu(${x}, ${y}) = ${g}, want ${want}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('int32 power: CPU only, negative exponents rejected at run time', () => {
    const node = parseFormula('ipow(x, y)', ['x', 'y']);
    expect(cpuFn(node)(3, 4)).toBe(81);
    expect(() => cpuFn(node)(3, -1)).toThrow(InvalidArgumentError);
    expect(() => gpuFn(node)).toThrow('no GPU form of ipow()');
  });

  test('non-finite literals: CPU writes them, a GPU kernel cannot embed them', () => {
    const node = parseFormula('x * Infinity + NaN * 0', ['x']);
    expect(Number.isNaN(cpuFn(node)(1, 0))).toBe(true);
    expect(cpuFn(parseFormula('x - Infinity', ['x']))(1, 0)).toBe(-Infinity);
    expect(() => gpuFn(node)).toThrow('A GPU kernel cannot embed the constant Infinity');
  });

  test('x ^ 2 uses the square form, other exponents the general power', () => {
    expect(emitFormula(parseFormula('x ^ 2', ['x']), CPU_FORMULA_TABLE, sym)).toBe('H.square(V_x)');
    expect(emitFormula(parseFormula('x ^ 3', ['x']), CPU_FORMULA_TABLE, sym)).toBe('Math.pow(V_x, (3))');
    const used = new Set<string>();
    expect(emitFormula(parseFormula('x ^ 2', ['x']), GPU_FORMULA_TABLE, sym, used)).toBe('tgSquare(V_x)');
    expect([...used]).toEqual(['tgSquare']);
  });

  test('operand sources are substituted once, never re-read as template text', () => {
    const node = parseFormula('pow(x, y)', ['x', 'y']);
    expect(emitFormula(node, CPU_FORMULA_TABLE, (v) => (v === 'x' ? 'a$1' : 'b'))).toBe('Math.pow(a$1, b)');
  });
});

describe('emitFormula: only whitelisted code can be emitted', () => {
  const x = new SymbolNode('x');
  const TABLES: FormulaTable[] = [CPU_FORMULA_TABLE, GPU_FORMULA_TABLE];

  test('validation rejects unknown functions, symbols and non-numeric constants', () => {
    expect(() => parseFormula('alert(x)', ['x'])).toThrow(/unknown function 'alert'/);
    expect(() => parseFormula('constructor(x)', ['x'])).toThrow(/unknown function 'constructor'/);
    expect(() => parseFormula('x + window', ['x'])).toThrow(/unknown symbol 'window'/);
    expect(() => parseFormula('x + "1"', ['x'])).toThrow(/is not a number/);
    expect(() => parseFormula('x[1]', ['x'])).toThrow(InvalidArgumentError);
  });

  test.each(TABLES.map((t) => [t.name, t] as const))(
    '%s: a tree that skipped validation still cannot emit foreign code',
    (_name, table) => {
      for (const name of ['alert', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        const call = new FunctionNode(new SymbolNode(name), [x]);
        expect(() => emitFormula(call, table, sym)).toThrow(`no ${table.name} form of ${name}()`);
      }
      // A table entry alone is not enough: the function must be on formula.ts's whitelist too.
      const widened: FormulaTable = {
        ...table,
        functions: { ...table.functions, alert: 'alert($0)' } as never,
      };
      expect(() => emitFormula(new FunctionNode(new SymbolNode('alert'), [x]), widened, sym)).toThrow(
        'no ' + table.name + ' form of alert()',
      );
      expect(() => emitFormula(new ConstantNode('process.exit()' as never), table, sym)).toThrow(
        /not a number/,
      );
      expect(() => emitFormula(parse('x % x'), table, sym)).toThrow(/operator %/);
      const inherited = Object.assign(parse('x + x') as OperatorNode, { fn: 'toString' });
      expect(() => emitFormula(inherited, table, sym)).toThrow(/operator \+/);
      const index = new AccessorNode(x, new IndexNode([new ConstantNode(1)]));
      expect(() => emitFormula(index, table, sym)).toThrow(/AccessorNode/);
    },
  );
});
