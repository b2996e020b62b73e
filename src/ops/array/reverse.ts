// Reversal ops: `tf.reverse` (ReverseV2: whole axes) and `tf.reverseSequence` (ReverseSequence: the
// first seq_lengths[b] entries of each batch row), used by the bidirectional RNNs.
import { DType } from '../../graph/dtype';
import { Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, makeTensor } from '../op_def';
import { declare, kinds, param } from '../../graph/signature';
import { buildTensor, intTensor, intValues, requireInt, valueTensor, vectorLength } from './util';

/** ReverseV2(tensor, axis:int32 [k]): the tensor with the listed axes reversed. */
defineOp({
  type: 'ReverseV2',
  defaultName: 'ReverseV2',
  infer: (ctx) => {
    requireInt(ctx, 1, 'axis');
    const x = ctx.shapes[0] as Shape;
    const len = vectorLength(ctx, 1, 'axis');
    const dtype = ctx.dtypes[0] as DType;
    if (x !== null) {
      const rank = x.length;
      if (len !== null && len > rank) {
        ctx.fail(`'axis' must have at most ${rank} entries (the rank of the tensor), got ${len}`);
      }
      const axes = intValues(ctx, 1);
      if (axes) {
        const seen = new Set<number>();
        axes.forEach((a, i) => {
          const c = a < 0 ? a + rank : a;
          if (c < 0 || c >= rank) ctx.fail(`'axis'[${i}] = ${a} is out of valid range [${-rank}, ${rank})`);
          if (seen.has(c)) ctx.fail(`axis ${c} specified more than once.`);
          seen.add(c);
        });
      }
    }
    return [{ shape: x, dtype }];
  },
  grad: (op, [dy]) => [
    dy ? makeTensor('ReverseV2', [dy, op.inputs[1] as Tensor], {}, 'ReverseV2') : null,
    null,
  ],
});

/**
 * ReverseSequence(input, seq_lengths:int32 [batch]; seq_dim, batch_dim): for each b along batch_dim,
 * the first seq_lengths[b] slices along seq_dim are reversed; the rest are copied unchanged.
 */
defineOp({
  type: 'ReverseSequence',
  defaultName: 'ReverseSequence',
  infer: (ctx) => {
    requireInt(ctx, 1, 'seq_lengths');
    const x = ctx.shapes[0] as Shape;
    const lens = ctx.shapes[1] as Shape;
    const dtype = ctx.dtypes[0] as DType;
    const seqDim = ctx.attrs.seq_dim as number;
    const batchDim = ctx.attrs.batch_dim as number;
    if (lens !== null && lens.length !== 1) ctx.fail(`seq_lengths must be 1-dim, not ${lens.length}-dim`);
    if (seqDim === batchDim) ctx.fail(`batch_dim == seq_dim == ${seqDim}`);
    if (x !== null) {
      const rank = x.length;
      if (batchDim >= rank) ctx.fail(`batch_dim must be < input rank: ${batchDim} vs. ${rank}`);
      if (seqDim >= rank) ctx.fail(`seq_dim must be < input rank: ${seqDim} vs. ${rank}`);
      const b = x[batchDim];
      const n = lens?.[0];
      if (b !== null && b !== undefined && n !== null && n !== undefined && b !== n) {
        ctx.fail(`Length of seq_lengths != input.dims(${batchDim}), (${n} vs. ${b})`);
      }
      const values = intValues(ctx, 1);
      const t = x[seqDim];
      if (values && t !== null && t !== undefined) {
        values.forEach((v, d) => {
          if (v < 0) ctx.fail(`seq_lens(${d}) < 0`);
          if (v > t) ctx.fail(`seq_lens(${d}) > input.dims(${seqDim})`);
        });
      }
    }
    return [{ shape: x, dtype }];
  },
  grad: (op, [dy]) => [
    dy
      ? makeTensor(
          'ReverseSequence',
          [dy, op.inputs[1] as Tensor],
          { seq_dim: op.attrs.seq_dim as number, batch_dim: op.attrs.batch_dim as number },
          'ReverseSequence',
        )
      : null,
    null,
  ],
});

/**
 * Reverses the listed axes of `tensor` (negative axes count from the end) — TF1's
 * `tf.reverse(tensor, axis, name=None)` (ReverseV2; `axis` is a 1-D list of axes).
 *
 * @example
 * tf.reverse(tf.constant([[1, 2, 3], [4, 5, 6]]), [1]); // → [[3, 2, 1], [6, 5, 4]]
 */
export const reverse = declare(
  'reverse',
  [
    param('tensor', kinds.tensor),
    param('axis', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => reverseImpl(a.tensor as TensorLike, a.axis as TensorLike, a.name),
);

/**
 * TF1's `tf.reverse_v2(tensor, axis, name=None)`: the same op as `tf.reverse`.
 *
 * @example
 * tf.reverseV2(x, [0]);
 */
export const reverseV2 = declare(
  'reverseV2',
  [
    param('tensor', kinds.tensor),
    param('axis', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => reverseImpl(a.tensor as TensorLike, a.axis as TensorLike, a.name),
);

function reverseImpl(tensor: TensorLike, axis: TensorLike, name: string | undefined): Tensor {
  if (typeof axis === 'number') {
    throw new TypeError(
      `reverse(): 'axis' must be a 1-D list of axes (TF1: Shape must be rank 1 but is rank 0), e.g. [${axis}]`,
    );
  }
  return buildTensor('ReverseV2', 'ReverseV2', name, [tensor, axis], (g) => ({
    inputs: [valueTensor(tensor, g), intTensor(axis, 'axis', g)],
    attrs: {},
  }));
}

const optionalAxis = kinds.nullable(kinds.int);

/**
 * Reverses variable-length slices — TF1's `tf.reverse_sequence(input, seq_lengths, seq_axis=None,
 * batch_axis=None, name=None, seq_dim=None, batch_dim=None)`: for each index b along `batchAxis`
 * (default 0), the first `seqLengths[b]` slices along `seqAxis` are reversed and the rest copied.
 *
 * @example
 * const x = tf.constant([[1, 2, 3, 4], [5, 6, 7, 8]]);
 * tf.reverseSequence(x, [3, 1], 1, 0); // → [[3, 2, 1, 4], [5, 6, 7, 8]]
 */
export const reverseSequence = declare(
  'reverseSequence',
  [
    param('input', kinds.tensor),
    param('seqLengths', kinds.tensor),
    param('seqAxis', optionalAxis, { default: null, aliases: ['seqDim'] }),
    param('batchAxis', optionalAxis, { default: null, aliases: ['batchDim'] }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    if (a.seqAxis === null) {
      throw new TypeError("reverseSequence(): 'seqAxis' (TF1's seq_axis) is required");
    }
    const seqAxis = a.seqAxis;
    const batchAxis = a.batchAxis ?? 0;
    return buildTensor('ReverseSequence', 'ReverseSequence', a.name, [a.input, a.seqLengths], (g) => {
      const x = valueTensor(a.input as TensorLike, g);
      const rank = x.shape?.length;
      const norm = (v: number): number => (v < 0 && rank !== undefined ? v + rank : v);
      if ((seqAxis < 0 || batchAxis < 0) && rank === undefined) {
        throw new TypeError('reverseSequence(): negative axes need an input of known rank');
      }
      return {
        inputs: [x, intTensor(a.seqLengths as TensorLike, 'seq_lengths', g)],
        attrs: { seq_dim: norm(seqAxis), batch_dim: norm(batchAxis) },
      };
    });
  },
);
