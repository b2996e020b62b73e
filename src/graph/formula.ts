import {
  derivative,
  parse,
  simplify,
  ConstantNode,
  SymbolNode,
  OperatorNode,
  FunctionNode,
  ConditionalNode,
  ParenthesisNode,
} from 'mathjs';
import type { MathNode } from 'mathjs';
import * as mathjsNamespace from 'mathjs';
import { InvalidArgumentError } from '../errors';

/**
 * Scalar formulas of elementwise ops (SPEC §6). mathjs parses, simplifies and differentiates them; this
 * file turns the parsed tree into JS expression source (the CPU loop body). Nothing is ever evaluated
 * through mathjs, and nothing from a formula reaches JS source except whitelisted functions, declared
 * variable names and numeric literals.
 */

/** Whitelisted functions: name → JS expression template over the argument sources `$0`, `$1`. */
const FUNCTIONS: Record<string, { arity: number; js: string }> = {
  abs: { arity: 1, js: 'Math.abs($0)' },
  sqrt: { arity: 1, js: 'Math.sqrt($0)' },
  rsqrt: { arity: 1, js: '(1 / Math.sqrt($0))' },
  exp: { arity: 1, js: 'Math.exp($0)' },
  expm1: { arity: 1, js: 'Math.expm1($0)' },
  log: { arity: 1, js: 'Math.log($0)' },
  log1p: { arity: 1, js: 'Math.log1p($0)' },
  sin: { arity: 1, js: 'Math.sin($0)' },
  cos: { arity: 1, js: 'Math.cos($0)' },
  tan: { arity: 1, js: 'Math.tan($0)' },
  asin: { arity: 1, js: 'Math.asin($0)' },
  acos: { arity: 1, js: 'Math.acos($0)' },
  atan: { arity: 1, js: 'Math.atan($0)' },
  sinh: { arity: 1, js: 'Math.sinh($0)' },
  cosh: { arity: 1, js: 'Math.cosh($0)' },
  tanh: { arity: 1, js: 'Math.tanh($0)' },
  sech: { arity: 1, js: '(1 / Math.cosh($0))' },
  sec: { arity: 1, js: '(1 / Math.cos($0))' },
  csc: { arity: 1, js: '(1 / Math.sin($0))' },
  cot: { arity: 1, js: '(1 / Math.tan($0))' },
  floor: { arity: 1, js: 'Math.floor($0)' },
  ceil: { arity: 1, js: 'Math.ceil($0)' },
  round: { arity: 1, js: 'H.roundHalfEven($0)' },
  sign: { arity: 1, js: 'Math.sign($0)' },
  square: { arity: 1, js: 'H.square($0)' },
  cube: { arity: 1, js: 'H.cube($0)' },
  sigmoid: { arity: 1, js: 'H.sigmoid($0)' },
  softplus: { arity: 1, js: 'H.softplus($0)' },
  pow: { arity: 2, js: 'Math.pow($0, $1)' },
  /** Rounds to float32: fused loops round each member op's result as its own kernel would store it. */
  fround: { arity: 1, js: 'Math.fround($0)' },
  ipow: { arity: 2, js: 'H.ipow($0, $1)' },
  max: { arity: 2, js: 'H.max($0, $1)' },
  min: { arity: 2, js: 'H.min($0, $1)' },
};
const CONSTANTS: Record<string, string> = { pi: 'Math.PI', e: 'Math.E' };

/** Runtime helpers referenced as `H.*` by generated code. */
export const FORMULA_HELPERS = {
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

export function isWhitelistedFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}

const OPERATORS: Record<string, string> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  larger: '>',
  smaller: '<',
  largerEq: '>=',
  smallerEq: '<=',
  equal: '===',
  unequal: '!==',
  and: '&&',
  or: '||',
};

/** Parses a formula and checks that it uses only `vars`, numeric literals and whitelisted functions. */
export function parseFormula(source: string, vars: readonly string[]): MathNode {
  let node: MathNode;
  try {
    node = parse(source);
  } catch (e) {
    throw new InvalidArgumentError(`Cannot parse formula '${source}': ${(e as Error).message}`);
  }
  validate(node, vars, source);
  return node;
}

