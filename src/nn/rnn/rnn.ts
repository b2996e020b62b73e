import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { variableScope, VariableScope } from '../../graph/variable_scope';
import { gather } from '../../ops/array/gather';
import { transpose } from '../../ops/array/transpose';
import { zerosLike } from '../../ops/array/broadcast';
import { identity } from '../../ops/control/basic';
import { flatten, Nested, packSequenceAs } from '../../ops/control/nest';
import { buildWhile } from '../../ops/control/while_loop';
import { shape as shapeOf } from '../../ops/fill/shape';
import { add, cast, greaterEqual, less, maximum, minimum, where } from '../../ops/math/builders';
import { convertToTensor } from '../../ops/op_def';
import { reduceMax } from '../../ops/reduce/extremum';
import { BasicRNNCell, LSTMStateTuple, RNNCell, RNNState } from './cells';
import { declare, kinds, param } from '../../graph/signature';

export const cellKind = kinds.custom<RNNCell>(
  'an RNN cell (tf.nn.rnnCell.*)',
  (v) => v instanceof RNNCell,
  () => new BasicRNNCell(1),
);
/** A state: a Tensor, an LSTMStateTuple, a `{ c, h }` pair of Tensors, or an array of states. */
function isState(v: unknown): boolean {
  if (v instanceof Tensor || v instanceof LSTMStateTuple) return true;
  if (Array.isArray(v)) return v.every(isState);
  const o = v as { c?: unknown; h?: unknown } | null;
  return o !== null && typeof o === 'object' && o.c instanceof Tensor && o.h instanceof Tensor;
}
export const stateKind = kinds.custom<RNNState | null | undefined>(
  'a state tensor or a nested structure of them (LSTMStateTuple, arrays), or null',
  (v) => v === null || isState(v),
);
export const scopeKind = kinds.nullable(
  kinds.custom<string | VariableScope>(
    'a scope name or a VariableScope',
    (v) => typeof v === 'string' || v instanceof VariableScope,
  ),
);

/** Options of `tf.nn.staticRnn` and `tf.nn.dynamicRnn`. */
export interface RNNOptions {
  /** The cell's initial state (default: `cell.zeroState(batch, dtype)`). */
  initialState?: RNNState;
  /** Dtype of the zero initial state (default: the inputs' dtype). */
  dtype?: DType;
  /**
   * int32 [batch]: each sequence's length. Past its length a sequence's outputs are zeros and its state
   * is carried through unchanged, so the final state is the state at its last step.
   */
  sequenceLength?: TensorLike;
  /** Variable scope (default 'rnn'). */
  scope?: string | VariableScope;
}

/** Options of `tf.nn.dynamicRnn`. */
export interface DynamicRNNOptions extends RNNOptions {
  /** Inputs and outputs are [time, batch, depth] instead of [batch, time, depth]. */
  timeMajor?: boolean;
}

/**
 * Runs `cell` over a list of inputs, unrolled: one copy of the cell's ops per time step, all sharing
 * the cell's variables (TF1's `tf.nn.static_rnn`, scope 'rnn'). Returns `[outputs, finalState]`.
 *
 * @example
 * const xs = tf.unstack(x, { axis: 1 });            // time steps of [batch, depth]
 * const [outputs, state] = tf.nn.staticRnn(new tf.nn.rnnCell.BasicRNNCell(32), xs, { dtype: 'float32' });
 */
export const staticRnn = declare(
  'staticRnn',
  [
    param('cell', cellKind),
    param('inputs', kinds.tensors),
    param('initialState', stateKind, { default: undefined as RNNState | null | undefined }),
    param('dtype', kinds.nullable(kinds.dtype), { default: null }),
    param('sequenceLength', kinds.nullable(kinds.tensor), { default: null }),
    param('scope', scopeKind, { default: null }),
  ] as const,
  (a): [Tensor[], RNNState] =>
    staticRnnImpl(a.cell, a.inputs as TensorLike[], {
      initialState: a.initialState ?? undefined,
      dtype: a.dtype ?? undefined,
      sequenceLength: (a.sequenceLength ?? undefined) as TensorLike | undefined,
      scope: a.scope ?? undefined,
    }),
);

function staticRnnImpl(
  cell: RNNCell,
  inputs: readonly TensorLike[],
  options: RNNOptions,
): [Tensor[], RNNState] {
  if (inputs.length === 0) throw new InvalidArgumentError('inputs must not be empty');
  return variableScope(options.scope ?? 'rnn', (varscope) => {
    const xs = inputs.map((x) => convertToTensor(x));
    const first = xs[0] as Tensor;
    if (first.shape !== null && first.shape.length !== 2) {
      throw new InvalidArgumentError(
        `Expected inputs of rank 2 ([batch, depth]), got shape ${shapeToString(first.shape)}`,
      );
    }
    const state0 = options.initialState ?? cell.zeroState(batchSize(first, 0), options.dtype ?? first.dtype);
    const seqLen = sequenceLengths(options.sequenceLength);
    let state = state0;
    const outputs = xs.map((x, t) => {
      if (t > 0) varscope.reuseVariables();
      const [out, next] = cell.call(x, state);
      const [o, s] = seqLen
        ? maskPastEnd(convertToTensor(t, 'int32'), seqLen, out, state, next)
        : [out, next];
      state = s;
      return o;
    });
    return [outputs, state];
  });
}

