import { SymbolNode } from 'mathjs';
import type { MathNode } from 'mathjs';
import { InvalidArgumentError } from '../errors';
import { DType, isDType } from '../graph/dtype';
import {
  differentiate,
  formulaSource,
  isNumber,
  parseFormula,
  parseUserFormula,
  usedVars,
} from '../graph/formula';
import { broadcastShapes, Shape, shapeToString } from '../graph/shape';
import { Attrs, Operation, Tensor, TensorLike } from '../graph/tensor';
import { defineOp, InferContext, makeOp, makeTensor, OpDef, OutputSpec } from './op_def';
import { declare, INVALID, isOptionsObject, kinds, param } from '../graph/signature';

/**
 * Elementwise primitives are scalar formulas (SPEC §6). One definition gives shape inference
 * (broadcasting), the gradient (from the formula's symbolic derivative unless a stable rule is given),
 * and — through the backends' elementwise compilers — every kernel.
 */
export interface ElementwiseConfig {
  type: string;
  defaultName?: string;
  /** Input names as used in the formula, in input order. */
  vars: readonly string[];
  formula: string | ((attrs: Readonly<Attrs>) => string);
  /** Output dtype: the inputs' common dtype (default), always bool, or computed from attrs. */
  output?: 'same' | 'bool' | ((attrs: Readonly<Attrs>, dtypes: readonly DType[]) => DType);
  /** Input dtypes accepted (default: any dtype, all inputs equal). */
  allowed?: readonly DType[];
  /** Skip the "all inputs have one dtype" check (Select, Cast). */
  mixedDtypes?: boolean;
  /**
   * Local gradient formulas per input over `dy`, the inputs and `out` (the op's output), used instead of
   * the symbolic derivative where that is unstable or undefined. `'none'`: not differentiable.
   * `'zeros'`: differentiable with a zero gradient (TF1's `Sign`: a zeros tensor, not None).
   */
  grads?: Readonly<Record<string, string>> | 'none' | 'zeros';
  /** Extra shape/dtype rules (build time and run time), after the common ones; call `ctx.fail` to reject. */
  check?: (ctx: InferContext) => void;
}

export function defineElementwise(cfg: ElementwiseConfig): OpDef {
  const formulaOf = typeof cfg.formula === 'string' ? () => cfg.formula as string : cfg.formula;
  return defineOp({
    type: cfg.type,
    defaultName: cfg.defaultName,
    elementwise: { vars: () => cfg.vars, formula: formulaOf },
    infer: (ctx) => inferElementwise(ctx, cfg),
    grad:
      cfg.grads === 'none'
        ? 'none'
        : cfg.grads === 'zeros'
          ? (op, dys) =>
              op.inputs.map((x) =>
                dys[0] && x.dtype === 'float32' ? makeTensor('ZerosLike', [x], {}, undefined) : null,
              )
          : (op, dys) => elementwiseGrad(op, dys[0] ?? null, cfg.vars, formulaOf(op.attrs), given(cfg)),
  });
}

function given(cfg: ElementwiseConfig): Readonly<Record<string, string>> | undefined {
  return cfg.grads === 'none' || cfg.grads === 'zeros' ? undefined : cfg.grads;
}

function inferElementwise(ctx: InferContext, cfg: ElementwiseConfig): OutputSpec[] {
  const dtypes = ctx.dtypes;
  // An imported node may list any inputs: the formula has exactly one per variable.
  if (dtypes.length !== cfg.vars.length)
    ctx.fail(`${ctx.type} takes ${cfg.vars.length} input(s) (${cfg.vars.join(', ')}), got ${dtypes.length}`);
  if (!cfg.mixedDtypes) {
    for (let i = 1; i < dtypes.length; i++) {
      if (dtypes[i] !== dtypes[0]) {
        ctx.fail(
          `Input '${cfg.vars[i]}' of '${ctx.type}' Op has type ${dtypes[i]} that does not match type ${dtypes[0]} of argument '${cfg.vars[0]}'`,
        );
      }
    }
  }
  if (cfg.allowed) {
    dtypes.forEach((d, i) => {
      if (!cfg.allowed?.includes(d)) {
        ctx.fail(
          `Value for attr 'T' of ${d} is not in the list of allowed values: ${cfg.allowed?.join(', ')} (input '${cfg.vars[i]}')`,
        );
      }
    });
  }
  cfg.check?.(ctx);
  const shape = broadcastAll(ctx, ctx.shapes);
  const out = cfg.output ?? 'same';
  const dtype: DType =
    out === 'same' ? (dtypes[0] as DType) : out === 'bool' ? 'bool' : out(ctx.attrs, dtypes);
  return [{ shape, dtype }];
}

