// Gather / its dense scatter-add gradient, and Tile / its summing gradient, on the CPU.
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf, stridesOf } from '../../../graph/shape';
import type { TypedArray } from '../../../graph/dtype';
import { InvalidArgumentError } from '../../../errors';
import { copyRun } from './array_join';

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

/** Writes `src` (shape `shape`) tiled `mult` times into `dst`: fill one tile per axis, then copy it. */
function tileInto(src: TypedArray, shape: number[], mult: number[], dst: TypedArray): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0] as number;
    return;
  }
  const inStr = stridesOf(shape);
  const outStr = stridesOf(shape.map((d, i) => d * (mult[i] as number)));
  const fill = (ax: number, so: number, dOff: number): void => {
    const d = shape[ax] as number;
    if (ax === rank - 1) copyRun(src, so, dst, dOff, d);
    else
      for (let i = 0; i < d; i++)
        fill(ax + 1, so + i * (inStr[ax] as number), dOff + i * (outStr[ax] as number));
    const block = d * (outStr[ax] as number);
    for (let m = 1; m < (mult[ax] as number); m++) dst.copyWithin(dOff + m * block, dOff, dOff + block);
  };
  fill(0, 0, 0);
}

registerKernel('cpu', 'Tile', ([x, multiples], ctx) => {
  const v = x as NDArray;
  const out = ctx.outputs[0] as Out;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  if (data.length > 0) tileInto(v.data, v.shape, Array.from((multiples as NDArray).data), data);
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'TileGrad', ([dy], ctx) => {
  const g = dy as NDArray;
  const out = ctx.outputs[0] as Out;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  const total = g.size;
  if (total === 0) return [new NDArray(data, out.shape, out.dtype)];
  if (out.shape.length === 0) {
    data[0] = g.data[0] as number;
    return [new NDArray(data, out.shape, out.dtype)];
  }
  const dims = out.shape;
  const inStr = stridesOf(dims);
  const last = dims.length - 1;
  const rowLen = g.shape[last] as number;
  const d = dims[last] as number;
  const c = new Array<number>(dims.length).fill(0); // coordinate in dy
  const r = new Array<number>(dims.length).fill(0); // the same coordinate modulo the input dim
  let base = 0;
  for (let k = 0; k < total; k += rowLen) {
    for (let j = 0, i = 0; j < rowLen; j++, i = i + 1 === d ? 0 : i + 1)
      data[base + i] = (data[base + i] as number) + (g.data[k + j] as number);
    for (let ax = last - 1; ax >= 0; ax--) {
      c[ax] = (c[ax] as number) + 1;
      r[ax] = (r[ax] as number) + 1;
      base += inStr[ax] as number;
      if (r[ax] === dims[ax]) {
        r[ax] = 0;
        base -= (dims[ax] as number) * (inStr[ax] as number);
      }
      if ((c[ax] as number) < (g.shape[ax] as number)) break;
      c[ax] = 0;
    }
  }
  return [new NDArray(data, out.shape, out.dtype)];
});
