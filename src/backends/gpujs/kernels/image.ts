import { sizeOf } from '../../../graph/shape';
import { NDArray } from '../../../ndarray';
import { bilinearWeights, nearestIndices } from '../../../ops/image/resize_math';
import { coords, ilit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, INT32_HOST } from '../registry';
import type { GpuKernelContext } from '../registry';
import type { GpuTensor } from '../tensor';
import { gather, out0 } from './util';

/**
 * tf.image's resize ops on the GPU, gather-style: the per-row and per-column source indices and
 * interpolation weights are TF's float32 coordinate arithmetic (resize_math.ts), computed on the host and
 * uploaded as small tables; every output element then reads its (up to four) source pixels. The gradients
 * are scatter-adds (each gradient pixel adds into up to four source pixels) and run on the host.
 */

/** A float32 table uploaded to the device (freed by the caller). */
function table(ctx: GpuKernelContext, values: number[]): GpuTensor {
  return ctx.upload(new NDArray(Float32Array.from(values), [values.length], 'float32'));
}

function withTables<T>(tables: GpuTensor[], fn: () => T): T {
  try {
    return fn();
  } finally {
    for (const t of tables) t.release();
  }
}

const flags = (ctx: GpuKernelContext): [boolean, boolean] => [
  ctx.attrs.align_corners === true,
  ctx.attrs.half_pixel_centers === true,
];

registerKernel('gpu', 'ResizeBilinear', {
  hostInputs: [1],
  hostWhen: (op) => (op.inputs[0]?.dtype === 'int32' ? INT32_HOST : undefined),
  run: ([images], ctx) => {
    const x = asGpu(images);
    const out = out0(ctx);
    const [, H, W, C] = x.shape as [number, number, number, number];
    const [, OH, OW] = out.shape as [number, number, number, number];
    if (sizeOf(out.shape) === 0)
      return [ctx.run(makeProgram(0, [], 'return 0.0;'), [], out.shape, out.dtype)];
    const [ac, hp] = flags(ctx);
    const ys = bilinearWeights(H, OH, ac, hp);
    const xs = bilinearWeights(W, OW, ac, hp);
    const pack = (w: typeof ys, n: number): number[] =>
      Array.from({ length: 3 * n }, (_v, k) => {
        const i = Math.floor(k / 3);
        const f = k % 3;
        return f === 0 ? (w.lower[i] as number) : f === 1 ? (w.upper[i] as number) : (w.lerp[i] as number);
      });
    const yt = table(ctx, pack(ys, OH));
    const xt = table(ctx, pack(xs, OW));
    return withTables([yt, xt], () => {
      const row = (r: string): string => `(c0 * ${ilit(H)} + ${r}) * ${ilit(W)}`;
      const px = (r: string, c: string): string => `x[(${row(r)} + ${c}) * ${ilit(C)} + c3]`;
      const body = [
        coords(out.shape),
        'const ty = ys[c1 * 3];',
        'const by = ys[c1 * 3 + 1];',
        'const yl = ys[c1 * 3 + 2];',
        'const lx = xs[c2 * 3];',
        'const rx = xs[c2 * 3 + 1];',
        'const xl = xs[c2 * 3 + 2];',
        `const a = ${px('ty', 'lx')};`,
        `const t = a + (${px('ty', 'rx')} - a) * xl;`,
        `const d = ${px('by', 'lx')};`,
        `const u = d + (${px('by', 'rx')} - d) * xl;`,
        'return t + (u - t) * yl;',
      ].join('\n');
      return [
        ctx.run(makeProgram(sizeOf(out.shape), ['x', 'ys', 'xs'], body), [x, yt, xt], out.shape, out.dtype),
      ];
    });
  },
});

registerKernel('gpu', 'ResizeNearestNeighbor', {
  hostInputs: [1],
  run: ([images], ctx) => {
    const x = asGpu(images);
    const out = out0(ctx);
    const [, H, W, C] = x.shape as [number, number, number, number];
    const [, OH, OW] = out.shape as [number, number, number, number];
    if (sizeOf(out.shape) === 0)
      return [ctx.run(makeProgram(0, [], 'return 0.0;'), [], out.shape, out.dtype)];
    const [ac, hp] = flags(ctx);
    const yt = table(ctx, Array.from(nearestIndices(H, OH, ac, hp)));
    const xt = table(ctx, Array.from(nearestIndices(W, OW, ac, hp)));
    return withTables([yt, xt], () => [
      gather(ctx, x, out, `((c0 * ${ilit(H)} + e0[c1]) * ${ilit(W)} + e1[c2]) * ${ilit(C)} + c3`, [yt, xt]),
    ]);
  },
});

const SCATTER =
  'scatter-add: each gradient pixel adds into the source pixels it was read from (a gather-form kernel would scan every gradient row per element)';
registerKernel('gpu', 'ResizeBilinearGrad', { host: SCATTER });
registerKernel('gpu', 'ResizeNearestNeighborGrad', { host: SCATTER });
