// CPU kernels of tf.image's resize ops and their gradients (registered on import).
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import { bilinearWeights, nearestIndices } from '../../../ops/image/resize_math';

type Out = { shape: number[]; dtype: NDArray['dtype'] };
const flag = (v: unknown): boolean => v === true;

registerKernel('cpu', 'ResizeBilinear', ([images], ctx) => {
  const x = images as NDArray;
  const out = ctx.outputs[0] as Out;
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const [, OH, OW] = out.shape as [number, number, number, number];
  const ac = flag(ctx.attrs.align_corners);
  const hp = flag(ctx.attrs.half_pixel_centers);
  const ys = bilinearWeights(H, OH, ac, hp);
  const xs = bilinearWeights(W, OW, ac, hp);
  const src = x.data;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < OH; y++) {
      const top = (b * H + (ys.lower[y] as number)) * W;
      const bot = (b * H + (ys.upper[y] as number)) * W;
      const yl = ys.lerp[y] as number;
      for (let xo = 0; xo < OW; xo++) {
        const l = xs.lower[xo] as number;
        const r = xs.upper[xo] as number;
        const xl = xs.lerp[xo] as number;
        const tl = (top + l) * C;
        const tr = (top + r) * C;
        const bl = (bot + l) * C;
        const br = (bot + r) * C;
        for (let c = 0; c < C; c++) {
          const a = src[tl + c] as number;
          const t = a + ((src[tr + c] as number) - a) * xl;
          const d = src[bl + c] as number;
          const u = d + ((src[br + c] as number) - d) * xl;
          data[o++] = t + (u - t) * yl;
        }
      }
    }
  }
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'ResizeBilinearGrad', ([grads, original], ctx) => {
  const g = grads as NDArray;
  const out = ctx.outputs[0] as Out;
  const [B, OH, OW, C] = g.shape as [number, number, number, number];
  const [, H, W] = (original as NDArray).shape as [number, number, number, number];
  const ac = flag(ctx.attrs.align_corners);
  const hp = flag(ctx.attrs.half_pixel_centers);
  const ys = bilinearWeights(H, OH, ac, hp);
  const xs = bilinearWeights(W, OW, ac, hp);
  const gd = g.data;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  let k = 0;
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < OH; y++) {
      const top = (b * H + (ys.lower[y] as number)) * W;
      const bot = (b * H + (ys.upper[y] as number)) * W;
      const yl = ys.lerp[y] as number;
      const iyl = 1 - yl;
      for (let xo = 0; xo < OW; xo++) {
        const l = xs.lower[xo] as number;
        const r = xs.upper[xo] as number;
        const xl = xs.lerp[xo] as number;
        const ixl = 1 - xl;
        const tl = (top + l) * C;
        const tr = (top + r) * C;
        const bl = (bot + l) * C;
        const br = (bot + r) * C;
        for (let c = 0; c < C; c++) {
          const v = gd[k++] as number;
          data[tl + c] = (data[tl + c] as number) + v * iyl * ixl;
          data[tr + c] = (data[tr + c] as number) + v * iyl * xl;
          data[bl + c] = (data[bl + c] as number) + v * yl * ixl;
          data[br + c] = (data[br + c] as number) + v * yl * xl;
        }
      }
    }
  }
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'ResizeNearestNeighbor', ([images], ctx) => {
  const x = images as NDArray;
  const out = ctx.outputs[0] as Out;
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const [, OH, OW] = out.shape as [number, number, number, number];
  const ac = flag(ctx.attrs.align_corners);
  const hp = flag(ctx.attrs.half_pixel_centers);
  const ys = nearestIndices(H, OH, ac, hp);
  const xs = nearestIndices(W, OW, ac, hp);
  const src = x.data;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < OH; y++) {
      const row = (b * H + (ys[y] as number)) * W;
      for (let xo = 0; xo < OW; xo++) {
        const from = (row + (xs[xo] as number)) * C;
        for (let c = 0; c < C; c++) data[o++] = src[from + c] as number;
      }
    }
  }
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'ResizeNearestNeighborGrad', ([grads], ctx) => {
  const g = grads as NDArray;
  const out = ctx.outputs[0] as Out;
  const [B, OH, OW, C] = g.shape as [number, number, number, number];
  const [, H, W] = out.shape as [number, number, number, number];
  const ac = flag(ctx.attrs.align_corners);
  const hp = flag(ctx.attrs.half_pixel_centers);
  // The forward op resized [H, W] to [OH, OW]: the same source indices, accumulated.
  const ys = nearestIndices(H, OH, ac, hp);
  const xs = nearestIndices(W, OW, ac, hp);
  const gd = g.data;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  let k = 0;
  for (let b = 0; b < B; b++) {
    for (let y = 0; y < OH; y++) {
      const row = (b * H + (ys[y] as number)) * W;
      for (let xo = 0; xo < OW; xo++) {
        const to = (row + (xs[xo] as number)) * C;
        for (let c = 0; c < C; c++) data[to + c] = (data[to + c] as number) + (gd[k++] as number);
      }
    }
  }
  return [new NDArray(data, out.shape, out.dtype)];
});
