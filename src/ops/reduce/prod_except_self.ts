import { DType } from '../../graph/dtype';
import { Tensor } from '../../graph/tensor';
import { divide, multiply, subtract } from '../math/builders';
import { defineOp, makeTensor } from '../op_def';
import { reducedStatic } from './axes';
import { broadcastReduced } from './broadcast_reduced';

/**
 * For each element, the product of the OTHER elements of its reduction group (the groups of a
 * `reduceProd(x, axis)`); the CPU kernel uses prefix and suffix products, so zeros are handled exactly.
 * This is the local derivative behind Prod's gradient.
 */
defineOp({
  type: 'ProdExceptSelf',
  infer: (ctx) => {
    reducedStatic(ctx, ctx.shapes[0] ?? null); // validates the axes
    return [{ shape: ctx.shapes[0] ?? null, dtype: ctx.dtypes[0] as DType }];
  },
  // d e_i / d x_k = prod over the group without i and k, so the gradient is (Σ_i g_i e_i − g_k e_k) / x_k.
  // Exact where x_k ≠ 0 (second-order Prod gradients at zeros are not handled).
  grad: (op, [g]) => {
    if (!g) return [null];
    const x = op.inputs[0] as Tensor;
    const ge = multiply(g, op.outputs[0] as Tensor);
    const total = makeTensor(
      'Sum',
      [ge],
      { axis: (op.attrs.axis as number[] | null) ?? null, keep_dims: true },
      'Sum',
    );
    return [divide(subtract(broadcastReduced(total, x, op.attrs.axis, true), ge), x)];
  },
});

/** Products of the other elements of each element's group along `axis` (the attr form: list or null). */
export function prodExceptSelf(x: Tensor, axis: unknown): Tensor {
  return makeTensor('ProdExceptSelf', [x], { axis: (axis as number[] | null) ?? null }, 'ProdExceptSelf');
}
