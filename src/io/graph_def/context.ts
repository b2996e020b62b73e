import type { Operation, Tensor } from '../../graph/tensor';
import type { NDArray } from '../../ndarray';
import type { NodeAttrs } from './attrs';
import type { NodeDefJSON } from './proto';

/** What an op mapper sees of the node it builds. */
export interface OpContext {
  readonly node: NodeDefJSON;
  readonly attrs: NodeAttrs;
  /** The name to give the node's main op (its last path component; the scope is already open). */
  readonly name: string;
  /** The node's data inputs, resolved to tensors of the graph being built. */
  readonly inputs: readonly Tensor[];
  input(i: number): Tensor;
  /** The value of input `i` when it is a constant of the imported graph (undefined otherwise). */
  constant(i: number): NDArray | undefined;
  /** Input `i` as (nested) plain numbers when it is a numeric constant, else the tensor itself. */
  value(i: number): Tensor | number | number[];
  /** Input `i` as plain numbers; an error naming the node when it is not a constant of the graph. */
  ints(i: number): number[];
  /** The Const node's value (from its `value` attr or the weights given to the importer), as a tensor. */
  makeConst(): Tensor;
  fail(why: string): never;
}

/** Builds one TF node from tensorgraph builders: its outputs in order, or an Operation (no outputs). */
export type OpMapper = (c: OpContext) => Tensor | readonly Tensor[] | Operation;
