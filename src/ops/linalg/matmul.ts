import { DType } from '../../graph/dtype';
import { broadcastShapes, Dim, Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, makeTensor, NameOption } from '../op_def';
import { declare, kinds, param } from '../../graph/signature';

/**
 * MatMul: `op(a) · op(b)` over the last two axes, with numpy-broadcast batch axes in front (rank ≥ 2;
 * rank > 2 is TF1's batch_matmul). Gradients are MatMuls again, so second derivatives come free.
 */
defineOp({
  type: 'MatMul',
  infer: (ctx) => {
    // An imported node may list any inputs: MatMul has exactly two.
    if (ctx.shapes.length !== 2) ctx.fail(`MatMul takes 2 inputs (a, b), got ${ctx.shapes.length}`);
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

/** Keyword options of `matmul` (TF1's keyword names). */
export interface MatmulOptions extends NameOption {
  transposeA?: boolean;
  transposeB?: boolean;
  adjointA?: boolean;
  adjointB?: boolean;
  aIsSparse?: boolean;
  bIsSparse?: boolean;
}

/**
 * Matrix product of the last two axes (batched over leading axes). TF1's signature
 * `matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
 * a_is_sparse=False, b_is_sparse=False, name=None)`: for real dtypes the adjoint is the transpose, so
 * `adjointA` and `transposeA` mean the same (both set is an error, as in TF1); `aIsSparse`/`bIsSparse`
 * are TF1's performance hints for a sparse kernel and do not change the result.
 *
 * @example
 * const logits = tf.matmul(x, W);                       // [batch,784]·[784,10]
 * const g = tf.matmul(a, b, { transposeB: true });
 * const h = tf.matmul(a, b, false, true);               // TF1 positional transpose_b
 */
export const matmul = declare(
  'matmul',
  [
    param('a', kinds.tensor),
    param('b', kinds.tensor),
    param('transposeA', kinds.bool, { default: false }),
    param('transposeB', kinds.bool, { default: false }),
    param('adjointA', kinds.bool, { default: false }),
    param('adjointB', kinds.bool, { default: false }),
    param('aIsSparse', kinds.bool, { default: false }),
    param('bIsSparse', kinds.bool, { default: false }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (o): Tensor => {
    if (o.transposeA && o.adjointA)
      throw new TypeError('matmul(): only one of transposeA and adjointA can be true');
    if (o.transposeB && o.adjointB)
      throw new TypeError('matmul(): only one of transposeB and adjointB can be true');
    return makeTensor(
      'MatMul',
      [o.a as TensorLike, o.b as TensorLike],
      { transpose_a: o.transposeA || o.adjointA, transpose_b: o.transposeB || o.adjointB },
      o.name,
    );
  },
);
