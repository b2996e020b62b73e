// CPU kernels of the reversal ops (ReverseV2, ReverseSequence): each output element copies one input
// element, found by walking the output coordinates with an incrementally updated source offset.
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf, stridesOf } from '../../../graph/shape';
import type { TypedArray } from '../../../graph/dtype';

type Out = { shape: number[]; dtype: NDArray['dtype'] };

/** dst = src (shape `shape`) with the axes in `reversed` flipped. */
export function reverseInto(
  src: TypedArray,
  shape: readonly number[],
  reversed: ReadonlySet<number>,
  dst: TypedArray,
): void {
  const total = sizeOf(shape);
  const rank = shape.length;
  if (total === 0) return;
  if (rank === 0 || reversed.size === 0) {
    dst.set(src.subarray(0, total));
    return;
  }
  const st = stridesOf(shape);
  const step = shape.map((_d, ax) => (reversed.has(ax) ? -(st[ax] as number) : (st[ax] as number)));
  let off = 0;
  reversed.forEach((ax) => (off += ((shape[ax] as number) - 1) * (st[ax] as number)));
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < total; i++) {
    dst[i] = src[off] as number;
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax] = (idx[ax] as number) + 1;
      off += step[ax] as number;
      if ((idx[ax] as number) < (shape[ax] as number)) break;
      off -= (step[ax] as number) * (shape[ax] as number);
      idx[ax] = 0;
    }
  }
}

/** dst = src with the first lens[b] entries along `seqDim` reversed for each b along `batchDim`. */
export function reverseSequenceInto(
  src: TypedArray,
  shape: readonly number[],
  lens: ArrayLike<number>,
  seqDim: number,
  batchDim: number,
  dst: TypedArray,
): void {
  const total = sizeOf(shape);
  const rank = shape.length;
  const st = stridesOf(shape);
  const seqStride = st[seqDim] as number;
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < total; i++) {
    const t = idx[seqDim] as number;
    const len = lens[idx[batchDim] as number] as number;
    dst[i] = src[t < len ? i + (len - 1 - 2 * t) * seqStride : i] as number;
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax] = (idx[ax] as number) + 1;
      if ((idx[ax] as number) < (shape[ax] as number)) break;
      idx[ax] = 0;
    }
  }
}

registerKernel('cpu', 'ReverseV2', ([x, axis], ctx) => {
  const v = x as NDArray;
  const out = ctx.outputs[0] as Out;
  const rank = v.shape.length;
  const axes = new Set(Array.from((axis as NDArray).data, (a) => (a < 0 ? a + rank : a)));
  // Reversing an axis of length 1 changes nothing.
  for (const a of Array.from(axes)) if (v.shape[a] === 1) axes.delete(a);
  const data = ctx.alloc(out.dtype, v.size);
  reverseInto(v.data, v.shape, axes, data);
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'ReverseSequence', ([x, lens], ctx) => {
  const v = x as NDArray;
  const out = ctx.outputs[0] as Out;
  const data = ctx.alloc(out.dtype, v.size);
  const seqDim = ctx.attrs.seq_dim as number;
  const batchDim = ctx.attrs.batch_dim as number;
  reverseSequenceInto(v.data, v.shape, (lens as NDArray).data, seqDim, batchDim, data);
  return [new NDArray(data, out.shape, out.dtype)];
});
