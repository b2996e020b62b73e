import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf, stridesOf } from '../../../graph/shape';
import type { TypedArray } from '../../../graph/dtype';

/** For each element of `big` (shape `bigShape`), its index in `small` broadcast to `bigShape`. */
function forEachBroadcastPair(
  bigShape: number[],
  smallShape: number[],
  fn: (bigIndex: number, smallIndex: number) => void,
): void {
  const rank = bigShape.length;
  const padded = [...new Array<number>(rank - smallShape.length).fill(1), ...smallShape];
  const sStrides = stridesOf(padded).map((s, i) => (padded[i] === 1 ? 0 : s));
  const n = sizeOf(bigShape);
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    fn(i, off);
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax] = (idx[ax] as number) + 1;
      off += sStrides[ax] as number;
      if ((idx[ax] as number) < (bigShape[ax] as number)) break;
      off -= (sStrides[ax] as number) * (bigShape[ax] as number);
      idx[ax] = 0;
    }
  }
}

registerKernel('cpu', 'SumToShapeOf', ([g, like], ctx) => {
  const grad = g as NDArray;
  const target = (like as NDArray).shape;
  if (grad.shape.length === target.length && grad.shape.every((d, i) => d === target[i])) return [grad];
  const out = ctx.alloc(grad.dtype, sizeOf(target));
  const src = grad.data;
  forEachBroadcastPair(grad.shape, target, (bi, si) => {
    out[si] = (out[si] as number) + (src[bi] as number);
  });
  return [new NDArray(out, target.slice(), grad.dtype)];
});

registerKernel('cpu', 'BroadcastToShapeOf', ([x, like], ctx) => {
  const v = x as NDArray;
  const target = (like as NDArray).shape;
  if (v.shape.length === target.length && v.shape.every((d, i) => d === target[i])) return [v];
  const out: TypedArray = ctx.alloc(v.dtype, sizeOf(target));
  const src = v.data;
  forEachBroadcastPair(target, v.shape, (bi, si) => {
    out[bi] = src[si] as number;
  });
  return [new NDArray(out, target.slice(), v.dtype)];
});

export { forEachBroadcastPair };
