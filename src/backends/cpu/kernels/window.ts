import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import type { KernelContext } from '../../backend';
import { conv2dGeometry, poolGeometry, WindowGeometry } from '../../../ops/nn_geometry';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../linalg/conv';
import { avgPool, avgPoolGrad, maxPool, maxPoolGrad } from '../linalg/pool';
import type { FloatArray } from '../linalg/matmul';
import { wasmConv2d, wasmConv2dBackpropFilter, wasmConv2dBackpropInput } from '../wasm';

/**
 * CPU kernels of the sliding-window ops: the convolutions and pools lower to the pure kernels in
 * ../linalg (im2col + blocked matmul; window loops). Shapes were checked by the ops' shape functions,
 * and the backward ops take their output shape from ctx.outputs (set from their sizes input). The
 * geometry is the op layer's (src/ops/nn_geometry.ts).
 */
const f = (x: NDArray | undefined): FloatArray => (x as NDArray).data as FloatArray;

function output(ctx: KernelContext): { shape: number[]; data: FloatArray } {
  const shape = (ctx.outputs[0] as { shape: number[] }).shape;
  return { shape, data: ctx.alloc('float32', sizeOf(shape)) as FloatArray };
}
/** Float32 storage on every operand: the WebAssembly kernels apply (else the TS kernels, float64 mode). */
const allF32 = (...xs: FloatArray[]): boolean => xs.every((x) => x instanceof Float32Array);
const f32 = (x: FloatArray): Float32Array => x as Float32Array;

const result = (o: { shape: number[]; data: FloatArray }): NDArray[] => [
  new NDArray(o.data, o.shape, 'float32'),
];

registerKernel('cpu', 'Conv2D', ([x, w], ctx) => {
  const o = output(ctx);
  const g = conv2dGeometry((x as NDArray).shape, (w as NDArray).shape, ctx);
  const [X, W] = [f(x), f(w)];
  if (!(allF32(X, W, o.data) && wasmConv2d(f32(X), f32(W), f32(o.data), g))) conv2d(X, W, o.data, g);
  return result(o);
});

registerKernel('cpu', 'Conv2DBackpropInput', ([, w, dy], ctx) => {
  const o = output(ctx);
  const g = conv2dGeometry(o.shape, (w as NDArray).shape, ctx);
  const [DY, W] = [f(dy), f(w)];
  if (!(allF32(DY, W, o.data) && wasmConv2dBackpropInput(f32(DY), f32(W), f32(o.data), g))) {
    conv2dBackpropInput(DY, W, o.data, g);
  }
  return result(o);
});

registerKernel('cpu', 'Conv2DBackpropFilter', ([x, , dy], ctx) => {
  const o = output(ctx);
  const g = conv2dGeometry((x as NDArray).shape, o.shape, ctx);
  const [X, DY] = [f(x), f(dy)];
  if (!(allF32(X, DY, o.data) && wasmConv2dBackpropFilter(f32(X), f32(DY), f32(o.data), g))) {
    conv2dBackpropFilter(X, DY, o.data, g);
  }
  return result(o);
});

registerKernel('cpu', 'MaxPool', ([x], ctx) => {
  const o = output(ctx);
  maxPool(f(x), o.data, poolGeometry((x as NDArray).shape, ctx));
  return result(o);
});

registerKernel('cpu', 'MaxPoolGrad', ([x, , dy], ctx) => {
  const o = output(ctx);
  maxPoolGrad(f(x), f(dy), o.data, poolGeometry((x as NDArray).shape, ctx));
  return result(o);
});

registerKernel('cpu', 'MaxPoolGradGrad', ([x, , ddx], ctx) => {
  const o = output(ctx);
  maxPoolGradGrad(f(x), f(ddx), o.data, poolGeometry((x as NDArray).shape, ctx));
  return result(o);
});

registerKernel('cpu', 'AvgPool', ([x], ctx) => {
  const o = output(ctx);
  avgPool(f(x), o.data, poolGeometry((x as NDArray).shape, ctx));
  return result(o);
});

registerKernel('cpu', 'AvgPoolGrad', ([, dy], ctx) => {
  const o = output(ctx);
  avgPoolGrad(f(dy), o.data, poolGeometry(o.shape, ctx));
  return result(o);
});

/**
 * Adjoint of maxPoolGrad: out[b, oh, ow, c] = ddx at the first maximal cell (row-major, strict `>`,
 * the same tie rule as linalg's maxPoolGrad) of the window of x. Windows with no valid cell give 0.
 */
function maxPoolGradGrad(x: FloatArray, ddx: FloatArray, out: FloatArray, g: WindowGeometry): void {
  const C = g.inC;
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const hs = oh * g.strideH - g.padTop;
      const [h0, h1] = [Math.max(hs, 0), Math.min(hs + g.fH, g.inH)];
      for (let ow = 0; ow < g.outW; ow++, o++) {
        const ws = ow * g.strideW - g.padLeft;
        const [w0, w1] = [Math.max(ws, 0), Math.min(ws + g.fW, g.inW)];
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let arg = -1;
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const i = ((b * g.inH + h) * g.inW + w) * C + c;
              const v = x[i] as number;
              if (arg < 0 || v > best) {
                best = v;
                arg = i;
              }
            }
          }
          out[o * C + c] = arg < 0 ? 0 : (ddx[arg] as number);
        }
      }
    }
  }
}
