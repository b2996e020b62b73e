import { DType } from '../../graph/dtype';
import { Dim, Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { defineOp, InferContext, makeTensor } from '../op_def';
import { declare, kinds, param } from '../../graph/signature';
import {
  buildTensor,
  intTensor,
  intValues,
  requireInt,
  unknownDims,
  valueTensor,
  vectorLength,
} from './util';

/** Checks that `perm` is a permutation of 0..rank-1 (TF1's messages). */
function checkPerm(ctx: InferContext, perm: number[], rank: number): void {
  if (perm.length !== rank) {
    ctx.fail(`transpose expects a vector of size ${rank}. But input(1) is a vector of size ${perm.length}`);
  }
  const seen = new Array<boolean>(rank).fill(false);
  for (const p of perm) {
    if (!Number.isInteger(p) || p < 0 || p >= rank) ctx.fail(`${p} is out of range [0 .. ${rank})`);
    seen[p] = true;
  }
  const missing = seen.indexOf(false);
  if (missing >= 0) ctx.fail(`${missing} is missing from {${perm.join(',')}}.`);
}

/** Transpose(x, perm:int32): output axis i is input axis perm[i]. */
defineOp({
  type: 'Transpose',
  defaultName: 'transpose',
  infer: (ctx) => {
    requireInt(ctx, 1, 'perm');
    const x = ctx.shapes[0] as Shape;
    const len = vectorLength(ctx, 1, 'perm');
    const perm = intValues(ctx, 1);
    const dtype = ctx.dtypes[0] as DType;
    if (x === null) return [{ shape: perm ? unknownDims(perm.length) : unknownDims(len), dtype }];
    if (!perm) {
      if (len !== null && len !== x.length) ctx.fail(`Dimension must be ${x.length} but is ${len}`);
      return [{ shape: unknownDims(x.length), dtype }];
    }
    checkPerm(ctx, perm, x.length);
    return [{ shape: perm.map((p) => x[p] as Dim), dtype }];
  },
  grad: (op, [dy]) => {
    if (!dy) return [null, null];
    const permT = op.inputs[1] as Tensor;
    if (permT.op.type === 'Const') {
      const perm = Array.from((permT.op.attrs.value as NDArray).data);
      const inverse = new Array<number>(perm.length);
      perm.forEach((p, i) => (inverse[p] = i));
      return [transpose(dy, inverse), null];
    }
    return [transpose(dy, invertPermutation(permT)), null];
  },
});

/** InvertPermutation(x:int32): y[x[i]] = i. */
defineOp({
  type: 'InvertPermutation',
  infer: (ctx) => {
    requireInt(ctx, 0, 'x');
    const len = vectorLength(ctx, 0, 'x');
    const v = intValues(ctx, 0);
    if (v) {
      const seen = new Set<number>();
      for (const p of v) {
        if (!Number.isInteger(p) || p < 0 || p >= v.length || seen.has(p))
          ctx.fail(`${p} is not between 0 and ${v.length}, or is duplicated`);
        seen.add(p);
      }
    }
    return [{ shape: [len], dtype: 'int32' }];
  },
  grad: 'none',
});

/** The inverse of a permutation vector — TF1's `tf.invertPermutation(x, name=None)`. @example tf.invertPermutation([2, 0, 1]) // → [1, 2, 0] */
export const invertPermutation = declare(
  'invertPermutation',
  [
    param('x', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => makeTensor('InvertPermutation', [a.x as TensorLike], {}, a.name, 'int32'),
);

/**
 * Permutes the axes of `a`: output axis i is input axis `perm[i]` (default: reversed axes, computed at
 * run time when the rank is unknown) — TF1's `tf.transpose(a, perm=None, name='transpose', conjugate=False)`.
 *
 * @example
 * tf.transpose(x);             // [2,3] → [3,2]
 * tf.transpose(x, [0, 2, 1]);  // [b,m,n] → [b,n,m]
 */
export const transpose = declare(
  'transpose',
  [
    param('a', kinds.tensor),
    param('perm', kinds.nullable(kinds.tensor), { default: null }),
    param('name', kinds.name, { default: 'transpose' }),
    param('conjugate', kinds.bool, { default: false }),
  ] as const,
  (a): Tensor => {
    if (a.conjugate) {
      throw new TypeError(
        'transpose(): conjugate=true needs a complex tensor; tensorgraph has no complex dtypes (float32, int32, bool)',
      );
    }
    const x = a.a as TensorLike;
    const perm = a.perm as TensorLike | null;
    return buildTensor('Transpose', 'transpose', a.name, [x, perm], (g) => {
      const xt = valueTensor(x, g);
      let p: TensorLike | null = perm;
      if (p === null) {
        if (xt.shape === null) {
          // TF1 computes the reversed axes at run time: range(rank(a) - 1, -1, -1).
          const last = makeTensor('Sub', [makeTensor('Rank', [xt], {}, 'Rank'), 1], {}, 'sub', 'int32');
          p = makeTensor('Range', [last, -1, -1], { Tidx: 'int32' }, 'Range', 'int32');
        } else p = xt.shape.map((_d, i, arr) => arr.length - 1 - i);
      }
      return { inputs: [xt, intTensor(p, 'perm', g)], attrs: {} };
    });
  },
);
