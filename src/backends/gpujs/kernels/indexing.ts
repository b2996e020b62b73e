import { InvalidArgumentError } from '../../../errors';
import type { DType } from '../../../graph/dtype';
import { sizeOf, stridesOf } from '../../../graph/shape';
import { stridedSliceSpec, StridedSliceMasks } from '../../../ops/array/strided_slice_spec';
import { broadcastIndex, clampIndex, coords, ilit, linear, makeProgram } from '../program';
import { asGpu, asHost, GpuKernelContext, ints, registerGpuKernel } from '../registry';
import type { GpuTensor } from '../tensor';

/**
 * Data-movement ops on the GPU, each one gather-style kernel: every output element computes which input
 * element it copies (from its coordinates) and reads it. Out-of-range reads never happen: positions
 * outside an input are clamped and their value replaced (padding), so no backend reads past a buffer.
 */
type Out = { shape: number[]; dtype: DType };
const out0 = (ctx: GpuKernelContext): Out => ctx.outputs[0] as Out;
const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);
const cs = (rank: number, p = 'c'): string[] => Array.from({ length: rank }, (_v, k) => `${p}${k}`);

/** out = x read at `index` (an expression over the output coordinates c0…). */
function gather(
  ctx: GpuKernelContext,
  x: GpuTensor,
  out: Out,
  index: string,
  extra: GpuTensor[] = [],
): GpuTensor {
  const p = makeProgram(
    sizeOf(out.shape),
    ['x', ...extra.map((_t, k) => `e${k}`)],
    `${coords(out.shape)}\nreturn x[${index}];`,
  );
  return ctx.run(p, [x, ...extra], out.shape, out.dtype);
}

/** The element of `x` at (coordinate expressions) `at`, which must be within x's shape. */
function at(x: readonly number[], exprs: readonly string[]): string {
  return linear(exprs as string[], stridesOf(x));
}

registerGpuKernel('Transpose', {
  hostInputs: [1],
  run: ([x, perm], ctx) => {
    const v = asGpu(x);
    const out = out0(ctx);
    const p = ints(perm);
    const st = stridesOf(v.shape);
    return [
      gather(
        ctx,
        v,
        out,
        linear(
          cs(out.shape.length),
          p.map((a) => st[a] as number),
        ),
      ),
    ];
  },
});

