import { InvalidArgumentError } from '../errors';
import { DType, isDType } from '../graph/dtype';
import { getDefaultGraph, Graph } from '../graph/graph';
import { Shape, shapeToString } from '../graph/shape';
import { userCallSite } from '../graph/site';
import { Attrs, Operation, Tensor, TensorLike } from '../graph/tensor';
import { NDArray, toNDArray } from '../ndarray';

/** Static (or, at run time, concrete) facts about an op's inputs, given to its shape function. */
export interface InferContext {
  readonly type: string;
  readonly name: string;
  readonly shapes: readonly Shape[];
  readonly dtypes: readonly DType[];
  readonly attrs: Readonly<Attrs>;
  /** True when called by the executor with concrete shapes (then every shape is fully known). */
  readonly runtime: boolean;
  /** The input's value when known: constants at build time, every input at run time. */
  value(i: number): NDArray | undefined;
  /**
   * Build time only: the partially known value of a 1-D int32 input, as TF1's shape inference reads a
   * shape tensor (`constant_value_as_shape`): a constant's values, `tf.shape(x)` as x's static dims, and
   * `tf.stack` / `tf.concat` of those; `null` entries are unknown. `undefined` when nothing is known.
   */
  partialValue?(i: number): (number | null)[] | undefined;
  /** Throws TF1's build-time message (`… for 'x' (op: 'T') with input shapes: …`) or the run-time one. */
  fail(message: string): never;
}

export interface OutputSpec {
  shape: Shape;
  dtype: DType;
}

/** A gradient rule: maps the gradients of the outputs to the gradients of the inputs (`null` = none). */
export type GradFn = (op: Operation, dys: (Tensor | null)[]) => (Tensor | null)[];

/** Everything that is true of a primitive on every backend (DESIGN.md, "Define an op once"). */
export interface OpDef {
  /** TF1 op type, e.g. 'MatMul'. Kernels are registered under it. */
  type: string;
  /** Default op name when the user gives none (TF1's defaults: 'MatMul', 'add', 'Const', …). */
  defaultName?: string;
  /** Shape and dtype inference: the only place output shapes are computed (build time and run time). */
  infer(ctx: InferContext): OutputSpec[];
  /** Gradient rule, or `'none'` for ops that are not differentiable (their inputs get no gradient). */
  grad?: GradFn | 'none';
  /** Stateful ops (random, variables, assignment) are never folded, merged or cached. */
  stateful?: boolean;
  /** Input positions that are variable references (written, not read, by the op). */
  refInputs?: readonly number[];
  /**
   * Control flow (If, While): output shapes are known only by running the op's sub-graphs, so the
   * executor skips run-time inference and the kernel's results carry the shapes.
   */
  shapesFromKernel?: boolean;
  /** Elementwise ops: their scalar formula (see elementwise.ts); kernels are generated from it. */
  elementwise?: ElementwiseSpec;
}

/** The formula of an elementwise op: variable names of its inputs and a mathjs expression over them. */
export interface ElementwiseSpec {
  vars(attrs: Readonly<Attrs>): readonly string[];
  formula(attrs: Readonly<Attrs>): string;
}

const registry = new Map<string, OpDef>();

/** Registers a primitive. Each op file calls this once. */
export function defineOp(def: OpDef): OpDef {
  if (registry.has(def.type)) throw new Error(`Op type '${def.type}' is defined twice`);
  registry.set(def.type, def);
  return def;
}

export function getOpDef(type: string): OpDef {
  const def = registry.get(type);
  if (!def) throw new InvalidArgumentError(`Op type not registered '${type}'`);
  return def;
}

export function hasOpDef(type: string): boolean {
  return registry.has(type);
}

export function registeredOpTypes(): string[] {
  return [...registry.keys()].sort();
}

/** The common options of every op builder; a plain string means `{ name }`. */
export interface NameOption {
  name?: string;
}
export function parseOptions<T extends object>(opts: (T & NameOption) | string | undefined): T & NameOption {
  if (opts === undefined) return {} as T & NameOption;
  if (typeof opts === 'string') return { name: opts } as T & NameOption;
  return opts;
}

