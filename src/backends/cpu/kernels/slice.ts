// Slicing and padding on the CPU: box copies (Slice, its gradient primitives, Pad) and strided walks
// (StridedSlice and its scatter gradient).
import { KernelContext, registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf, stridesOf } from '../../../graph/shape';
import type { TypedArray } from '../../../graph/dtype';
import { InvalidArgumentError } from '../../../errors';
import { StridedSliceMasks, stridedSliceSpec } from '../../../ops/array/strided_slice_spec';
import { copyRun } from './join';

type Out = { shape: number[]; dtype: NDArray['dtype'] };
const ints = (a: NDArray | undefined): number[] => Array.from((a as NDArray).data);
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

/** Copies the box of extent `region` at `sStart` in `src` (shape sShape) to `dStart` in `dst` (shape dShape). */
export function copyBox(
  src: TypedArray,
  sShape: number[],
  sStart: number[],
  dst: TypedArray,
  dShape: number[],
  dStart: number[],
  region: number[],
): void {
  const rank = region.length;
  const total = sizeOf(region);
  if (total === 0) return;
  if (rank === 0) {
    dst[0] = src[0] as number;
    return;
  }
  const ss = stridesOf(sShape);
  const ds = stridesOf(dShape);
  let so = 0;
  let dOff = 0;
  for (let i = 0; i < rank; i++) {
    so += (sStart[i] as number) * (ss[i] as number);
    dOff += (dStart[i] as number) * (ds[i] as number);
  }
  const last = rank - 1;
  const n = region[last] as number;
  const idx = zeros(rank);
  for (let row = 0; row < total; row += n) {
    copyRun(src, so, dst, dOff, n);
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax] = (idx[ax] as number) + 1;
      so += ss[ax] as number;
      dOff += ds[ax] as number;
      if ((idx[ax] as number) < (region[ax] as number)) break;
      so -= (ss[ax] as number) * (region[ax] as number);
      dOff -= (ds[ax] as number) * (region[ax] as number);
      idx[ax] = 0;
    }
  }
}

