import {
  ConditionalNode,
  ConstantNode,
  FunctionNode,
  OperatorNode,
  ParenthesisNode,
  SymbolNode,
} from 'mathjs';
import type { MathNode } from 'mathjs';
import {
  FormulaConstant,
  FormulaFunction,
  FormulaOperator,
  isFormulaConstant,
  isWhitelistedFunction,
} from './formula';

/**
 * The one code emitter of elementwise formulas: a single walk over a parsed, validated formula tree
 * (src/graph/formula.ts's parseFormula) that writes an expression in a backend's source language. What
 * each construct becomes is the backend's {@link FormulaTable}: the CPU's (JS over typed arrays,
 * src/backends/cpu/formula.ts) and the GPU's (gpu.js kernel source, src/backends/gpujs/formula.ts).
 *
 * Templates are strings over the operand sources `$0`, `$1`, `$2` (each replaced once, in one pass, so an
 * operand's own text is never re-read as a template). Only table text, numeric literals (written by the
 * table) and the caller's variable sources reach the output: a function is emitted only when it is both
 * whitelisted by formula.ts and an own entry of the table, and anything else (a string constant, an
 * unknown operator or node type) is refused here too, whatever validated the tree.
 */
export interface FormulaTable {
  /** The backend's name, for messages (`no GPU form of ipow()`). */
  readonly name: string;
  /** Source of a numeric literal; undefined when the backend cannot embed that value (e.g. NaN). */
  number(v: number): string | undefined;
  /** Sources of the literals `false` and `true` (as numbers: truth values are numbers 1 and 0). */
  readonly truthValues: readonly [falseSource: string, trueSource: string];
  /** Sources of the named constants (`pi`, `e`). */
  readonly constants: Readonly<Record<FormulaConstant, string>>;
  /**
   * Whitelisted functions, as templates over their arguments. A function missing here cannot be emitted
   * for this backend (an internal error: its ops must be placed elsewhere).
   */
  readonly functions: Readonly<Partial<Record<FormulaFunction, string>>>;
  /**
   * Operators (mathjs names), as templates over their operands. The operands of `and`, `or` and `not`
   * are truth values (see `truth`); comparisons, `and`, `or` and `not` yield the numbers 1 or 0.
   */
  readonly operators: Readonly<Record<FormulaOperator, string>>;
  /** `a ^ 2` (the exponent the literal 2): usually cheaper than the general power. */
  readonly square: string;
  /** `c ? a : b` over `$0` the condition (a truth value, see `truth`), `$1`, `$2` the branches. */
  readonly conditional: string;
  /**
   * Template converting a number to a truth value, applied to a conditional's condition and to the
   * operands of `and`/`or`/`not` before their own template; undefined: used as they are (the target
   * language's own truthiness: non-zero and not NaN).
   */
  readonly truth?: string;
  /** Records the helper functions a template calls (called for each template emitted, after its operands). */
  record?(template: string, used: Set<string>): void;
}

/** Operators whose operands are truth values. */
const LOGICAL = new Set<string>(['and', 'or', 'not']);

/**
 * Expression source of a validated formula for the backend `table`. `symbol` maps each variable to its
 * source; helper functions the expression calls are recorded (by the table's `record`) in `used`.
 *
 * @example
 * const node = parseFormula('x > 0 ? x : 0.2 * x', ['x']);
 * emitFormula(node, CPU_FORMULA_TABLE, () => 'a0[i]');
 * // '(((a0[i] > (0)) ? 1 : 0) ? a0[i] : ((0.2) * a0[i]))'
 */
export function emitFormula(
  node: MathNode,
  table: FormulaTable,
  symbol: (name: string) => string,
  used: Set<string> = new Set(),
): string {
  const fill = (template: string, args: readonly string[]): string => {
    table.record?.(template, used);
    return template.replace(/\$(\d)/g, (_m, i: string) => args[Number(i)] as string);
  };
  const truth = (src: string): string => (table.truth === undefined ? src : fill(table.truth, [src]));
  const gen = (n: MathNode): string => {
    if (n instanceof ParenthesisNode) return gen(n.content);
    if (n instanceof ConstantNode) {
      const v: unknown = n.value;
      if (typeof v === 'boolean') return table.truthValues[v ? 1 : 0];
      if (typeof v !== 'number') throw new Error(`internal: formula constant ${String(v)} is not a number`);
      const src = table.number(v);
      if (src === undefined) {
        throw new Error(`A ${table.name} kernel cannot embed the constant ${v} (formula '${n.toString()}')`);
      }
      return src;
    }
    if (n instanceof SymbolNode) return isFormulaConstant(n.name) ? table.constants[n.name] : symbol(n.name);
    if (n instanceof ConditionalNode) {
      const c = truth(gen(n.condition));
      return fill(table.conditional, [c, gen(n.trueExpr), gen(n.falseExpr)]);
    }
    if (n instanceof FunctionNode) {
      const name = n.fn instanceof SymbolNode ? n.fn.name : '';
      const template = isWhitelistedFunction(name) ? ownEntry(table.functions, name) : undefined;
      if (template === undefined) throw new Error(`internal: no ${table.name} form of ${name}()`);
      return fill(template, n.args.map(gen));
    }
    if (n instanceof OperatorNode) {
      const args = n.args.map(gen);
      if (n.fn === 'pow' && isConstant(n.args[1], 2)) return fill(table.square, args);
      const template = ownEntry(table.operators, n.fn);
      if (template === undefined) throw new Error(`internal: no ${table.name} form of operator ${n.op}`);
      return fill(template, LOGICAL.has(n.fn) ? args.map(truth) : args);
    }
    throw new Error(`internal: no ${table.name} form of formula node ${n.type}`);
  };
  return gen(node);
}

function ownEntry(entries: Readonly<Record<string, string | undefined>>, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : undefined;
}

function isConstant(n: MathNode | undefined, v: number): boolean {
  return n instanceof ConstantNode && n.value === v;
}
