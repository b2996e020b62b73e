import type { DType } from './dtype';
import type { Shape } from './shape';
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

  toString(): string {
    return `Operation(name='${this.name}', type=${this.type})`;
  }
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

  toString(): string {
    const shape =
      this.shape === null ? '<unknown>' : `(${this.shape.map((d) => (d === null ? '?' : d)).join(', ')})`;
    return `Tensor("${this.name}", shape=${shape}, dtype=${this.dtype})`;
  }
}
