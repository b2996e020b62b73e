import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Dim, Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { defineOp, InferContext, makeTensor } from '../op_def';
import {
  buildTensor,
  intTensor,
  intValues,
  nameOf,
  NameArg,
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

/** The inverse of a permutation vector. @example tf.invertPermutation([2, 0, 1]) // → [1, 2, 0] */
export function invertPermutation(x: TensorLike, name?: string): Tensor {
  return makeTensor('InvertPermutation', [x], {}, name, 'int32');
}

/**
 * Permutes the axes of `x`: output axis i is input axis `perm[i]` (default: reversed axes).
 *
 * @example
 * tf.transpose(x);             // [2,3] → [3,2]
 * tf.transpose(x, [0, 2, 1]);  // [b,m,n] → [b,n,m]
 */
export function transpose(x: TensorLike, perm?: TensorLike | null, name?: NameArg): Tensor {
  return buildTensor('Transpose', 'transpose', nameOf(name), [x, perm], (g) => {
    const xt = valueTensor(x, g);
    let p = perm;
    if (p === undefined || p === null) {
      if (xt.shape === null)
        throw new InvalidArgumentError(`transpose: perm is required when the rank of ${xt.name} is unknown`);
      p = xt.shape.map((_d, i, a) => a.length - 1 - i);
    }
    return { inputs: [xt, intTensor(p, 'perm', g)], attrs: {} };
  });
}
