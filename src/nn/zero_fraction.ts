// TF1's `tf.nn.zero_fraction(value, name=None)`: the fraction of zeros in a tensor, e.g. the sparsity of
// ReLU activations that cifar10.py's `_activation_summary` logs.
import { declare, kinds, param } from '../graph/signature';
import { Tensor, TensorLike } from '../graph/tensor';
import { getDefaultGraph } from '../graph/graph';
import { convertToTensor } from '../ops/op_def';
import { cast, divide, notEqual, subtract } from '../ops/math/builders';
import { size } from '../ops/fill/shape';
import { reduceSum } from '../ops/reduce/sum';
import { identity } from '../ops/control/basic';

/**
 * The fraction of zero elements of `value` as a float32 scalar (TF1 `tf.nn.zero_fraction(value,
 * name=None)`): (size − count of nonzeros) / size, in a name scope 'zero_fraction'; NaN counts as
 * nonzero, an empty tensor gives NaN.
 *
 * @example
 * const h = tf.nn.relu(tf.matmul(x, W));
 * tf.summary.scalar('hidden/sparsity', tf.nn.zeroFraction(h));
 */
export const zeroFraction = declare(
  'zeroFraction',
  [
    param('value', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    const graph = a.value instanceof Tensor ? a.value.graph : getDefaultGraph();
    return graph.asDefault(() =>
      graph.nameScope(a.name ?? 'zero_fraction', () => {
        const value = convertToTensor(a.value as TensorLike, undefined, graph);
        const n = size(value);
        const numNonzero = reduceSum(cast(notEqual(value, cast(0, value.dtype)), 'int32'));
        const fraction = graph.nameScope('counts_to_fraction', () => {
          const numZero = subtract(n, numNonzero);
          return divide(cast(numZero, 'float32'), cast(n, 'float32'));
        });
        return identity(fraction, 'fraction');
      }),
    );
  },
);
