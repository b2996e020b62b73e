import { DType } from '../../graph/dtype';
import { broadcastShapes, Dim, Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, makeTensor, NameOption, parseOptions } from '../op_def';

/**
 * MatMul: `op(a) · op(b)` over the last two axes, with numpy-broadcast batch axes in front (rank ≥ 2;
 * rank > 2 is TF1's batch_matmul). Gradients are MatMuls again, so second derivatives come free.
 */
defineOp({
  type: 'MatMul',
  infer: (ctx) => {
    const [a, b] = ctx.shapes as [Shape, Shape];
    const ta = ctx.attrs.transpose_a === true;
    const tb = ctx.attrs.transpose_b === true;
    if (ctx.dtypes[0] !== ctx.dtypes[1]) {
      ctx.fail(
        `Input 'b' of 'MatMul' Op has type ${ctx.dtypes[1]} that does not match type ${ctx.dtypes[0]} of argument 'a'`,
      );
    }
    if (ctx.dtypes[0] === 'bool') ctx.fail('MatMul does not support bool tensors');
    if (a === null || b === null) return [{ shape: null, dtype: ctx.dtypes[0] as DType }];
    if (a.length < 2 || b.length < 2)
      ctx.fail(`Shape must be rank 2 but is rank ${Math.min(a.length, b.length)}`);
    const [m, ka] = ta ? [a[a.length - 1], a[a.length - 2]] : [a[a.length - 2], a[a.length - 1]];
    const [kb, n] = tb ? [b[b.length - 1], b[b.length - 2]] : [b[b.length - 2], b[b.length - 1]];
    if (ka !== null && kb !== null && ka !== kb)
      ctx.fail(`Dimensions must be equal, but are ${ka} and ${kb}`);
    const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
    if (batch === undefined) ctx.fail('Batch dimensions are not broadcastable');
    return [{ shape: [...(batch as Dim[]), m as Dim, n as Dim], dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => {
    if (!dy) return [null, null];
    const [a, b] = op.inputs as [Tensor, Tensor];
    const ta = op.attrs.transpose_a === true;
    const tb = op.attrs.transpose_b === true;
    const mm = (x: Tensor, y: Tensor, tx: boolean, ty: boolean) =>
      matmul(x, y, { transposeA: tx, transposeB: ty });
    if (!ta && !tb) return [mm(dy, b, false, true), mm(a, dy, true, false)];
    if (!ta && tb) return [mm(dy, b, false, false), mm(dy, a, true, false)];
    if (ta && !tb) return [mm(b, dy, false, true), mm(a, dy, false, false)];
    return [mm(b, dy, true, true), mm(dy, a, true, true)];
  },
});

export interface MatmulOptions extends NameOption {
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * Matrix product of the last two axes (batched over leading axes).
 *
 * @example
 * const logits = tf.matmul(x, W);                       // [batch,784]·[784,10]
 * const g = tf.matmul(a, b, { transposeB: true });
 */
export function matmul(a: TensorLike, b: TensorLike, opts?: MatmulOptions | string): Tensor {
  const o = parseOptions(opts);
  return makeTensor(
    'MatMul',
    [a, b],
    { transpose_a: o.transposeA ?? false, transpose_b: o.transposeB ?? false },
    o.name,
  );
}
