import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, makeTensor } from '../op_def';
import { declare, kinds, param } from '../../graph/signature';

const outType = kinds.custom<'int32'>(
  'tf.int32 (int64 does not exist here: int32 is the only integer dtype)',
  (v) => v === 'int32' || v === 'int',
  () => 'int32',
  true,
);
const NAME = param('name', kinds.name, { default: undefined as string | undefined });

defineOp({
  type: 'Shape',
  defaultName: 'Shape',
  infer: (ctx) => {
    const s = ctx.shapes[0] ?? null;
    return [{ shape: [s === null ? null : s.length], dtype: 'int32' }];
  },
  grad: 'none',
});

/**
 * The run-time shape of `x` as a 1-D int32 tensor (works with unknown dims).
 *
 * @example
 * const x = tf.placeholder('float32', [null, 3]);
 * const z = tf.zeros(tf.shape(x)); // same shape as each fed x
 */
export const shape = declare(
  'shape',
  [param('input', kinds.tensor), NAME, param('outType', outType, { default: 'int32' as const })] as const,
  (a): Tensor => makeTensor('Shape', [a.input as TensorLike], { out_type: 'int32' }, a.name),
);

defineOp({ type: 'Size', defaultName: 'Size', infer: () => [{ shape: [], dtype: 'int32' }], grad: 'none' });

/**
 * The number of elements of `x` (int32 scalar), at run time.
 *
 * @example
 * tf.size(tf.placeholder('float32', [null, 4]));
 */
export const size = declare(
  'size',
  [param('input', kinds.tensor), NAME, param('outType', outType, { default: 'int32' as const })] as const,
  (a): Tensor => makeTensor('Size', [a.input as TensorLike], { out_type: 'int32' }, a.name),
);

defineOp({ type: 'Rank', defaultName: 'Rank', infer: () => [{ shape: [], dtype: 'int32' }], grad: 'none' });

/**
 * The number of dimensions of `x` (int32 scalar).
 *
 * @example
 * tf.rank(tf.zeros([2, 3])); // 2
 */
export const rank = declare('rank', [param('input', kinds.tensor), NAME] as const, (a): Tensor =>
  makeTensor('Rank', [a.input as TensorLike], {}, a.name),
);
