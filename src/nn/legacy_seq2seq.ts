// `tf.contrib.legacy_seq2seq` (TF1's contrib/legacy_seq2seq/python/ops/seq2seq.py): the list-of-tensors
// decoder and losses of classic TF1 RNN programs (char-rnn language models and the like):
// rnn_decoder, sequence_loss_by_example and sequence_loss.
import { InvalidArgumentError } from '../errors';
import { nameScope } from '../graph/graph';
import { declare, INVALID, kinds, param } from '../graph/signature';
import { Tensor, TensorLike } from '../graph/tensor';
import { getVariableScope, variableScope } from '../graph/variable_scope';
import { addN } from '../ops/array/broadcast';
import { reshape } from '../ops/array/reshape';
import { zeros } from '../ops/fill/fill';
import { shape as shapeOf } from '../ops/fill/shape';
import { add, cast, divide, multiply } from '../ops/math/builders';
import { convertToTensor } from '../ops/op_def';
import { reduceSum } from '../ops/reduce/sum';
import { sparseSoftmaxCrossEntropyWithLogits } from './losses';
import type { RNNState } from './rnn/cell_base';
import { cellKind, scopeKind, stateKind } from './rnn/rnn';

type LoopFunction = (prev: Tensor, i: number) => Tensor;

/** A required RNN state: a Tensor, an LSTMStateTuple or a nested structure of them. */
const initialStateKind = kinds.custom<RNNState>(
  'a state tensor or a nested structure of them (LSTMStateTuple, arrays)',
  (v) => v !== null && v !== undefined && stateKind.parse(v) !== INVALID,
  () => zeros([1, 1]),
);
type LossFunction = (args: { labels: Tensor; logits: Tensor }) => Tensor;

/**
 * RNN decoder for a list of inputs (TF1 `tf.contrib.legacy_seq2seq.rnn_decoder(decoder_inputs,
 * initial_state, cell, loop_function=None, scope=None)`): runs `cell` from `initialState` over
 * `decoderInputs` in variable scope `scope` (default 'rnn_decoder'), sharing the cell's variables across
 * steps. With `loopFunction(prev, i)`, every input after the first is computed from the previous output
 * instead (in variable scope 'loop_function', reusing). Returns `[outputs, state]`.
 *
 * @example
 * const [outputs, lastState] = tf.contrib.legacySeq2seq.rnnDecoder(inputs, cell.zeroState(b, 'float32'),
 *   cell, { scope: 'rnnlm' });
 */
export const rnnDecoder = declare(
  'rnnDecoder',
  [
    param('decoderInputs', kinds.tensors),
    param('initialState', initialStateKind),
    param('cell', cellKind),
    param('loopFunction', kinds.nullable(kinds.fn), { default: null }),
    param('scope', scopeKind, { default: null }),
  ] as const,
  (a): [Tensor[], RNNState] => {
    const inputs = a.decoderInputs as TensorLike[];
    const loop = a.loopFunction as LoopFunction | null;
    return variableScope(a.scope ?? 'rnn_decoder', () => {
      let state = a.initialState as RNNState;
      const outputs: Tensor[] = [];
      let prev: Tensor | null = null;
      inputs.forEach((input, i) => {
        let inp = convertToTensor(input);
        if (loop !== null && prev !== null) {
          const p = prev;
          inp = variableScope('loop_function', { reuse: true }, () => loop(p, i));
        }
        if (i > 0) getVariableScope().reuseVariables();
        const [output, next] = a.cell.call(inp, state);
        state = next;
        outputs.push(output);
        if (loop !== null) prev = output;
      });
      return [outputs, state];
    });
  },
);

const tensorList = kinds.tensors;