/** Names mathjs gives a meaning of its own (constants such as e, pi, i, tau, and every function). */
function isMathjsName(name: string): boolean {
  return (
    Object.prototype.hasOwnProperty.call(mathjsNamespace, name) ||
    Object.prototype.hasOwnProperty.call(CONSTANTS, name) ||
    isWhitelistedFunction(name) ||
    ['E', 'PI', 'Infinity', 'NaN', 'end', 'uninitialized'].includes(name)
  );
}

/**
 * Parses a user formula whose inputs have user-chosen names: an input named like a mathjs constant or
 * function (`e`, `pi`, `i`, `sum`, …) shadows it, as a variable would in JS. Such inputs are renamed to
 * fresh internal names (`e_1`, …) before mathjs simplifies or differentiates anything. Returns the parsed
 * formula over the internal names, and those names in input order. A name that cannot be a formula
 * variable at all (`true`, `null`, `x-1`) is an error.
 */
export function parseUserFormula(
  source: string,
  names: readonly string[],
): { node: MathNode; vars: string[] } {
  const vars: string[] = [];
  const rename = new Map<string, string>();
  for (const name of names) {
    let single: MathNode | undefined;
    try {
      single = parse(name);
    } catch {
      single = undefined;
    }
    if (!(single instanceof SymbolNode && single.name === name)) {
      throw new InvalidArgumentError(
        `Formula input name '${name}' cannot be used as a variable in a formula (a literal, a keyword ` +
          'or not an identifier); rename it',
      );
    }
    let internal = name;
    if (isMathjsName(name)) {
      let k = 1;
      while (names.includes(`${name}_${k}`) || vars.includes(`${name}_${k}`)) k++;
      internal = `${name}_${k}`;
      rename.set(name, internal);
    }
    vars.push(internal);
  }
  let node: MathNode;
  try {
    node = parse(source);
  } catch (e) {
    throw new InvalidArgumentError(`Cannot parse formula '${source}': ${(e as Error).message}`);
  }
  if (rename.size > 0) {
    node = node.transform((n, path) =>
      n instanceof SymbolNode && path !== 'fn' && rename.has(n.name)
        ? new SymbolNode(rename.get(n.name) as string)
        : n,
    );
  }
  validate(node, vars, source);
  return { node, vars };
}

/**
 * Deepest formula tree accepted. mathjs walks trees recursively (traverse, simplify, derivative), so a
 * deeper one (a 5,000-term sum is 5,000 levels deep) would overflow the stack: it is refused up front.
 */
export const MAX_FORMULA_DEPTH = 400;

/** The depth of a parsed tree, measured without recursion. */
function treeDepth(root: MathNode): number {
  let max = 0;
  const stack: [MathNode, number][] = [[root, 1]];
  while (stack.length) {
    const [n, d] = stack.pop() as [MathNode, number];
    if (d > max) max = d;
    if (max > MAX_FORMULA_DEPTH) return max;
    n.forEach((child: MathNode) => stack.push([child, d + 1]));
  }
  return max;
}

function validate(node: MathNode, vars: readonly string[], source: string): void {
  if (treeDepth(node) > MAX_FORMULA_DEPTH) {
    throw new InvalidArgumentError(
      `Formula is nested more than ${MAX_FORMULA_DEPTH} levels deep (${source.length} characters); ` +
        'split it into several elementwise ops',
    );
  }
  node.traverse((n, _path, parent) => {
    const bad = (why: string): never => {
      throw new InvalidArgumentError(`Formula '${source}' is not allowed: ${why}`);
    };
    if (n instanceof SymbolNode) {
      if (parent instanceof FunctionNode && parent.fn === n) {
        if (!isWhitelistedFunction(n.name))
          bad(`unknown function '${n.name}' (allowed: ${Object.keys(FUNCTIONS).join(', ')})`);
      } else if (!vars.includes(n.name) && !Object.prototype.hasOwnProperty.call(CONSTANTS, n.name)) {
        bad(`unknown symbol '${n.name}' (inputs: ${vars.join(', ')})`);
      }
    } else if (n instanceof ConstantNode) {
      if (typeof n.value !== 'number' && typeof n.value !== 'boolean')
        bad(`constant ${String(n.value)} is not a number`);
    } else if (n instanceof FunctionNode) {
      const name = (n.fn as SymbolNode).name;
      if (!(n.fn instanceof SymbolNode)) bad('only named functions may be called');
      const f = FUNCTIONS[name];
      if (f && n.args.length !== f.arity) bad(`${name}() takes ${f.arity} argument(s)`);
    } else if (n instanceof OperatorNode) {
      const ok =
        n.fn in OPERATORS ||
        n.fn === 'pow' ||
        n.fn === 'unaryMinus' ||
        n.fn === 'unaryPlus' ||
        n.fn === 'not';
      if (!ok) bad(`operator '${n.op}' is not supported`);
    } else if (!(n instanceof ParenthesisNode) && !(n instanceof ConditionalNode)) {
      bad(`expressions of type ${n.type} are not supported`);
    }
  });
}

