// TF1's tf.sequence_mask: composed of Range, Less and Cast (no kernel of its own).
import { InvalidArgumentError } from '../../errors';
import { nameScope } from '../../graph/graph';
import { declare, kinds, param } from '../../graph/signature';
import { shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { cast, less } from '../math/builders';
import { convertToTensor } from '../op_def';
import { reduceMax } from '../reduce/extremum';
import { expandDims } from './expand_dims';
import { range } from './range';

/**
 * A mask of the first `lengths[i]` positions of each row (TF1 `tf.sequence_mask(lengths, maxlen=None,
 * dtype=tf.bool, name=None)`): for `lengths` of shape [d1, …, dn] the result has shape
 * [d1, …, dn, maxlen] and `mask[i…, j] = j < lengths[i…]`. `maxlen` (a scalar) defaults to the largest
 * length. Ops in name scope `SequenceMask`.
 *
 * @example
 * tf.sequenceMask([1, 3, 2], 5);
 * // [[true, false, false, false, false],
 * //  [true, true,  true,  false, false],
 * //  [true, true,  false, false, false]]
 * const weights = tf.sequenceMask(seqlen, maxTime, tf.float32); // masks a per-step loss
 */
export const sequenceMask = declare(
  'sequenceMask',
  [
    param('lengths', kinds.tensor),
    param('maxlen', kinds.nullable(kinds.tensor), { default: null }),
    param('dtype', kinds.dtype, { default: 'bool' }),
    param('name', kinds.nullable(kinds.name), { default: null }),
  ] as const,
  (a): Tensor =>
    nameScope(a.name ?? 'SequenceMask', () => {
      const lengths = convertToTensor(a.lengths as TensorLike, 'int32');
      if (lengths.dtype !== 'int32')
        throw new TypeError(`sequenceMask(): lengths must be int32, got ${lengths.dtype} (${lengths.name})`);
      let maxlen: Tensor;
      if (a.maxlen === null) {
        maxlen = reduceMax(lengths);
      } else {
        maxlen = convertToTensor(a.maxlen as TensorLike, 'int32');
        if (maxlen.shape !== null && maxlen.shape.length !== 0)
          throw new InvalidArgumentError(
            `maxlen must be scalar for sequence_mask, got shape ${shapeToString(maxlen.shape)}`,
          );
        if (maxlen.dtype !== 'int32')
          throw new TypeError(`sequenceMask(): maxlen must be an int32 scalar, got ${maxlen.dtype}`);
      }
      // The types should match: [0, 1, …, maxlen-1] < lengths[…, newaxis].
      const rowVector = range(0, maxlen, 1);
      const matrix = expandDims(lengths, -1);
      const result = less(rowVector, matrix);
      return a.dtype === 'bool' ? result : cast(result, a.dtype);
    }),
);
