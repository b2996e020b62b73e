import {
  ConditionalNode,
  ConstantNode,
  FunctionNode,
  OperatorNode,
  ParenthesisNode,
  SymbolNode,
} from 'mathjs';
import type { MathNode } from 'mathjs';
import { isWhitelistedFunction } from '../../graph/formula';
import { lit, useHelper } from './program';

/**
 * gpu.js kernel source for an elementwise formula (already parsed and validated by
 * src/graph/formula.ts's parseFormula): the same walk over the mathjs tree as `formulaToJs`, emitting
 * gpu.js JavaScript instead. Truth values are floats (1.0 / 0.0); a value's truthiness is JS's
 * (non-zero and not NaN), as on the CPU. Only whitelisted functions, declared variables and numeric
 * literals can reach the source.
 */
const FUNCTIONS: Record<string, string> = {
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
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };
const COMPARE: Record<string, string> = {
  larger: '>',
  smaller: '<',
  largerEq: '>=',
  smallerEq: '<=',
  equal: '===',
  unequal: '!==',
};
const ARITH: Record<string, string> = { add: '+', subtract: '-', multiply: '*', divide: '/' };

/**
 * gpu.js expression source for a validated formula; `symbol` maps each variable to its source.
 * Helper functions the expression calls are added to `helpers`.
 */
export function formulaToGpu(node: MathNode, symbol: (name: string) => string, helpers: Set<string>): string {
  const helper = (template: string): string => {
    for (const m of template.matchAll(/\b(tg[A-Za-z0-9]+)\(/g)) useHelper(helpers, m[1] as string);
    return template;
  };
  const truth = (src: string): string => `${helper('tgBool(')}${src})`;
  const gen = (n: MathNode): string => {
    if (n instanceof ParenthesisNode) return gen(n.content);
    if (n instanceof ConstantNode) {
      const v = n.value as number | boolean;
      if (typeof v === 'boolean') return v ? '1.0' : '0.0';
      if (!Number.isFinite(v))
        throw new Error(`A GPU kernel cannot embed the constant ${v} (formula '${n.toString()}')`);
      return `(${lit(v)})`;
    }
    if (n instanceof SymbolNode) {
      return Object.prototype.hasOwnProperty.call(CONSTANTS, n.name)
        ? lit(CONSTANTS[n.name] as number)
        : symbol(n.name);
    }
    if (n instanceof ConditionalNode)
      return `(${truth(gen(n.condition))} > 0.5 ? ${gen(n.trueExpr)} : ${gen(n.falseExpr)})`;
    if (n instanceof FunctionNode) {
      const name = (n.fn as SymbolNode).name;
      const template = FUNCTIONS[name];
      if (!template || !isWhitelistedFunction(name)) throw new Error(`internal: no GPU form of ${name}()`);
      const args = n.args.map(gen);
      return helper(template).replace(/\$(\d)/g, (_m, i: string) => args[Number(i)] as string);
    }
    if (n instanceof OperatorNode) {
      const args = n.args.map(gen);
      const [a, b] = args as [string, string];
      switch (n.fn) {
        case 'unaryMinus':
          return `(-${a})`;
        case 'unaryPlus':
          return a;
        case 'not':
          return `(1.0 - ${truth(a)})`;
        case 'and':
          return `(${truth(a)} * ${truth(b)})`;
        case 'or':
          return `((${truth(a)} + ${truth(b)}) > 0.5 ? 1.0 : 0.0)`;
        case 'pow':
          return isConstant(n.args[1], 2) ? `${helper('tgSquare(')}${a})` : `${helper('tgPow(')}${a}, ${b})`;
        default: {
          const cmp = COMPARE[n.fn];
          if (cmp) return `((${a} ${cmp} ${b}) ? 1.0 : 0.0)`;
          const op = ARITH[n.fn];
          if (!op) throw new Error(`internal: no GPU form of operator ${n.op}`);
          return `(${a} ${op} ${b})`;
        }
      }
    }
    throw new Error(`formulaToGpu: unsupported node ${n.type}`);
  };
  return gen(node);
}

function isConstant(n: MathNode | undefined, v: number): boolean {
  return n instanceof ConstantNode && n.value === v;
}
