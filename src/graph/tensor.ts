import type { DType } from './dtype';
import { TensorShape, type Shape } from './shape';
import type { Graph } from './graph';
import type { OpDef } from '../ops/op_def';
import type { NDArray, NestedArray } from '../ndarray';

/** A value allowed as an attribute of an op: plain JSON-like data, or a constant's NDArray. */
export type AttrValue =
  string | number | boolean | null | NDArray | AttrValue[] | { [key: string]: AttrValue };
export type Attrs = Record<string, AttrValue>;

/** A node of the graph: one primitive with its inputs, attrs and outputs. Built by op builders, never directly. */
export class Operation {
  /** Output tensors, set by the graph right after construction. */
  outputs: Tensor[] = [];

  constructor(
    readonly graph: Graph,
    /** Creation order in the graph; also a valid topological order. */
    readonly id: number,
    readonly name: string,
    readonly type: string,
    readonly inputs: readonly Tensor[],
    readonly attrs: Readonly<Attrs>,
    readonly controlInputs: readonly Operation[],
    readonly def: OpDef,
    /** Device string from `tf.device`, or '' when unplaced. */
    readonly device: string,
    /** `file:line` in the user's code where the op was created. */
    readonly site: string,
  ) {}

  /** TF1-style identification used in error messages. */
  describe(): string {
    return `'${this.name}' (op: '${this.type}', defined at ${this.site})`;
  }

  /**
   * Runs this operation in a session (TF1's `op.run(feed_dict=None, session=None)`): the default session
   * (`tf.InteractiveSession`, `sess.asDefault(fn)`) unless one is given. Same arguments as `Tensor.eval`.
   *
   * @example
   * const sess = new tf.InteractiveSession();
   * tf.globalVariablesInitializer().run();
   */
  run(feedDict?: EvalFeedDict | EvalOptions | SessionLike | null, session?: SessionLike | null): void {
    sessionHooks().runOperation(this, [feedDict, session]);
  }

  toString(): string {
    return `Operation(name='${this.name}', type=${this.type})`;
  }
}

/** A feed dict as `Tensor.eval` / `Operation.run` take it (see `Session.run`). */
export type EvalFeedDict =
  | Map<Tensor | string, unknown>
  | readonly (readonly [Tensor | string, unknown])[]
  | { readonly [tensorName: string]: unknown };
/** What graph code knows of a Session (the session floor implements it). */
export interface SessionLike {
  readonly graph: Graph;
  run(fetches: never, feedDict?: never): unknown;
}
/** The keyword form of `eval`/`run`: `t.eval({ feedDict, session })` (TF1's `feed_dict=`, `session=`). */
export interface EvalOptions {
  feedDict?: EvalFeedDict | null;
  session?: SessionLike | null;
}

/** `Tensor.eval` / `Operation.run`, installed by the session package (graph code never imports it). */
export interface SessionMethodImpls {
  evalTensor(t: Tensor, args: readonly unknown[]): NDArray;
  runOperation(op: Operation, args: readonly unknown[]): void;
}
let sessionImpls: SessionMethodImpls | undefined;
export function installSessionMethods(m: SessionMethodImpls): void {
  sessionImpls = m;
}
function sessionHooks(): SessionMethodImpls {
  if (!sessionImpls) throw new Error('tensorgraph sessions are not loaded');
  return sessionImpls;
}

/** Values accepted wherever a tensor is expected: a Tensor (or Variable), or data that becomes a constant. */
export type TensorLike = Tensor | NDArray | NestedArray | Float32Array | Int32Array | Uint8Array;

/** Operator-method implementations, installed by the ops package (keeps this file free of op imports). */
export interface TensorMethodImpls {
  binary(type: string, a: Tensor, b: TensorLike, name?: string): Tensor;
  unary(type: string, a: Tensor, name?: string): Tensor;
  matmul(a: Tensor, b: TensorLike, name?: string): Tensor;
  reshape(a: Tensor, shape: TensorLike, name?: string): Tensor;
  cast(a: Tensor, dtype: DType, name?: string): Tensor;
  reduce(type: string, a: Tensor, axis?: number | number[], keepDims?: boolean): Tensor;
}
let impls: TensorMethodImpls | undefined;
export function installTensorMethods(m: TensorMethodImpls): void {
  impls = m;
}

/** One index of `x.at(...)` (SPEC §3): an integer, a slice string (':', '1:3', '::-1'), '...', or tf.newaxis. */
export type IndexSpec = number | string | symbol;
let indexImpl: ((x: Tensor, specs: readonly IndexSpec[]) => Tensor) | undefined;
/** Installs `Tensor.at` (ops/array/indexing.ts; keeps this file free of op imports). */
export function installIndexing(f: (x: Tensor, specs: readonly IndexSpec[]) => Tensor): void {
  indexImpl = f;
}
function m(): TensorMethodImpls {
  if (!impls) throw new Error('tensorgraph ops are not loaded');
  return impls;
}

/**
 * A symbolic handle to the `index`-th output of an operation. It never holds data: values come from
 * `Session.run`.
 *
 * @example
 * const x = tf.placeholder('float32', [null, 3]);
 * const y = x.mul(2).add(1); // same as tf.add(tf.multiply(x, 2), 1)
 * y.shape; // [null, 3]
 */
export class Tensor {
  constructor(
    readonly op: Operation,
    readonly index: number,
    /** Static shape; `null` entries are unknown until run time, `null` means unknown rank. */
    readonly shape: Shape,
    readonly dtype: DType,
  ) {}