/** JS expression source for a validated formula; `symbol` maps each variable to its JS source. */
export function formulaToJs(node: MathNode, symbol: (name: string) => string): string {
  const gen = (n: MathNode): string => {
    if (n instanceof ParenthesisNode) return gen(n.content);
    if (n instanceof ConstantNode) {
      const v = n.value as number | boolean;
      return typeof v === 'boolean'
        ? v
          ? '1'
          : '0'
        : Number.isFinite(v)
          ? `(${String(v)})`
          : v > 0
            ? 'Infinity'
            : v < 0
              ? '-Infinity'
              : 'NaN';
    }
    if (n instanceof SymbolNode)
      return Object.prototype.hasOwnProperty.call(CONSTANTS, n.name)
        ? (CONSTANTS[n.name] as string)
        : symbol(n.name);
    if (n instanceof ConditionalNode)
      return `(${gen(n.condition)} ? ${gen(n.trueExpr)} : ${gen(n.falseExpr)})`;
    if (n instanceof FunctionNode) {
      const f = FUNCTIONS[(n.fn as SymbolNode).name] as { js: string };
      const args = n.args.map(gen);
      return f.js.replace(/\$(\d)/g, (_m, i: string) => args[Number(i)] as string);
    }
    if (n instanceof OperatorNode) {
      const args = n.args.map(gen);
      const [a, b] = args as [string, string];
      switch (n.fn) {
        case 'unaryMinus':
          return `(-${a})`;
        case 'unaryPlus':
          return `(+${a})`;
        case 'not':
          return `(${a} ? 0 : 1)`;
        case 'pow':
          return isConstant(n.args[1], 2) ? `H.square(${a})` : `Math.pow(${a}, ${b})`;
        case 'and':
        case 'or':
        case 'larger':
        case 'smaller':
        case 'largerEq':
        case 'smallerEq':
        case 'equal':
        case 'unequal':
          return `((${a} ${OPERATORS[n.fn]} ${b}) ? 1 : 0)`;
        default:
          return `(${a} ${OPERATORS[n.fn] as string} ${b})`;
      }
    }
    throw new Error(`formulaToJs: unsupported node ${n.type}`);
  };
  return gen(node);
}

function isConstant(n: MathNode | undefined, v: number): boolean {
  return n instanceof ConstantNode && n.value === v;
}

/** Functions whose value is piecewise constant: their derivative is zero almost everywhere. */
const PIECEWISE = new Set(['floor', 'ceil', 'round', 'sign']);
const RELATIONS = new Set([
  'larger',
  'smaller',
  'largerEq',
  'smallerEq',
  'equal',
  'unequal',
  'and',
  'or',
  'not',
]);

/**
 * d(node)/d(v), simplified. mathjs differentiates; this wrapper first hides piecewise-constant parts
 * (comparisons, floor, sign, …) behind fresh symbols, rewrites functions mathjs does not know
 * (log1p, rsqrt, …) and keeps `abs` safe (d|u| = sign(u)·du instead of mathjs's |u|/u).
 */
