// Gather / its dense scatter-add gradient, and OneHot, on the CPU.
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import { InvalidArgumentError } from '../../../errors';
import { copyRun } from './join';

type Out = { shape: number[]; dtype: NDArray['dtype'] };

/** TF1's run-time message for a bad index: `indices[1,0] = 7 is not in [0, 5)`. */
function checkIndices(indices: NDArray, limit: number): void {
  const d = indices.data;
  for (let j = 0; j < d.length; j++) {
    const k = d[j] as number;
    if (k < 0 || k >= limit) {
      const pos: number[] = [];
      let rem = j;
      for (let ax = indices.shape.length - 1; ax >= 0; ax--) {
        const n = indices.shape[ax] as number;
        pos.unshift(rem % n);
        rem = Math.floor(rem / n);
      }
      throw new InvalidArgumentError(`indices[${pos.join(',')}] = ${k} is not in [0, ${limit})`);
    }
  }
}

/** (outer, limit, inner) of `shape` around `axis`. */
function around(shape: number[], axis: number): [number, number, number] {
  const ax = axis < 0 ? axis + shape.length : axis;
  return [sizeOf(shape.slice(0, ax)), shape[ax] as number, sizeOf(shape.slice(ax + 1))];
}

registerKernel('cpu', 'GatherV2', ([params, indices, axis], ctx) => {
  const p = params as NDArray;
  const ind = indices as NDArray;
  const out = ctx.outputs[0] as Out;
  const [outer, limit, inner] = around(p.shape, (axis as NDArray).data[0] as number);
  checkIndices(ind, limit);
  const idx = ind.data;
  const K = idx.length;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < K; j++)
      copyRun(p.data, (o * limit + (idx[j] as number)) * inner, data, (o * K + j) * inner, inner);
  }
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'GatherGrad', ([dy, like, indices, axis], ctx) => {
  const g = (dy as NDArray).data;
  const ind = indices as NDArray;
  const out = ctx.outputs[0] as Out;
  const [outer, limit, inner] = around((like as NDArray).shape, (axis as NDArray).data[0] as number);
  checkIndices(ind, limit);
  const idx = ind.data;
  const K = idx.length;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < K; j++) {
      const to = (o * limit + (idx[j] as number)) * inner;
      const from = (o * K + j) * inner;
      for (let i = 0; i < inner; i++) data[to + i] = (data[to + i] as number) + (g[from + i] as number);
    }
  }
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'OneHot', ([indices, , on, off], ctx) => {
  const out = ctx.outputs[0] as { shape: number[]; dtype: NDArray['dtype'] };
  const idx = (indices as NDArray).data;
  const axis = ctx.attrs.axis as number;
  const at = axis === -1 ? (indices as NDArray).shape.length : axis;
  const depth = out.shape[at] as number;
  const inner = sizeOf((indices as NDArray).shape.slice(at));
  const outer = idx.length / (inner || 1);
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  const onV = (on as NDArray).data[0] as number;
  const offV = (off as NDArray).data[0] as number;
  if (offV !== 0) data.fill(offV);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const k = idx[o * inner + i] as number;
      if (k >= 0 && k < depth) data[(o * depth + k) * inner + i] = onV;
    }
  }
  return [new NDArray(data, out.shape, out.dtype)];
});