  /** `"<op name>:<output index>"`, as in TF1. */
  get name(): string {
    return `${this.op.name}:${this.index}`;
  }
  get graph(): Graph {
    return this.op.graph;
  }
  get rank(): number | null {
    return this.shape === null ? null : this.shape.length;
  }
  /**
   * TF1's `get_shape()`: the static shape as a `TensorShape` (`x.getShape().asList()` → `[null, 784]`).
   *
   * @example
   * tf.reshape(conv2, [-1, weights.wd1.getShape().asList()[0]]);
   */
  getShape(): TensorShape {
    return new TensorShape(this.shape);
  }
  /** Unique id of this tensor within its graph (op id and output index). */
  get key(): string {
    return `${this.op.id}:${this.index}`;
  }

  add(y: TensorLike, name?: string): Tensor {
    return m().binary('Add', this, y, name);
  }
  sub(y: TensorLike, name?: string): Tensor {
    return m().binary('Sub', this, y, name);
  }
  mul(y: TensorLike, name?: string): Tensor {
    return m().binary('Mul', this, y, name);
  }
  div(y: TensorLike, name?: string): Tensor {
    return m().binary('RealDiv', this, y, name);
  }
  pow(y: TensorLike, name?: string): Tensor {
    return m().binary('Pow', this, y, name);
  }
  /**
   * TF1's `x[...]`: one StridedSlice. @example x.at(0), x.at(':', '1:3'), x.at('...', tf.newaxis), x.at('::-1')
   */
  at(...specs: IndexSpec[]): Tensor {
    if (!indexImpl) throw new Error('tensorgraph ops are not loaded');
    return indexImpl(this, specs);
  }
  maximum(y: TensorLike, name?: string): Tensor {
    return m().binary('Maximum', this, y, name);
  }
  minimum(y: TensorLike, name?: string): Tensor {
    return m().binary('Minimum', this, y, name);
  }
  equal(y: TensorLike, name?: string): Tensor {
    return m().binary('Equal', this, y, name);
  }
  less(y: TensorLike, name?: string): Tensor {
    return m().binary('Less', this, y, name);
  }
  greater(y: TensorLike, name?: string): Tensor {
    return m().binary('Greater', this, y, name);
  }
  matmul(y: TensorLike, name?: string): Tensor {
    return m().matmul(this, y, name);
  }
  neg(name?: string): Tensor {
    return m().unary('Neg', this, name);
  }
  abs(name?: string): Tensor {
    return m().unary('Abs', this, name);
  }
  square(name?: string): Tensor {
    return m().unary('Square', this, name);
  }
  sqrt(name?: string): Tensor {
    return m().unary('Sqrt', this, name);
  }
  exp(name?: string): Tensor {
    return m().unary('Exp', this, name);
  }
  log(name?: string): Tensor {
    return m().unary('Log', this, name);
  }
  sigmoid(name?: string): Tensor {
    return m().unary('Sigmoid', this, name);
  }
  tanh(name?: string): Tensor {
    return m().unary('Tanh', this, name);
  }
  relu(name?: string): Tensor {
    return m().unary('Relu', this, name);
  }
  reshape(shape: TensorLike, name?: string): Tensor {
    return m().reshape(this, shape, name);
  }
  cast(dtype: DType, name?: string): Tensor {
    return m().cast(this, dtype, name);
  }
  sum(axis?: number | number[], keepDims = false): Tensor {
    return m().reduce('Sum', this, axis, keepDims);
  }
  mean(axis?: number | number[], keepDims = false): Tensor {
    return m().reduce('Mean', this, axis, keepDims);
  }
  max(axis?: number | number[], keepDims = false): Tensor {
    return m().reduce('Max', this, axis, keepDims);
  }
  min(axis?: number | number[], keepDims = false): Tensor {
    return m().reduce('Min', this, axis, keepDims);
  }

  /**
   * Computes this tensor in a session (TF1's `t.eval(feed_dict=None, session=None)`): the default
   * session (`tf.InteractiveSession`, `sess.asDefault(fn)`) unless one is given. Forms:
   * `t.eval()`, `t.eval(feedDict)`, `t.eval(feedDict, sess)`, `t.eval(sess)`, `t.eval({ feedDict, session })`.
   * A plain object is the keyword form only when its keys are among `feedDict`/`feed_dict`/`session` and
   * none of them names a tensor of the graph; otherwise it is a feed dict keyed by tensor names.
   *
   * @example
   * const sess = new tf.InteractiveSession();
   * tf.add(1, 2).eval().item(); // 3
   * y.eval({ 'x:0': [[1, 2]] });
   */
  eval(feedDict?: EvalFeedDict | EvalOptions | SessionLike | null, session?: SessionLike | null): NDArray {
    return sessionHooks().evalTensor(this, [feedDict, session]);
  }

  /**
   * JS operators do not build ops: `w * x + b` or `x < 14` on Tensors would silently compute with
   * meaningless numbers, so they throw. String conversion (`${t}`) still gives `toString()`.
   */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return this.toString();
    throw new TypeError(
      `${this.toString()} was used in JS arithmetic or a comparison (e.g. \`w * x + b\`, \`x < 14\`), ` +
        'which does not build graph ops. Use the tf functions or Tensor methods instead: ' +
        'tf.add(a, b) / a.add(b), tf.subtract / a.sub, tf.multiply / a.mul, tf.divide / a.div, ' +
        'tf.matmul / a.matmul, and for comparisons tf.less(x, 14), tf.greater, tf.equal, …',
    );
  }

  toString(): string {
    const shape =
      this.shape === null ? '<unknown>' : `(${this.shape.map((d) => (d === null ? '?' : d)).join(', ')})`;
    return `Tensor("${this.name}", shape=${shape}, dtype=${this.dtype})`;
  }
}
