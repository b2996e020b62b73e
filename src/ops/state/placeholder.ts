import { DType } from '../../graph/dtype';
import { Shape } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { defineOp, makeOp } from '../op_def';

defineOp({
  type: 'Placeholder',
  infer: (ctx) => [{ shape: (ctx.attrs.shape as Shape) ?? null, dtype: ctx.attrs.dtype as DType }],
  grad: 'none',
});

const isDim = (d: unknown): boolean => d === null || (Number.isInteger(d) && (d as number) >= 0);

/**
 * A partially known shape as TF1's `TensorShape` reads it: a list whose entries are non-negative
 * integers or `null` (TF1's `None`, unknown); a single integer `n` means `[n]`; `null` means unknown rank.
 */
export const partialShapeKind = kinds.custom<(number | null)[] | number | null>(
  'a shape: a list of non-negative integers or null (unknown dimension), an integer, or null (unknown rank)',
  (v) => v === null || isDim(v) || (Array.isArray(v) && v.every(isDim)),
  () => [null, 2],
);

/**
 * A value supplied at run time through the feed dict (TF1's `tf.placeholder(dtype, shape=None,
 * name=None)`). `null` dims are unknown; no shape means any shape. dtype aliases: `'float'`, `'int'`.
 *
 * @example
 * const x = tf.placeholder('float32', [null, 784], 'x');
 * const y = tf.placeholder(tf.float32, { shape: [null, 10], name: 'y' });
 * sess.run(loss, { 'x:0': batch, 'y:0': labels }); // or new Map([[x, batch]])
 */
export const placeholder = declare(
  'placeholder',
  [
    param('dtype', kinds.dtype),
    param('shape', partialShapeKind, { default: null }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    const s: Shape = a.shape === null ? null : typeof a.shape === 'number' ? [a.shape] : a.shape.slice();
    return makeOp('Placeholder', [], { dtype: a.dtype, shape: s }, a.name).outputs[0] as Tensor;
  },
);
