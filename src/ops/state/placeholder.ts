import { DType, isDType } from '../../graph/dtype';
import { Shape } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { defineOp, makeOp } from '../op_def';

defineOp({
  type: 'Placeholder',
  infer: (ctx) => [{ shape: (ctx.attrs.shape as Shape) ?? null, dtype: ctx.attrs.dtype as DType }],
  grad: 'none',
});

/**
 * A value supplied at run time through the feed dict. `null` dims are unknown; no shape means any shape.
 *
 * @example
 * const x = tf.placeholder('float32', [null, 784], 'x');
 * sess.run(y, { 'x:0': batch }); // or new Map([[x, batch]])
 */
export function placeholder(dtype: DType, shape?: Shape | (number | null)[], name?: string): Tensor {
  if (!isDType(dtype))
    throw new Error(`placeholder: unknown dtype '${String(dtype)}' (use 'float32', 'int32' or 'bool')`);
  const s: Shape =
    shape === undefined || shape === null ? null : shape.map((d) => (d === null || d < 0 ? null : d));
  return makeOp('Placeholder', [], { dtype, shape: s }, name).outputs[0] as Tensor;
}
