// Concatenation and splitting along an axis on the CPU. Viewing every piece as [outer, inner] (outer =
// the dims before the axis), both are sequences of contiguous block copies.
import { Kernel, KernelContext, registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import type { TypedArray } from '../../../graph/dtype';

/** Copies n elements; typed-array `set` pays off for long runs, a plain loop for short ones. */
export function copyRun(src: TypedArray, from: number, dst: TypedArray, to: number, n: number): void {
  if (n >= 64) dst.set(src.subarray(from, from + n), to);
  else for (let i = 0; i < n; i++) dst[to + i] = src[from + i] as number;
}

const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);
type Out = { shape: number[]; dtype: NDArray['dtype'] };

/** Joins `parts` (each [outer, inners[k]]) into one new array of shape `out`. */
function join(parts: NDArray[], out: Out, outer: number, inners: number[], ctx: KernelContext): NDArray {
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    parts.forEach((p, k) => {
      const n = inners[k] as number;
      copyRun(p.data, o * n, data, pos, n);
      pos += n;
    });
  }
  return new NDArray(data, out.shape, out.dtype);
}

/** Splits `x` along `axis` into arrays of the output shapes. */
function splitAlong(x: NDArray, axis: number, ctx: KernelContext): NDArray[] {
  const ax = norm(axis, x.shape.length);
  const outs = ctx.outputs as Out[];
  const outer = sizeOf(x.shape.slice(0, ax));
  const inners = outs.map((o) => sizeOf(o.shape.slice(ax)));
  const datas = outs.map((o) => ctx.alloc(o.dtype, sizeOf(o.shape)));
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    datas.forEach((d, k) => {
      const n = inners[k] as number;
      copyRun(x.data, pos, d, o * n, n);
      pos += n;
    });
  }
  return outs.map((o, k) => new NDArray(datas[k] as TypedArray, o.shape, o.dtype));
}

registerKernel('cpu', 'ConcatV2', (inputs, ctx) => {
  const n = ctx.attrs.N as number;
  const out = ctx.outputs[0] as Out;
  const ax = norm((inputs[n] as NDArray).data[0] as number, out.shape.length);
  const parts = inputs.slice(0, n);
  return [
    join(
      parts,
      out,
      sizeOf(out.shape.slice(0, ax)),
      parts.map((p) => sizeOf(p.shape.slice(ax))),
      ctx,
    ),
  ];
});

registerKernel('cpu', 'Pack', (inputs, ctx) => {
  const out = ctx.outputs[0] as Out;
  const ax = norm(ctx.attrs.axis as number, out.shape.length);
  const inner = sizeOf(out.shape.slice(ax + 1));
  return [
    join(
      inputs,
      out,
      sizeOf(out.shape.slice(0, ax)),
      inputs.map(() => inner),
      ctx,
    ),
  ];
});

registerKernel('cpu', 'Unpack', ([x], ctx) => splitAlong(x as NDArray, ctx.attrs.axis as number, ctx));

const splitKernel =
  (valueAt: number, axisAt: number): Kernel =>
  (inputs, ctx) =>
    splitAlong(inputs[valueAt] as NDArray, (inputs[axisAt] as NDArray).data[0] as number, ctx);
registerKernel('cpu', 'Split', splitKernel(1, 0));
registerKernel('cpu', 'SplitV', splitKernel(0, 2));
registerKernel('cpu', 'SplitLike', splitKernel(0, 1));