export function differentiate(node: MathNode, v: string): MathNode {
  if (!dependsOn(node, v)) return new ConstantNode(0);
  if (unwrap(node) instanceof ConditionalNode) {
    const c = unwrap(node) as ConditionalNode;
    const t = differentiate(c.trueExpr, v);
    const f = differentiate(c.falseExpr, v);
    if (isNumber(t, 0) && isNumber(f, 0)) return new ConstantNode(0);
    return new ConditionalNode(c.condition, t, f);
  }
  const hidden = new Map<string, MathNode>();
  const hide = (n: MathNode): SymbolNode => {
    const key = `__pw${hidden.size}`;
    hidden.set(key, n);
    return new SymbolNode(key);
  };
  // Bottom-up rewrite: children first, so rewritten arguments are themselves prepared.
  const prepare = (n: MathNode): MathNode => {
    if (isPiecewise(n)) return hide(n);
    const m = n.map((child) => prepare(child));
    if (!(m instanceof FunctionNode && m.fn instanceof SymbolNode)) return m;
    const [a, b] = m.args as [MathNode, MathNode];
    const as = (template: string): MathNode => prepare(parse(template).transform((t) => subst(t, a)));
    switch (m.fn.name) {
      case 'log1p':
        return as('log(1 + u)');
      case 'expm1':
        return as('exp(u) - 1');
      case 'rsqrt':
        return as('u ^ (-0.5)');
      case 'square':
        return as('u ^ 2');
      case 'cube':
        return as('u ^ 3');
      // Stable forms whose derivatives never overflow: σ(u) = (tanh(u/2) + 1)/2 and
      // softplus(u) = (u + |u|)/2 + log(1 + exp(-|u|)).
      case 'sigmoid':
        return as('(tanh(u / 2) + 1) / 2');
      case 'softplus':
        return as('(u + abs(u)) / 2 + log(1 + exp(-abs(u)))');
      case 'abs':
        return new OperatorNode('*', 'multiply', [
          new ParenthesisNode(a),
          hide(new FunctionNode('sign', [a])),
        ]);
      case 'pow':
        return new OperatorNode('^', 'pow', [a, b]);
      case 'max':
      case 'min':
        throw new InvalidArgumentError(
          `No symbolic derivative for ${m.fn.name}(); give the op an explicit gradient formula`,
        );
    }
    return m;
  };
  const prepared = prepare(node);
  if (containsConditional(prepared)) {
    throw new InvalidArgumentError(`No symbolic derivative for a nested conditional in '${node.toString()}'`);
  }
  let d: MathNode;
  try {
    d = simplify(derivative(prepared, v));
  } catch (e) {
    throw new InvalidArgumentError(
      `Cannot differentiate '${node.toString()}' with respect to ${v}: ${(e as Error).message}`,
    );
  }
  return d.transform((n) =>
    n instanceof SymbolNode && hidden.has(n.name) ? (hidden.get(n.name) as MathNode) : n,
  );
}

function subst(m: MathNode, a: MathNode): MathNode {
  return m instanceof SymbolNode && m.name === 'u' ? new ParenthesisNode(a) : m;
}

function unwrap(n: MathNode): MathNode {
  return n instanceof ParenthesisNode ? unwrap(n.content) : n;
}

function isPiecewise(n: MathNode): boolean {
  if (n instanceof OperatorNode && RELATIONS.has(n.fn)) return true;
  return n instanceof FunctionNode && n.fn instanceof SymbolNode && PIECEWISE.has(n.fn.name);
}

function containsConditional(n: MathNode): boolean {
  return n.filter((m) => m instanceof ConditionalNode).length > 0;
}

/** True when the formula mentions variable `v`. */
export function dependsOn(node: MathNode, v: string): boolean {
  return node.filter((n) => n instanceof SymbolNode && n.name === v).length > 0;
}

/** Variables (from `vars`) that the formula mentions, in `vars` order. */
export function usedVars(node: MathNode, vars: readonly string[]): string[] {
  return vars.filter((v) => dependsOn(node, v));
}

/** True when the node is the number `value`. */
export function isNumber(node: MathNode, value: number): boolean {
  const n = unwrap(node);
  return n instanceof ConstantNode && n.value === value;
}

/** Formula source of a node (round-trips through `parseFormula`). */
export function formulaSource(node: MathNode): string {
  return node.toString({ parenthesis: 'keep' });
}
