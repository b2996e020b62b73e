import { sizeOf, stridesOf } from '../../../graph/shape';
import { clampIndex, coords, ilit, linear, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, asHost, GpuKernelContext } from '../registry';
import type { GpuTensor } from '../tensor';
import { at, cs, norm, Out, out0 } from './util';

/** Concatenation, stacking and splitting on the GPU (gather-style, see slice.ts). */
/**
 * Joins `parts` along `axis` into `out` (ConcatV2, Pack after a reshape). Kernels take at most
 * `maxArgs` inputs, so long lists are joined in chunks, then the chunks joined.
 */
function join(ctx: GpuKernelContext, parts: GpuTensor[], axis: number, out: Out, maxArgs = 15): GpuTensor {
  const live = parts.filter((p) => p.size > 0);
  if (live.length === 1) return (live[0] as GpuTensor).share(out.shape);
  if (live.length > maxArgs) {
    const chunks: GpuTensor[] = [];
    for (let i = 0; i < live.length; i += maxArgs) {
      const group = live.slice(i, i + maxArgs);
      const shape = out.shape.slice();
      shape[axis] = group.reduce((a, p) => a + (p.shape[axis] as number), 0);
      chunks.push(join(ctx, group, axis, { shape, dtype: out.dtype }, maxArgs));
    }
    try {
      return join(ctx, chunks, axis, out, maxArgs);
    } finally {
      for (const c of chunks) c.release();
    }
  }
  const rank = out.shape.length;
  const lines = [coords(out.shape), 'let r = 0.0;'];
  const choose: string[] = [];
  let offset = 0;
  live.forEach((p, k) => {
    const d = p.shape[axis] as number;
    lines.push(`const j${k} = c${axis} - ${ilit(offset)};`);
    const idx = cs(rank).map((c, ax) => (ax === axis ? clampIndex(`j${k}`, d - 1) : c));
    lines.push(`const v${k} = p${k}[${at(p.shape, idx)}];`);
    choose.push(`${k ? '} else ' : ''}if (c${axis} < ${ilit(offset + d)}) { r = v${k};`);
    offset += d;
  });
  lines.push(...choose, '}', 'return r;');
  const prog = makeProgram(
    sizeOf(out.shape),
    live.map((_p, k) => `p${k}`),
    lines.join('\n'),
  );
  return ctx.run(prog, live, out.shape, out.dtype);
}

registerKernel('gpu', 'ConcatV2', {
  hostInputs: [-1],
  run: (inputs, ctx) => {
    const n = ctx.attrs.N as number;
    const out = out0(ctx);
    const axis = norm(asHost(inputs[n]).data[0] as number, out.shape.length);
    return [
      join(
        ctx,
        inputs.slice(0, n).map((v) => asGpu(v)),
        axis,
        out,
      ),
    ];
  },
});

registerKernel('gpu', 'Pack', {
  run: (inputs, ctx) => {
    const out = out0(ctx);
    const axis = norm(ctx.attrs.axis as number, out.shape.length);
    // Each part is a slab of thickness 1 along the new axis: view it so, then join.
    const parts = inputs.map((v) => {
      const t = asGpu(v);
      const shape = t.shape.slice();
      shape.splice(axis, 0, 1);
      return t.share(shape);
    });
    try {
      return [join(ctx, parts, axis, out)];
    } finally {
      for (const p of parts) p.release();
    }
  },
});

/** Consecutive slices of `x` along `axis` shaped like each output (Unpack, Split, SplitV, SplitLike). */
function split(ctx: GpuKernelContext, x: GpuTensor, axis: number): GpuTensor[] {
  const ax = norm(axis, x.shape.length);
  const st = stridesOf(x.shape);
  let offset = 0;
  return (ctx.outputs as Out[]).map((o) => {
    // An unpacked output drops the axis: index it as a slab of thickness 1.
    const box =
      o.shape.length === x.shape.length ? o.shape : [...o.shape.slice(0, ax), 1, ...o.shape.slice(ax)];
    const d = box[ax] as number;
    const base = offset * (st[ax] as number);
    offset += d;
    if (sizeOf(box) === x.size) return x.share(o.shape);
    const p = makeProgram(
      sizeOf(box),
      ['x'],
      `${coords(box)}\nreturn x[${linear(cs(box.length), st, base)}];`,
    );
    return ctx.run(p, [x], o.shape, o.dtype);
  });
}
registerKernel('gpu', 'Unpack', { run: ([x], ctx) => split(ctx, asGpu(x), ctx.attrs.axis as number) });
registerKernel('gpu', 'Split', {
  hostInputs: [0],
  run: ([axis, x], ctx) => split(ctx, asGpu(x), asHost(axis).data[0] as number),
});
registerKernel('gpu', 'SplitV', {
  hostInputs: [1, 2],
  run: ([x, , axis], ctx) => split(ctx, asGpu(x), asHost(axis).data[0] as number),
});
registerKernel('gpu', 'SplitLike', {
  hostInputs: [1],
  shapeInputs: (k) => k >= 2,
  run: ([x, axis], ctx) => split(ctx, asGpu(x), asHost(axis).data[0] as number),
});