const sameShape = (a: number[], b: number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

registerKernel('cpu', 'Slice', ([x, begin], ctx) => {
  const v = x as NDArray;
  const out = ctx.outputs[0] as Out;
  if (sameShape(v.shape, out.shape)) return [v];
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  copyBox(v.data, v.shape, ints(begin), data, out.shape, zeros(out.shape.length), out.shape);
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'SliceLike', ([x, begin], ctx) => {
  const v = x as NDArray;
  const out = ctx.outputs[0] as Out;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  copyBox(v.data, v.shape, ints(begin), data, out.shape, zeros(out.shape.length), out.shape);
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'SliceGrad', ([dy, , begin], ctx) => {
  const g = dy as NDArray;
  const out = ctx.outputs[0] as Out;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  copyBox(g.data, g.shape, zeros(g.shape.length), data, out.shape, ints(begin), g.shape);
  return [new NDArray(data, out.shape, out.dtype)];
});

const padKernel = (inputs: NDArray[], ctx: KernelContext): NDArray[] => {
  const v = inputs[0] as NDArray;
  const out = ctx.outputs[0] as Out;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  const fill = inputs[2] ? ((inputs[2] as NDArray).data[0] as number) : 0;
  if (fill !== 0) data.fill(fill);
  const before = ints(inputs[1]).filter((_p, i) => i % 2 === 0);
  copyBox(v.data, v.shape, zeros(v.shape.length), data, out.shape, before, v.shape);
  return [new NDArray(data, out.shape, out.dtype)];
};
registerKernel('cpu', 'Pad', padKernel);
registerKernel('cpu', 'PadV2', padKernel);

/** The input index that padded index `p` (before padding `before`, input dim `d`) mirrors. */
export function mirrorIndex(p: number, before: number, d: number, reflect: boolean): number {
  const s = p - before;
  if (s < 0) return reflect ? -s : -s - 1;
  if (s >= d) return reflect ? 2 * (d - 1) - s : 2 * d - 1 - s;
  return s;
}

/** Calls `f(padded offset, input offset)` for every element of the mirror-padded array. */
function walkMirror(
  inShape: number[],
  outShape: number[],
  pads: number[],
  reflect: boolean,
  f: (o: number, i: number) => void,
): void {
  const rank = outShape.length;
  const n = sizeOf(outShape);
  if (n === 0) return;
  const inStrides = stridesOf(inShape);
  const maps = outShape.map((od, k) =>
    Array.from(
      { length: od },
      (_v, p) =>
        mirrorIndex(p, pads[2 * k] as number, inShape[k] as number, reflect) * (inStrides[k] as number),
    ),
  );
  const idx = zeros(rank);
  for (let o = 0; o < n; o++) {
    let i = 0;
    for (let k = 0; k < rank; k++) i += (maps[k] as number[])[idx[k] as number] as number;
    f(o, i);
    for (let k = rank - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (outShape[k] as number)) break;
      idx[k] = 0;
    }
  }
}

registerKernel('cpu', 'MirrorPad', ([x, paddings], ctx) => {
  const v = x as NDArray;
  const out = ctx.outputs[0] as Out;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  const src = v.data;
  walkMirror(v.shape, out.shape, ints(paddings), ctx.attrs.mode === 'REFLECT', (o, i) => {
    data[o] = src[i] as number;
  });
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'MirrorPadGrad', ([dy, paddings], ctx) => {
  const g = dy as NDArray;
  const out = ctx.outputs[0] as Out;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  data.fill(0);
  const src = g.data;
  walkMirror(out.shape, g.shape, ints(paddings), ctx.attrs.mode === 'REFLECT', (o, i) => {
    data[i] = (data[i] as number) + (src[o] as number);
  });
  return [new NDArray(data, out.shape, out.dtype)];
});

/**
 * Walks the strided slice of an array of shape `shape` row by row: `row(offset, step, n, k)` covers the
 * elements k..k+n-1 of the slice, found at offset, offset+step, … of the array.
 */
function walkStrided(
  shape: number[],
  params: NDArray[],
  masks: StridedSliceMasks,
  row: (offset: number, step: number, n: number, k: number) => void,
): void {
  const [b, e, s] = params.map(ints) as [number[], number[], number[]];
  const spec = stridedSliceSpec(shape, b, e, s, b.length, masks);
  if (typeof spec === 'string') throw new InvalidArgumentError(spec);
  const sizes = spec.sizes as number[];
  const total = sizeOf(sizes);
  if (total === 0) return;
  const st = stridesOf(shape);
  const step = spec.steps.map((k, i) => k * (st[i] as number));
  let off = spec.starts.reduce((a, k, i) => a + k * (st[i] as number), 0);
  const rank = sizes.length;
  if (rank === 0) return row(0, 0, 1, 0);
  const last = rank - 1;
  const n = sizes[last] as number;
  const inner = step[last] as number;
  const idx = zeros(rank);
  for (let k = 0; k < total; k += n) {
    row(off, inner, n, k);
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax] = (idx[ax] as number) + 1;
      off += step[ax] as number;
      if ((idx[ax] as number) < (sizes[ax] as number)) break;
      off -= (step[ax] as number) * (sizes[ax] as number);
      idx[ax] = 0;
    }
  }
}

registerKernel('cpu', 'StridedSlice', ([x, ...params], ctx) => {
  const v = x as NDArray;
  const out = ctx.outputs[0] as Out;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  const src = v.data;
  walkStrided(v.shape, params, ctx.attrs as unknown as StridedSliceMasks, (off, step, n, k) => {
    for (let j = 0; j < n; j++, off += step) data[k + j] = src[off] as number;
  });
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'StridedSliceScatter', ([dy, like, ...params], ctx) => {
  const g = (dy as NDArray).data;
  const out = ctx.outputs[0] as Out;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  walkStrided(
    (like as NDArray).shape,
    params,
    ctx.attrs as unknown as StridedSliceMasks,
    (off, step, n, k) => {
      for (let j = 0; j < n; j++, off += step) data[off] = g[k + j] as number;
    },
  );
  return [new NDArray(data, out.shape, out.dtype)];
});
