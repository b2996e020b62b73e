// Tile / its summing gradient on the CPU.
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf, stridesOf } from '../../../graph/shape';
import type { TypedArray } from '../../../graph/dtype';
import { copyRun } from './join';

type Out = { shape: number[]; dtype: NDArray['dtype'] };

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