/** Numpy broadcasting of all inputs, with TF1's build-time and run-time messages. */
export function broadcastAll(ctx: InferContext, shapes: readonly Shape[]): Shape {
  let acc: Shape = [];
  for (const s of shapes) {
    const next = broadcastShapes(acc, s);
    if (next === undefined) {
      if (ctx.runtime) {
        throw new InvalidArgumentError(
          `Incompatible shapes: ${shapes.map((x) => shapeToString(x)).join(' vs. ')}`,
        );
      }
      const [a, b] = firstConflict(acc as (number | null)[], s as (number | null)[]);
      ctx.fail(`Dimensions must be equal, but are ${a} and ${b}`);
    }
    acc = next;
  }
  return acc;
}

function firstConflict(a: (number | null)[], b: (number | null)[]): [number, number] {
  const rank = Math.max(a.length, b.length);
  for (let i = 1; i <= rank; i++) {
    const da = a[a.length - i] ?? 1;
    const db = b[b.length - i] ?? 1;
    if (da !== null && db !== null && da !== 1 && db !== 1 && da !== db) return [da, db];
  }
  return [0, 0];
}

const derivativeCache = new Map<string, MathNode>();

/** Local derivative of `formula` w.r.t. `v` times `dy`, as a formula over dy, the inputs and out. */
function gradFormula(formula: string, vars: readonly string[], v: string): MathNode {
  const key = `${formula}|${vars.join(',')}|${v}`;
  let node = derivativeCache.get(key);
  if (!node) {
    const d = differentiate(parseFormula(formula, vars), v);
    node = isNumber(d, 0)
      ? d
      : isNumber(d, 1)
        ? parseFormula('dy', ['dy'])
        : parseFormula(`dy * (${formulaSource(d)})`, ['dy', ...vars]);
    derivativeCache.set(key, node);
  }
  return node;
}

function elementwiseGrad(
  op: Operation,
  dy: Tensor | null,
  opVars: readonly string[],
  opFormula: string,
  given: Readonly<Record<string, string>> | undefined,
): (Tensor | null)[] {
  if (dy === null) return opVars.map(() => null);
  // `dy` and `out` name the incoming gradient and the op's output in gradient formulas; an op whose own
  // inputs use those names (a gradient node being differentiated again) gets its inputs renamed first.
  const vars = opVars.map((v) => (v === 'dy' || v === 'out' ? freshName(v, opVars) : v));
  const formula = vars.every((v, i) => v === opVars[i]) ? opFormula : renameVars(opFormula, opVars, vars);
  const env: Record<string, Tensor> = { dy, out: op.outputs[0] as Tensor };
  vars.forEach((v, i) => (env[v] = op.inputs[i] as Tensor));
  const allVars = ['dy', ...vars, 'out'];
  return vars.map((v, i) => {
    if ((op.inputs[i] as Tensor).dtype !== 'float32') return null;
    const g = given?.[opVars[i] as string];
    const node = g !== undefined ? parseFormula(g, allVars) : gradFormula(formula, vars, v);
    return tensorFromFormula(node, allVars, env, dy.dtype);
  });
}

function freshName(base: string, taken: readonly string[]): string {
  let k = 1;
  while (taken.includes(`${base}_${k}`)) k++;
  return `${base}_${k}`;
}

