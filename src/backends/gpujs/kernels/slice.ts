import { InvalidArgumentError } from '../../../errors';
import { sizeOf, stridesOf } from '../../../graph/shape';
import { stridedSliceSpec, StridedSliceMasks } from '../../../ops/array/strided_slice_spec';
import { clampIndex, coords, ilit, linear, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, GpuKernelContext, ints } from '../registry';
import type { GpuTensor } from '../tensor';
import { at, cs, gather, out0 } from './util';

/**
 * Slicing and padding on the GPU (Slice, StridedSlice, Pad, MirrorPad and their gradients), each one
 * gather-style kernel: every output element computes which input element it copies (from its
 * coordinates) and reads it. Out-of-range reads never happen: positions outside an input are clamped
 * and their value replaced (padding), so no backend reads past a buffer.
 */
/** A box of `out.shape` at `begin` (Slice and SliceLike). */
function slice(ctx: GpuKernelContext, x: GpuTensor, begin: number[]): GpuTensor {
  const out = out0(ctx);
  if (sizeOf(out.shape) === x.size) return x.share(out.shape);
  const st = stridesOf(x.shape);
  const base = begin.reduce((a, b, k) => a + b * (st[k] as number), 0);
  return gather(ctx, x, out, linear(cs(out.shape.length), st, base));
}
registerKernel('gpu', 'Slice', {
  hostInputs: [1, 2],
  run: ([x, begin], ctx) => [slice(ctx, asGpu(x), ints(begin))],
});
registerKernel('gpu', 'SliceLike', {
  hostInputs: [1],
  shapeInputs: [2],
  run: ([x, begin], ctx) => [slice(ctx, asGpu(x), ints(begin))],
});

/**
 * `x` placed at offset `before` inside a tensor of `out.shape` filled with `fill` (an expression):
 * Pad, PadV2 and SliceGrad.
 */
function padded(
  ctx: GpuKernelContext,
  x: GpuTensor,
  before: number[],
  fill: string,
  extra: GpuTensor[],
): GpuTensor {
  const out = out0(ctx);
  if (x.size === 0) {
    const p = makeProgram(
      sizeOf(out.shape),
      extra.map((_t, k) => `e${k}`),
      `return ${fill};`,
    );
    return ctx.run(p, extra, out.shape, out.dtype);
  }
  const rank = out.shape.length;
  const lines = [coords(out.shape)];
  const inside: string[] = [];
  const idx: string[] = [];
  for (let k = 0; k < rank; k++) {
    const d = x.shape[k] as number;
    lines.push(`const s${k} = c${k} - ${ilit(before[k] as number)};`);
    inside.push(`s${k} >= 0 && s${k} < ${ilit(d)}`);
    idx.push(clampIndex(`s${k}`, d - 1));
  }
  const cond = inside.length ? inside.join(' && ') : 'true';
  lines.push(`const v = x[${at(x.shape, idx)}];`, `let r = ${fill};`, `if (${cond}) { r = v; }`, 'return r;');
  const p = makeProgram(sizeOf(out.shape), ['x', ...extra.map((_t, k) => `e${k}`)], lines.join('\n'));
  return ctx.run(p, [x, ...extra], out.shape, out.dtype);
}

registerKernel('gpu', 'Pad', {
  hostInputs: [1],
  run: ([x, paddings], ctx) => [
    padded(
      ctx,
      asGpu(x),
      ints(paddings).filter((_p, i) => i % 2 === 0),
      '0.0',
      [],
    ),
  ],
});
registerKernel('gpu', 'PadV2', {
  hostInputs: [1],
  run: ([x, paddings, cv], ctx) => [
    padded(
      ctx,
      asGpu(x),
      ints(paddings).filter((_p, i) => i % 2 === 0),
      'e0[0]',
      [asGpu(cv)],
    ),
  ],
});
registerKernel('gpu', 'SliceGrad', {
  shapeInputs: [1],
  hostInputs: [2],
  run: ([dy, , begin], ctx) => [padded(ctx, asGpu(dy), ints(begin), '0.0', [])],
});

function spec(shape: number[], params: unknown[], masks: StridedSliceMasks) {
  const [b, e, s] = (params as Parameters<typeof ints>[0][]).map(ints) as [number[], number[], number[]];
  const r = stridedSliceSpec(shape, b, e, s, b.length, masks);
  if (typeof r === 'string') throw new InvalidArgumentError(r);
  return { starts: r.starts, steps: r.steps, sizes: r.sizes as number[] };
}

registerKernel('gpu', 'StridedSlice', {
  hostInputs: [1, 2, 3],
  run: ([x, ...params], ctx) => {
    const v = asGpu(x);
    const out = out0(ctx);
    const { starts, steps, sizes } = spec(v.shape, params, ctx.attrs as unknown as StridedSliceMasks);
    const st = stridesOf(v.shape);
    const base = starts.reduce((a, k, i) => a + k * (st[i] as number), 0);
    const index = linear(
      cs(sizes.length),
      steps.map((k, i) => k * (st[i] as number)),
      base,
    );
    const p = makeProgram(sizeOf(out.shape), ['x'], `${coords(sizes)}\nreturn x[${index}];`);
    return [ctx.run(p, [v], out.shape, out.dtype)];
  },
});