/** The const op: its value lives in the `value` attr. Defined here because every conversion needs it. */
export const ConstDef = defineOp({
  type: 'Const',
  infer: (ctx) => {
    const v = ctx.attrs.value as NDArray;
    return [{ shape: v.shape.slice(), dtype: v.dtype }];
  },
  grad: 'none',
});

/**
 * Converts a TensorLike to a Tensor in `graph`: Tensors pass through, plain data becomes a Const (SPEC §2,
 * TF1's `convert_to_tensor`). With a dtype hint (the dtype of a tensor operand next to it), plain numbers
 * take that dtype; one the dtype cannot hold exactly (0.5 or 2**31 for int32) is a `TypeError`, as in TF1.
 * A nested array holding Tensors is packed (TF1's auto-packing): `[1, t, 2]` becomes `tf.stack` of its
 * elements, the plain ones converted to the dtype of the tensors in it.
 */
export function convertToTensor(x: TensorLike, dtypeHint?: DType, graph?: Graph): Tensor {
  if (x instanceof Tensor) return x;
  const g = graph ?? getDefaultGraph();
  if (Array.isArray(x) && containsTensor(x)) return autoPack(x, dtypeHint, g);
  let hint = dtypeHint;
  if (hint === 'bool' && typeof x === 'number') hint = undefined;
  // Plain JS numbers keep float64 storage in the graph: exact in float64 mode, rounded by the Const kernel.
  const plain = !(x instanceof NDArray) && !ArrayBuffer.isView(x);
  if (plain && hint === 'int32') assertInt32Values(x);
  const value = toNDArray(x, isDType(hint) && plain ? hintFor(x, hint) : undefined, plain);
  return makeOp('Const', [], { value, dtype: value.dtype }, undefined, g).outputs[0] as Tensor;
}

/** True when a (nested) array holds a Tensor somewhere. */
export function containsTensor(x: unknown): boolean {
  return x instanceof Tensor || (Array.isArray(x) && x.some(containsTensor));
}

function firstNestedDtype(x: unknown): DType | undefined {
  if (x instanceof Tensor) return x.dtype;
  if (!Array.isArray(x)) return undefined;
  for (const e of x) {
    const d = firstNestedDtype(e);
    if (d !== undefined) return d;
  }
  return undefined;
}

/** TF1's auto-packing: a list holding Tensors becomes one Pack op (named `packed`) along axis 0. */
function autoPack(x: readonly unknown[], dtypeHint: DType | undefined, g: Graph): Tensor {
  if (x.length === 0) throw new TypeError('Cannot convert an empty list holding tensors to a tensor');
  const dtype = firstNestedDtype(x) ?? dtypeHint;
  const elems = x.map((e) => convertToTensor(e as TensorLike, dtype, g));
  return makeOp('Pack', elems, { N: elems.length, axis: 0 }, 'packed', g).outputs[0] as Tensor;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** TF1's `TypeError: Expected int32, got 0.5 of type 'float' instead.` for values int32 cannot hold. */
function assertInt32Values(x: unknown): void {
  const check = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(check);
      return;
    }
    if (typeof v === 'number' && !(Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX)) {
      const why = Number.isInteger(v) ? ' (out of the int32 range [-2**31, 2**31))' : '';
      throw new TypeError(
        `Expected int32, got ${String(v)} of type 'number' instead${why}: a plain value next to an int32 ` +
          'tensor takes its dtype, and int32 cannot hold it exactly. Cast one side (tf.cast(x, tf.float32)) ' +
          'or pass a value int32 can hold.',
      );
    }
  };
  check(x);
}

function hintFor(x: TensorLike, hint: DType): DType | undefined {
  if (typeof x === 'boolean') return 'bool';
  return hint;
}

/**
 * Finds the graph of the first Tensor input, else the default graph. Exception: while a function
 * sub-graph (cond branch, loop body: func_graph.ts) is the default, tensors of its enclosing graphs are
 * captured by it, so the op goes into the sub-graph.
 */
export function graphOf(inputs: readonly TensorLike[]): Graph {
  const def = getDefaultGraph();
  for (const x of inputs) {
    if (!(x instanceof Tensor)) continue;
    for (let g = def.outerGraph; g; g = g.outerGraph) if (g === x.graph) return def;
    return x.graph;
  }
  return def;
}