/** The formula with each variable `from[i]` renamed to `to[i]`. */
function renameVars(formula: string, from: readonly string[], to: readonly string[]): string {
  const node = parseFormula(formula, from).transform((n) =>
    n instanceof SymbolNode && from.includes(n.name) ? new SymbolNode(to[from.indexOf(n.name)] as string) : n,
  );
  return formulaSource(node);
}

/**
 * A tensor computing `node` over the named tensors: a bare variable is returned as is, zero gives null,
 * anything else becomes an `Elementwise` op (whose own gradient is again symbolic).
 */
export function tensorFromFormula(
  node: MathNode,
  vars: readonly string[],
  env: Record<string, Tensor>,
  dtype: DType,
): Tensor | null {
  if (isNumber(node, 0)) return null;
  const src = formulaSource(node);
  if (Object.prototype.hasOwnProperty.call(env, src.trim())) return env[src.trim()] as Tensor;
  const used = usedVars(node, vars);
  if (used.length === 0) throw new InvalidArgumentError(`Gradient formula '${src}' depends on no input`);
  return makeTensor(
    'Elementwise',
    used.map((v) => env[v] as Tensor),
    { formula: src, vars: used, dtype },
  );
}

/** The generic elementwise op: formula and variable names are attrs (user formulas, gradient nodes). */
defineOp({
  type: 'Elementwise',
  elementwise: { vars: (attrs) => attrs.vars as string[], formula: (attrs) => attrs.formula as string },
  infer: (ctx) => {
    const vars = ctx.attrs.vars as string[];
    const dtype = ctx.attrs.dtype;
    if (!Array.isArray(vars) || vars.length !== ctx.shapes.length || !isDType(dtype)) {
      return ctx.fail('Elementwise needs attrs vars (one per input) and dtype');
    }
    parseFormula(ctx.attrs.formula as string, vars);
    return [{ shape: broadcastAll(ctx, ctx.shapes), dtype }];
  },
  grad: (op, dys) => {
    const vars = op.attrs.vars as string[];
    return elementwiseGrad(op, dys[0] ?? null, vars, op.attrs.formula as string, undefined);
  },
});

/** The inputs of a formula: an object mapping each variable name to a Tensor or plain value. */
const formulaInputs = kinds.custom<Record<string, TensorLike>>(
  'an object mapping formula variable names to Tensors or values',
  (v) =>
    isOptionsObject(v) &&
    Object.keys(v).length > 0 &&
    Object.values(v).every((x) => kinds.tensor.parse(x) !== INVALID),
  () => ({ x: 1 }),
);

/**
 * A user-defined differentiable elementwise op from a formula string (call form
 * `elementwise(formula, inputs, name?, dtype?)`, or `{ name, dtype }` as options). The formula is parsed by mathjs and
 * restricted to whitelisted functions; its gradient is its symbolic derivative.
 *
 * @example
 * const z = tf.elementwise('x^3 + sin(y)', { x, y });
 * const [dx] = tf.gradients(z, [x]); // 3 * x^2
 */
export const elementwise = declare(
  'elementwise',
  [
    param('formula', kinds.string),
    param('inputs', formulaInputs),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('dtype', kinds.nullable(kinds.dtype), { default: null }),
  ] as const,
  (a): Tensor => elementwiseOf(a.formula, a.inputs, { dtype: a.dtype ?? undefined, name: a.name }),
);

function elementwiseOf(
  formula: string,
  inputs: Record<string, TensorLike>,
  opts: { dtype?: DType; name?: string | undefined },
): Tensor {
  const o = opts;
  const names = Object.keys(inputs);
  // Inputs named like mathjs constants (e, pi, i, …) shadow them: they get internal names.
  const { node, vars } = parseUserFormula(formula, names);
  const used = usedVars(node, vars);
  const values = used.map((v) => inputs[names[vars.indexOf(v)] as string] as TensorLike);
  const first = values.find((x): x is Tensor => x instanceof Tensor);
  const dtype = o.dtype ?? first?.dtype ?? 'float32';
  return makeTensor(
    'Elementwise',
    values,
    { formula: formulaSource(node), vars: used, dtype },
    o.name ?? 'Elementwise',
    dtype,
  );
}

export { makeOp };