registerKernel('gpu', 'StridedSliceScatter', {
  shapeInputs: [1],
  hostInputs: [2, 3, 4],
  run: ([dy, like, ...params], ctx) => {
    const g = asGpu(dy);
    const out = out0(ctx);
    const { starts, steps, sizes } = spec(
      (like as GpuTensor).shape,
      params,
      ctx.attrs as unknown as StridedSliceMasks,
    );
    const rank = out.shape.length;
    const lines = [coords(out.shape)];
    const ok: string[] = [];
    const idx: string[] = [];
    for (let k = 0; k < rank; k++) {
      const size = sizes[k] as number;
      lines.push(
        `const d${k} = c${k} - ${ilit(starts[k] as number)};`,
        `const q${k} = Math.floor(d${k} / ${ilit(steps[k] as number)});`,
      );
      ok.push(`q${k} * ${ilit(steps[k] as number)} === d${k} && q${k} >= 0 && q${k} < ${ilit(size)}`);
      idx.push(clampIndex(`q${k}`, Math.max(size - 1, 0)));
    }
    if (g.size === 0) {
      const p = makeProgram(sizeOf(out.shape), [], 'return 0.0;');
      return [ctx.run(p, [], out.shape, out.dtype)];
    }
    lines.push(
      `const v = g[${at(sizes, idx)}];`,
      'let r = 0.0;',
      `if (${ok.join(' && ') || 'true'}) { r = v; }`,
      'return r;',
    );
    const p = makeProgram(sizeOf(out.shape), ['g'], lines.join('\n'));
    return [ctx.run(p, [g], out.shape, out.dtype)];
  },
});

/**
 * The input coordinate that padded coordinate `c` mirrors (MirrorPad; REFLECT skips the edge,
 * SYMMETRIC repeats it). TF1's paddings limits make one reflection enough.
 */
function mirrorExpr(c: string, before: number, d: number, reflect: boolean): string {
  const s = `(${c} - ${ilit(before)})`;
  const left = reflect ? `(0 - ${s})` : `(-1 - ${s})`;
  const right = reflect ? `(${ilit(2 * (d - 1))} - ${s})` : `(${ilit(2 * d - 1)} - ${s})`;
  return clampIndex(`(${s} < 0 ? ${left} : (${s} >= ${ilit(d)} ? ${right} : ${s}))`, d - 1);
}

registerKernel('gpu', 'MirrorPad', {
  hostInputs: [1],
  run: ([x, paddings], ctx) => {
    const v = asGpu(x);
    const out = out0(ctx);
    const p = ints(paddings);
    const reflect = ctx.attrs.mode === 'REFLECT';
    if (sizeOf(out.shape) === 0 || v.size === 0) return [v.share(out.shape)];
    const idx = cs(out.shape.length).map((c, k) =>
      mirrorExpr(c, p[2 * k] as number, v.shape[k] as number, reflect),
    );
    return [gather(ctx, v, out, at(v.shape, idx))];
  },
});

/**
 * MirrorPadGrad, one padded axis per pass: each element of the unpadded axis sums its own place and the
 * (at most two) mirrored places that copied it.
 */
registerKernel('gpu', 'MirrorPadGrad', {
  hostInputs: [1],
  run: ([dy, paddings], ctx) => {
    const out = out0(ctx);
    const p = ints(paddings);
    const reflect = ctx.attrs.mode === 'REFLECT';
    let cur = asGpu(dy);
    const temps: GpuTensor[] = [];
    const rank = out.shape.length;
    for (let k = 0; k < rank; k++) {
      const before = p[2 * k] as number;
      const after = p[2 * k + 1] as number;
      if (before === 0 && after === 0) continue;
      const d = out.shape[k] as number;
      const shape = cur.shape.map((n, i) => (i === k ? d : n));
      const size = sizeOf(shape);
      const c = cs(rank);
      const read = (pos: string): string =>
        at(
          cur.shape,
          c.map((n, i) => (i === k ? pos : n)),
        );
      const ck = `c${k}`;
      const padded = cur.shape[k] as number;
      const lines = [coords(shape), `let r = x[${read(`(${ck} + ${ilit(before)})`)}];`];
      const pl = reflect ? `(${ilit(before)} - ${ck})` : `(${ilit(before - 1)} - ${ck})`;
      const pr = reflect
        ? `(${ilit(before + 2 * (d - 1))} - ${ck})`
        : `(${ilit(before + 2 * d - 1)} - ${ck})`;
      if (before > 0) {
        lines.push(
          `const vl = x[${read(clampIndex(pl, padded - 1))}];`,
          `if (${pl} >= 0 && ${pl} < ${ilit(before)}) { r = r + vl; }`,
        );
      }
      if (after > 0) {
        lines.push(
          `const vr = x[${read(clampIndex(pr, padded - 1))}];`,
          `if (${pr} >= ${ilit(before + d)} && ${pr} < ${ilit(before + d + after)}) { r = r + vr; }`,
        );
      }
      lines.push('return r;');
      if (size === 0 || cur.size === 0) {
        const z = makeProgram(size, [], 'return 0.0;');
        const next = ctx.run(z, [], shape, out.dtype);
        temps.push(next);
        cur = next;
        continue;
      }
      const next = ctx.run(makeProgram(size, ['x'], lines.join('\n')), [cur], shape, out.dtype);
      temps.push(next);
      cur = next;
    }
    const result = temps.pop();
    for (const t of temps) t.release();
    return [result ?? asGpu(dy).share(out.shape)];
  },
});