function weightedLosses(
  fn: string,
  logits: TensorLike[],
  targets: TensorLike[],
  weights: TensorLike[],
  lossFunction: LossFunction | null,
): Tensor[] {
  if (targets.length !== logits.length || weights.length !== logits.length) {
    throw new InvalidArgumentError(
      `Lengths of logits, weights, and targets must be the same ${logits.length}, ${weights.length}, ${targets.length}.`,
    );
  }
  if (logits.length === 0) throw new InvalidArgumentError(`${fn}: logits must not be empty`);
  return logits.map((logit, i) => {
    let crossent: Tensor;
    if (lossFunction === null) {
      // TF1 reshapes the target to a vector (it is sometimes given as a scalar per example).
      const target = reshape(convertToTensor(targets[i] as TensorLike, 'int32'), [-1]);
      crossent = sparseSoftmaxCrossEntropyWithLogits({ labels: target, logits: logit });
    } else {
      const r = lossFunction({
        labels: convertToTensor(targets[i] as TensorLike),
        logits: convertToTensor(logit),
      });
      if (!(r instanceof Tensor)) throw new TypeError(`${fn}: softmaxLossFunction must return a Tensor`);
      crossent = r;
    }
    return multiply(crossent, weights[i] as TensorLike);
  });
}

/**
 * Weighted cross-entropy of a list of logits, per example (TF1
 * `tf.contrib.legacy_seq2seq.sequence_loss_by_example(logits, targets, weights,
 * average_across_timesteps=True, softmax_loss_function=None, name=None)`): `logits` are [batch, classes]
 * tensors, `targets` int32 [batch] and `weights` float [batch], one of each per step. Returns the [batch]
 * sum of the weighted cross-entropies, divided by the summed weights (+1e-12) when averaging.
 *
 * @example
 * const loss = tf.contrib.legacySeq2seq.sequenceLossByExample([logits], [tf.reshape(targets, [-1])],
 *   [tf.ones([batchSize * seqLength])]);
 */
export const sequenceLossByExample = declare(
  'sequenceLossByExample',
  [
    param('logits', tensorList),
    param('targets', tensorList),
    param('weights', tensorList),
    param('averageAcrossTimesteps', kinds.bool, { default: true }),
    param('softmaxLossFunction', kinds.nullable(kinds.fn), { default: null }),
    param('name', kinds.nullable(kinds.name), { default: null }),
  ] as const,
  (a): Tensor =>
    nameScope(a.name, 'sequence_loss_by_example', () => {
      const fn = a.softmaxLossFunction as LossFunction | null;
      const logits = a.logits as TensorLike[];
      const targets = a.targets as TensorLike[];
      const weights = a.weights as TensorLike[];
      const logPerpList = weightedLosses('sequenceLossByExample', logits, targets, weights, fn);
      let logPerps = addN(logPerpList);
      if (a.averageAcrossTimesteps) {
        let totalSize = addN(weights.map((w) => convertToTensor(w, logPerps.dtype)));
        totalSize = add(totalSize, 1e-12); // Just to avoid division by 0 for all-0 weights.
        logPerps = divide(logPerps, totalSize);
      }
      return logPerps;
    }),
);

/**
 * The weighted cross-entropy of a list of logits, summed over the batch (TF1
 * `tf.contrib.legacy_seq2seq.sequence_loss(logits, targets, weights, average_across_timesteps=True,
 * average_across_batch=True, softmax_loss_function=None, name=None)`): the sum of
 * `sequenceLossByExample`, divided by the batch size (`tf.shape(targets[0])[0]`) when averaging.
 *
 * @example
 * const cost = tf.contrib.legacySeq2seq.sequenceLoss(logitsPerStep, targetsPerStep, weightsPerStep);
 */
export const sequenceLoss = declare(
  'sequenceLoss',
  [
    param('logits', tensorList),
    param('targets', tensorList),
    param('weights', tensorList),
    param('averageAcrossTimesteps', kinds.bool, { default: true }),
    param('averageAcrossBatch', kinds.bool, { default: true }),
    param('softmaxLossFunction', kinds.nullable(kinds.fn), { default: null }),
    param('name', kinds.nullable(kinds.name), { default: null }),
  ] as const,
  (a): Tensor =>
    nameScope(a.name, 'sequence_loss', () => {
      const cost = reduceSum(
        sequenceLossByExample(a.logits, a.targets, a.weights, {
          averageAcrossTimesteps: a.averageAcrossTimesteps,
          softmaxLossFunction: a.softmaxLossFunction,
        }),
      );
      if (!a.averageAcrossBatch) return cost;
      const batchSize = shapeOf(convertToTensor((a.targets as TensorLike[])[0] as TensorLike)).at(0);
      return divide(cost, cast(batchSize, cost.dtype));
    }),
);