/** The first Tensor input's dtype: plain numbers next to it take this dtype (TF1's conversion rule). */
export function firstDtype(inputs: readonly TensorLike[]): DType | undefined {
  for (const x of inputs) if (x instanceof Tensor) return x.dtype;
  return undefined;
}

/**
 * Creates one operation: converts inputs, picks a unique name, runs shape inference (errors name the op
 * and shapes) and adds the node to the graph. Every op builder ends here.
 */
export function makeOp(
  type: string,
  inputs: readonly TensorLike[],
  attrs: Attrs,
  name?: string,
  graph?: Graph,
  extra?: { controlInputs?: Operation[]; dtypeHint?: DType; exactName?: string },
): Operation {
  const def = getOpDef(type);
  const g = graph ?? graphOf(inputs);
  const tensors = inputs.map((x) => convertToTensor(x, extra?.dtypeHint, g));
  const opName = extra?.exactName ?? g.uniqueName(name ?? def.defaultName ?? type);
  const ctx = buildTimeContext(type, opName, tensors, attrs);
  const outputs = def.infer(ctx);
  return g.addOp({
    type,
    name: opName,
    nameIsFinal: true,
    inputs: tensors,
    attrs,
    def,
    outputs,
    controlInputs: extra?.controlInputs,
  });
}

/** Convenience: `makeOp(...)` for single-output ops. */
export function makeTensor(
  type: string,
  inputs: readonly TensorLike[],
  attrs: Attrs,
  name?: string,
  dtypeHint?: DType,
): Tensor {
  const hint = dtypeHint ?? firstDtype(inputs);
  return makeOp(type, inputs, attrs, name, undefined, { dtypeHint: hint }).outputs[0] as Tensor;
}

/** A Const's values as plain numbers (int32 tensors only). */
function constInts(t: Tensor): number[] | undefined {
  if (t.op.type !== 'Const' || t.dtype !== 'int32') return undefined;
  return Array.from((t.op.attrs.value as NDArray).data as Int32Array);
}

/**
 * The partially known value of a 1-D int32 tensor at build time (TF1's `constant_value_as_shape` /
 * the C++ shape refiner's partial evaluation): Const, Shape (the input's static dims), Pack of scalars
 * along axis 0 (constant scalars known, others unknown) and ConcatV2 of such vectors along axis 0.
 */
function partialIntVector(t: Tensor): (number | null)[] | undefined {
  if (t.dtype !== 'int32' || t.shape === null || t.shape.length !== 1) return undefined;
  const op = t.op;
  switch (op.type) {
    case 'Const':
      return constInts(t);
    case 'Shape': {
      const s = (op.inputs[0] as Tensor).shape;
      return s === null ? undefined : [...s];
    }
    case 'Pack': {
      if (op.attrs.axis !== 0) return undefined;
      return op.inputs.map((x) =>
        x.shape !== null && x.shape.length === 0 ? (constInts(x)?.[0] ?? null) : null,
      );
    }
    case 'ConcatV2': {
      const n = op.attrs.N as number;
      const axis = constInts(op.inputs[n] as Tensor);
      if (axis === undefined || (axis[0] !== 0 && axis[0] !== -1)) return undefined;
      const parts = op.inputs.slice(0, n).map(partialIntVector);
      return parts.some((p) => p === undefined) ? undefined : parts.flatMap((p) => p as (number | null)[]);
    }
    default:
      return undefined;
  }
}

function buildTimeContext(type: string, name: string, inputs: Tensor[], attrs: Attrs): InferContext {
  return {
    type,
    name,
    shapes: inputs.map((t) => t.shape),
    dtypes: inputs.map((t) => t.dtype),
    attrs,
    runtime: false,
    value: (i) => {
      const t = inputs[i];
      return t && t.op.type === 'Const' ? (t.op.attrs.value as NDArray) : undefined;
    },
    partialValue: (i) => {
      const t = inputs[i];
      return t ? partialIntVector(t) : undefined;
    },
    fail: (message) => {
      const shapes = inputs.map((t) => shapeToString(t.shape)).join(', ');
      throw new InvalidArgumentError(
        `${message} for '${name}' (op: '${type}') with input shapes: ${shapes}.\n\tdefined at ${userCallSite()}`,
      );
    },
  };
}