/**
 * Runs `cell` over the time axis of `inputs` ([batch, time, depth], or [time, batch, depth] with
 * `timeMajor`) in a `tf.whileLoop` (TF1's `tf.nn.dynamic_rnn`, scope 'rnn'): the graph holds one copy
 * of the cell, whatever the number of steps, and the time axis may be unknown until run time.
 * Returns `[outputs, finalState]`; differentiable (backpropagation through time).
 *
 * @example
 * const x = tf.placeholder('float32', [null, 28, 28]);
 * const cell = new tf.nn.rnnCell.GRUCell(128);
 * const [outputs, state] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' }); // outputs [?, 28, 128]
 */
export const dynamicRnn = declare(
  'dynamicRnn',
  [
    param('cell', cellKind),
    param('inputs', kinds.tensor),
    param('sequenceLength', kinds.nullable(kinds.tensor), { default: null }),
    param('initialState', stateKind, { default: undefined as RNNState | null | undefined }),
    param('dtype', kinds.nullable(kinds.dtype), { default: null }),
    param('parallelIterations', kinds.nullable(kinds.int), { default: null }),
    param('swapMemory', kinds.bool, { default: false }),
    param('timeMajor', kinds.bool, { default: false }),
    param('scope', scopeKind, { default: null }),
  ] as const,
  (a): [Tensor, RNNState] => {
    if (a.parallelIterations !== null && a.parallelIterations < 1)
      throw new InvalidArgumentError(`parallel_iterations must be positive, got ${a.parallelIterations}`);
    return dynamicRnnImpl(a.cell, a.inputs as TensorLike, {
      initialState: a.initialState ?? undefined,
      dtype: a.dtype ?? undefined,
      sequenceLength: (a.sequenceLength ?? undefined) as TensorLike | undefined,
      scope: a.scope ?? undefined,
      timeMajor: a.timeMajor,
    });
  },
);

function dynamicRnnImpl(cell: RNNCell, inputs: TensorLike, options: DynamicRNNOptions): [Tensor, RNNState] {
  return variableScope(options.scope ?? 'rnn', () => {
    let x = convertToTensor(inputs);
    if (x.shape !== null && x.shape.length !== 3) {
      throw new InvalidArgumentError(
        `Expected inputs of rank 3 ([batch, time, depth]), got shape ${shapeToString(x.shape)}`,
      );
    }
    if (!options.timeMajor) x = transpose(x, [1, 0, 2]);
    const timeSteps = dimOf(x, 0);
    const state0 = options.initialState ?? cell.zeroState(batchSize(x, 1), options.dtype ?? x.dtype);
    const flat0 = flatten(state0 as Nested<Tensor>).map((s) => convertToTensor(s));
    const seqLen = sequenceLengths(options.sequenceLength);
    // TF1: run to the longest sequence only (at least one step); later outputs stay zero.
    const bound = seqLen ? minimum(timeSteps, maximum(1, reduceMax(seqLen))) : timeSteps;
    const { finals, accs } = buildWhile({
      name: 'while',
      loopVars: [convertToTensor(0, 'int32'), ...flat0],
      cond: (time) => less(time as Tensor, bound),
      body: (time, ...flat) => {
        const t = time as Tensor;
        const state = packSequenceAs(state0 as Nested<Tensor>, flat) as RNNState;
        const [out, next] = cell.call(gather(x, t), state);
        const [o, s] = seqLen ? maskPastEnd(t, seqLen, out, state, next) : [out, next];
        return { next: [add(t, 1), ...(flatten(s as Nested<Tensor>) as Tensor[])], acc: [o] };
      },
      accSize: timeSteps,
    });
    let outputs = accs[0] as Tensor;
    if (!options.timeMajor) outputs = transpose(outputs, [1, 0, 2]);
    return [outputs, packSequenceAs(state0 as Nested<Tensor>, finals.slice(1)) as RNNState];
  });
}

/** TF1's `_rnn_step` copy-through: past its length a row's output is zero and its state is kept. */
function maskPastEnd(
  time: Tensor,
  seqLen: Tensor,
  out: Tensor,
  state: RNNState,
  next: RNNState,
): [Tensor, RNNState] {
  // [batch]: TF1's v1 where with a vector condition selects whole rows (batch select).
  const done = greaterEqual(time, seqLen);
  const output = where(done, zerosLike(out), out);
  const oldLeaves = flatten(state as Nested<Tensor>) as Tensor[];
  const newLeaves = flatten(next as Nested<Tensor>) as Tensor[];
  if (oldLeaves.length !== newLeaves.length)
    throw new InvalidArgumentError('The cell returned a state of another structure');
  const kept = newLeaves.map((s, i) => where(done, oldLeaves[i] as Tensor, s));
  return [output, packSequenceAs(next as Nested<Tensor>, kept) as RNNState];
}

function sequenceLengths(seq: TensorLike | undefined): Tensor | undefined {
  if (seq === undefined) return undefined;
  const t = convertToTensor(seq, 'int32');
  if (t.shape !== null && t.shape.length !== 1) {
    throw new InvalidArgumentError(
      `sequence_length must be a vector of length batch_size, but saw shape: ${shapeToString(t.shape)}`,
    );
  }
  return identity(t.dtype === 'int32' ? t : cast(t, 'int32'), 'sequence_length');
}

/** Dim `axis` of `x`: a number when static, else an int32 scalar computed at run time. */
function dimOf(x: Tensor, axis: number): Tensor {
  const d = x.shape?.[axis];
  if (typeof d === 'number') return convertToTensor(d, 'int32');
  return gather(shapeOf(x), axis);
}

function batchSize(x: Tensor, axis: number): number | Tensor {
  const d = x.shape?.[axis];
  return typeof d === 'number' ? d : dimOf(x, axis);
}
