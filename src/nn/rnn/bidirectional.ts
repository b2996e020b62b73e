// Bidirectional RNNs: `tf.nn.bidirectionalDynamicRnn` and `tf.nn.staticBidirectionalRnn` (TF1's
// rnn.py): a forward cell over the inputs and a backward cell over the inputs reversed in time (only
// the first sequenceLength[b] steps of each row when lengths are given), its outputs reversed back.
import { InvalidArgumentError } from '../../errors';
import { declare, kinds, param } from '../../graph/signature';
import { Tensor, TensorLike } from '../../graph/tensor';
import { variableScope } from '../../graph/variable_scope';
import { concat } from '../../ops/array/concat';
import { reverse, reverseSequence } from '../../ops/array/reverse';
import { stack, unstack } from '../../ops/array/stack';
import { convertToTensor } from '../../ops/op_def';
import { RNNState } from './cell_base';
import { cellKind, dynamicRnn, scopeKind, stateKind, staticRnn } from './rnn';

/**
 * A bidirectional recurrent network, unrolled in `tf.whileLoop`s (TF1's
 * `tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
 * initial_state_fw=None, initial_state_bw=None, dtype=None, parallel_iterations=None,
 * swap_memory=False, time_major=False, scope=None)`). The forward cell runs in scope
 * `bidirectional_rnn/fw`, the backward one in `bidirectional_rnn/bw` over the inputs reversed along time
 * (`tf.reverseSequence` with `sequenceLength`, else `tf.reverse`); the backward outputs are reversed
 * back. Returns `[[outputFw, outputBw], [stateFw, stateBw]]`.
 *
 * @example
 * const [[outFw, outBw], [stateFw, stateBw]] = tf.nn.bidirectionalDynamicRnn(
 *   new tf.nn.rnnCell.LSTMCell(64), new tf.nn.rnnCell.LSTMCell(64), x, { sequenceLength: lens, dtype: 'float32' });
 * const outputs = tf.concat([outFw, outBw], 2);
 */
export const bidirectionalDynamicRnn = declare(
  'bidirectionalDynamicRnn',
  [
    param('cellFw', cellKind),
    param('cellBw', cellKind),
    param('inputs', kinds.tensor),
    param('sequenceLength', kinds.nullable(kinds.tensor), { default: null }),
    param('initialStateFw', stateKind, { default: undefined as RNNState | null | undefined }),
    param('initialStateBw', stateKind, { default: undefined as RNNState | null | undefined }),
    param('dtype', kinds.nullable(kinds.dtype), { default: null }),
    param('parallelIterations', kinds.nullable(kinds.int), { default: null }),
    param('swapMemory', kinds.bool, { default: false }),
    param('timeMajor', kinds.bool, { default: false }),
    param('scope', scopeKind, { default: null }),
  ] as const,
  (a): [[Tensor, Tensor], [RNNState, RNNState]] =>
    variableScope(a.scope ?? 'bidirectional_rnn', () => {
      const common = {
        sequenceLength: a.sequenceLength as TensorLike | null,
        dtype: a.dtype,
        parallelIterations: a.parallelIterations,
        swapMemory: a.swapMemory,
        timeMajor: a.timeMajor,
      };
      const [outputFw, stateFw] = variableScope('fw', (fwScope) =>
        dynamicRnn(a.cellFw, a.inputs as TensorLike, {
          ...common,
          initialState: a.initialStateFw ?? null,
          scope: fwScope,
        }),
      );
      const timeAxis = a.timeMajor ? 0 : 1;
      const batchAxis = a.timeMajor ? 1 : 0;
      const lengths =
        a.sequenceLength === null ? null : convertToTensor(a.sequenceLength as TensorLike, 'int32');
      const rev = (x: TensorLike): Tensor =>
        lengths === null
          ? reverse(x, [timeAxis])
          : reverseSequence(x, lengths, { seqAxis: timeAxis, batchAxis });
      const [tmp, stateBw] = variableScope('bw', (bwScope) =>
        dynamicRnn(a.cellBw, rev(a.inputs as TensorLike), {
          ...common,
          initialState: a.initialStateBw ?? null,
          scope: bwScope,
        }),
      );
      return [
        [outputFw, rev(tmp)],
        [stateFw, stateBw],
      ];
    }),
);

/**
 * A bidirectional recurrent network over a list of time steps, unrolled (TF1's
 * `tf.nn.static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
 * initial_state_bw=None, dtype=None, sequence_length=None, scope=None)`): scopes
 * `bidirectional_rnn/fw` and `bidirectional_rnn/bw`; each output is the concatenation of the forward
 * and backward outputs of that step, [batch, outFw + outBw]. Returns `[outputs, stateFw, stateBw]`.
 *
 * @example
 * const xs = tf.unstack(x, { axis: 1 });
 * const [outputs, stateFw, stateBw] = tf.nn.staticBidirectionalRnn(fwCell, bwCell, xs, { dtype: 'float32' });
 */
export const staticBidirectionalRnn = declare(
  'staticBidirectionalRnn',
  [
    param('cellFw', cellKind),
    param('cellBw', cellKind),
    param('inputs', kinds.tensors),
    param('initialStateFw', stateKind, { default: undefined as RNNState | null | undefined }),
    param('initialStateBw', stateKind, { default: undefined as RNNState | null | undefined }),
    param('dtype', kinds.nullable(kinds.dtype), { default: null }),
    param('sequenceLength', kinds.nullable(kinds.tensor), { default: null }),
    param('scope', scopeKind, { default: null }),
  ] as const,
  (a): [Tensor[], RNNState, RNNState] => {
    const inputs = a.inputs as TensorLike[];
    if (inputs.length === 0) throw new InvalidArgumentError('inputs must not be empty');
    return variableScope(a.scope ?? 'bidirectional_rnn', () => {
      const [outputFw, stateFw] = variableScope('fw', (fwScope) =>
        staticRnn(a.cellFw, inputs, {
          initialState: a.initialStateFw ?? null,
          dtype: a.dtype,
          sequenceLength: a.sequenceLength as TensorLike | null,
          scope: fwScope,
        }),
      );
      const lengths =
        a.sequenceLength === null ? null : convertToTensor(a.sequenceLength as TensorLike, 'int32');
      const reverseSeq = (xs: TensorLike[]): Tensor[] => {
        if (lengths === null) return xs.map((x) => convertToTensor(x)).reverse();
        return unstack(reverseSequence(stack(xs), lengths, 0, 1));
      };
      const [tmp, stateBw] = variableScope('bw', (bwScope) =>
        staticRnn(a.cellBw, reverseSeq(inputs), {
          initialState: a.initialStateBw ?? null,
          dtype: a.dtype,
          sequenceLength: a.sequenceLength as TensorLike | null,
          scope: bwScope,
        }),
      );
      const outputBw = reverseSeq(tmp);
      const outputs = outputFw.map((fw, t) => concat([fw, outputBw[t] as Tensor], 1));
      return [outputs, stateFw, stateBw];
    });
  },
);
