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
 * file defines what a formula may contain (the whitelist below) and validates parsed trees against it.
 * Code is written from a validated tree by the one emitter, src/graph/formula_emit.ts, with a table per
 * backend. Nothing is ever evaluated through mathjs, and nothing from a formula reaches generated source
 * except whitelisted functions, declared variable names and numeric literals.
 */

/** Whitelisted functions: name → number of arguments (the backends' tables say how each is written). */
const FUNCTIONS = {
  abs: 1,
  sqrt: 1,
  rsqrt: 1,
  exp: 1,
  expm1: 1,
  log: 1,
  log1p: 1,
  sin: 1,
  cos: 1,
  tan: 1,
  asin: 1,
  acos: 1,
  atan: 1,
  sinh: 1,
  cosh: 1,
  tanh: 1,
  sech: 1,
  sec: 1,
  csc: 1,
  cot: 1,
  floor: 1,
  ceil: 1,
  /** Rounds half to even, as TF's Round. */
  round: 1,
  sign: 1,
  square: 1,
  cube: 1,
  sigmoid: 1,
  softplus: 1,
  pow: 2,
  /** Rounds to float32: fused loops round each member op's result as its own kernel would store it. */
  fround: 1,
  /** Integer power (int32 Pow): negative exponents are a run-time error. */
  ipow: 2,
  /** NaN-propagating max/min, as TF's Maximum/Minimum. */
  max: 2,
  min: 2,
} as const satisfies Record<string, number>;

/** A whitelisted function's name. */
export type FormulaFunction = keyof typeof FUNCTIONS;

/** Named constants a formula may use. */
const CONSTANTS = ['pi', 'e'] as const;

/** A named constant's name. */
export type FormulaConstant = (typeof CONSTANTS)[number];

/**
 * Operators a formula may use (mathjs's names; `a ^ b` is `pow`). Comparisons and logical operators
 * yield the numbers 1 and 0; a value's truth is JS's (non-zero and not NaN).
 */
const OPERATORS = [
  'add',
  'subtract',
  'multiply',
  'divide',
  'larger',
  'smaller',
  'largerEq',
  'smallerEq',
  'equal',
  'unequal',
  'and',
  'or',
  'not',
  'unaryMinus',
  'unaryPlus',
  'pow',
] as const;

/** An operator's mathjs name. */
export type FormulaOperator = (typeof OPERATORS)[number];

export function isWhitelistedFunction(name: string): name is FormulaFunction {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}

/** True for the names of the named constants (`pi`, `e`). */
export function isFormulaConstant(name: string): name is FormulaConstant {
  return (CONSTANTS as readonly string[]).includes(name);
}

function isFormulaOperator(fn: string): fn is FormulaOperator {
  return (OPERATORS as readonly string[]).includes(fn);
}

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
    isFormulaConstant(name) ||
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
      } else if (!vars.includes(n.name) && !isFormulaConstant(n.name)) {
        bad(`unknown symbol '${n.name}' (inputs: ${vars.join(', ')})`);
      }
    } else if (n instanceof ConstantNode) {
      if (typeof n.value !== 'number' && typeof n.value !== 'boolean')
        bad(`constant ${String(n.value)} is not a number`);
    } else if (n instanceof FunctionNode) {
      const name = (n.fn as SymbolNode).name;
      if (!(n.fn instanceof SymbolNode)) bad('only named functions may be called');
      const arity = isWhitelistedFunction(name) ? FUNCTIONS[name] : undefined;
      if (arity !== undefined && n.args.length !== arity) bad(`${name}() takes ${arity} argument(s)`);
    } else if (n instanceof OperatorNode) {
      if (!isFormulaOperator(n.fn)) bad(`operator '${n.op}' is not supported`);
    } else if (!(n instanceof ParenthesisNode) && !(n instanceof ConditionalNode)) {
      bad(`expressions of type ${n.type} are not supported`);
    }
  });
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