/** A box of `out.shape` at `begin` (Slice and SliceLike). */
function slice(ctx: GpuKernelContext, x: GpuTensor, begin: number[]): GpuTensor {
  const out = out0(ctx);
  if (sizeOf(out.shape) === x.size) return x.share(out.shape);
  const st = stridesOf(x.shape);
  const base = begin.reduce((a, b, k) => a + b * (st[k] as number), 0);
  return gather(ctx, x, out, linear(cs(out.shape.length), st, base));
}
registerGpuKernel('Slice', {
  hostInputs: [1, 2],
  run: ([x, begin], ctx) => [slice(ctx, asGpu(x), ints(begin))],
});
registerGpuKernel('SliceLike', {
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

registerGpuKernel('Pad', {
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
registerGpuKernel('PadV2', {
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
registerGpuKernel('SliceGrad', {
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

registerGpuKernel('StridedSlice', {
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

registerGpuKernel('StridedSliceScatter', {
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

registerGpuKernel('Tile', {
  hostInputs: [1],
  run: ([x], ctx) => {
    const v = asGpu(x);
    const out = out0(ctx);
    const lines = [coords(out.shape)];
    const idx = v.shape.map((d, k) => {
      lines.push(`const t${k} = c${k} - Math.floor(c${k} / ${ilit(d)}) * ${ilit(d)};`);
      return `t${k}`;
    });
    const p = makeProgram(sizeOf(out.shape), ['x'], `${lines.join('\n')}\nreturn x[${at(v.shape, idx)}];`);
    return [ctx.run(p, [v], out.shape, out.dtype)];
  },
});

registerGpuKernel('TileGrad', {
  shapeInputs: [1],
  hostInputs: [2],
  run: ([dy], ctx) => {
    const g = asGpu(dy);
    const out = out0(ctx);
    if (g.size === out.shape.reduce((a, b) => a * b, 1)) return [g.share(out.shape)];
    const rank = out.shape.length;
    const st = stridesOf(g.shape);
    const lines = [coords(out.shape), 'let s = 0.0;'];
    let close = '';
    const terms: string[] = [];
    for (let k = 0; k < rank; k++) {
      const m = (g.shape[k] as number) / (out.shape[k] as number);
      if (m > 1) {
        lines.push(`for (let m${k} = 0; m${k} < ${ilit(m)}; m${k}++) {`);
        close += '}';
        terms.push(`(c${k} + m${k} * ${ilit(out.shape[k] as number)}) * ${ilit(st[k] as number)}`);
      } else terms.push(`c${k} * ${ilit(st[k] as number)}`);
    }
    lines.push(`s += g[${terms.join(' + ') || '0'}];`, close, 'return s;');
    const p = makeProgram(sizeOf(out.shape), ['g'], lines.join('\n'));
    return [ctx.run(p, [g], out.shape, out.dtype)];
  },
});

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

registerGpuKernel('ConcatV2', {
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

registerGpuKernel('Pack', {
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
registerGpuKernel('Unpack', { run: ([x], ctx) => split(ctx, asGpu(x), ctx.attrs.axis as number) });
registerGpuKernel('Split', {
  hostInputs: [0],
  run: ([axis, x], ctx) => split(ctx, asGpu(x), asHost(axis).data[0] as number),
});
registerGpuKernel('SplitV', {
  hostInputs: [1, 2],
  run: ([x, , axis], ctx) => split(ctx, asGpu(x), asHost(axis).data[0] as number),
});
registerGpuKernel('SplitLike', {
  hostInputs: [1],
  shapeInputs: (k) => k >= 2,
  run: ([x, axis], ctx) => split(ctx, asGpu(x), asHost(axis).data[0] as number),
});

/** TF1's run-time message for a bad index (checked on the host, where the indices live). */
function checkIndices(indices: { data: ArrayLike<number>; shape: number[] }, limit: number): void {
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
  const ax = norm(axis, shape.length);
  return [sizeOf(shape.slice(0, ax)), shape[ax] as number, sizeOf(shape.slice(ax + 1))];
}

registerGpuKernel('GatherV2', {
  hostInputs: [1, 2],
  run: ([params, indices, axis], ctx) => {
    const p = asGpu(params);
    const ind = asHost(indices);
    const out = out0(ctx);
    const [, limit, inner] = around(p.shape, asHost(axis).data[0] as number);
    checkIndices(ind, limit);
    const K = ind.size;
    if (sizeOf(out.shape) === 0)
      return [ctx.run(makeProgram(0, [], 'return 0.0;'), [], out.shape, out.dtype)];
    const idx = ctx.upload(ind);
    try {
      const body = [
        `const q = Math.floor(i / ${ilit(inner)});`,
        `const w = i - q * ${ilit(inner)};`,
        `const o = Math.floor(q / ${ilit(K)});`,
        `const j = q - o * ${ilit(K)};`,
        `const k = Math.min(Math.max(ind[j], 0.0), ${ilit(limit - 1)}.0);`,
        `return p[(o * ${ilit(limit)} + k) * ${ilit(inner)} + w];`,
      ].join('\n');
      return [ctx.run(makeProgram(sizeOf(out.shape), ['p', 'ind'], body), [p, idx], out.shape, out.dtype)];
    } finally {
      idx.release();
    }
  },
});

registerGpuKernel('GatherGrad', {
  shapeInputs: [1],
  hostInputs: [2, 3],
  run: ([dy, like, indices, axis], ctx) => {
    const g = asGpu(dy);
    const ind = asHost(indices);
    const out = out0(ctx);
    const [, limit, inner] = around((like as GpuTensor).shape, asHost(axis).data[0] as number);
    checkIndices(ind, limit);
    const K = ind.size;
    if (K === 0 || g.size === 0)
      return [ctx.run(makeProgram(sizeOf(out.shape), [], 'return 0.0;'), [], out.shape, out.dtype)];
    const idx = ctx.upload(ind);
    try {
      const body = [
        `const q = Math.floor(i / ${ilit(inner)});`,
        `const w = i - q * ${ilit(inner)};`,
        `const o = Math.floor(q / ${ilit(limit)});`,
        `const t = q - o * ${ilit(limit)};`,
        'let s = 0.0;',
        `for (let j = 0; j < ${ilit(K)}; j++) {`,
        `  if (ind[j] === t) { s += g[(o * ${ilit(K)} + j) * ${ilit(inner)} + w]; }`,
        '}',
        'return s;',
      ].join('\n');
      return [ctx.run(makeProgram(sizeOf(out.shape), ['g', 'ind'], body), [g, idx], out.shape, out.dtype)];
    } finally {
      idx.release();
    }
  },
});

registerGpuKernel('OneHot', {
  hostInputs: [1],
  run: ([indices, , on, off], ctx) => {
    const ind = asGpu(indices);
    const out = out0(ctx);
    const a = ctx.attrs.axis as number;
    const ax = a === -1 ? ind.shape.length : a;
    const depth = out.shape[ax] as number;
    const inner = sizeOf(ind.shape.slice(ax));
    if (ind.size === 0 || sizeOf(out.shape) === 0) {
      return [
        ctx.run(
          makeProgram(sizeOf(out.shape), ['off'], 'return off[0];'),
          [asGpu(off)],
          out.shape,
          out.dtype,
        ),
      ];
    }
    const body = [
      `const w = i - Math.floor(i / ${ilit(inner)}) * ${ilit(inner)};`,
      `const q = Math.floor(i / ${ilit(inner)});`,
      `const o = Math.floor(q / ${ilit(depth)});`,
      `const k = q - o * ${ilit(depth)};`,
      'let r = off[0];',
      `if (ind[o * ${ilit(inner)} + w] === k) { r = on[0]; }`,
      'return r;',
    ].join('\n');
    return [
      ctx.run(
        makeProgram(sizeOf(out.shape), ['ind', 'on', 'off'], body),
        [ind, asGpu(on), asGpu(off)],
        out.shape,
        out.dtype,
      ),
    ];
  },
});

registerGpuKernel('BroadcastToShapeOf', {
  shapeInputs: [1],
  run: ([x], ctx) => {
    const v = asGpu(x);
    const out = out0(ctx);
    if (v.size === sizeOf(out.shape)) return [v.share(out.shape)];
    return [gather(ctx, v, out, broadcastIndex(v.shape, out.shape))];
  },
});

registerGpuKernel('Fill', {
  hostInputs: [0],
  run: ([, value], ctx) => {
    const out = out0(ctx);
    return [
      ctx.run(makeProgram(sizeOf(out.shape), ['v'], 'return v[0];'), [asGpu(value)], out.shape, out.dtype),
    ];
  },
});
