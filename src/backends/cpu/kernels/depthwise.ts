import { registerKernel } from '../../backend';
import type { KernelContext } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import { depthwiseConv2dGeometry as geometry } from '../../../ops/nn_geometry';
import {
  depthwiseConv2d,
  depthwiseConv2dBackpropFilter,
  depthwiseConv2dBackpropInput,
} from '../linalg/depthwise';
import type { FloatArray } from '../linalg/matmul';
import { wasmDepthwiseForward } from '../wasm/depthwise';

/**
 * CPU kernels of DepthwiseConv2dNative and its two backward ops (pure kernels in ../linalg/depthwise.ts).
 * Shapes were checked by the ops' shape functions; the backward ops take their output shape from
 * ctx.outputs (set from their sizes input). Attrs are NHWC (NCHW data is transposed around the op); the
 * geometry is the op layer's (src/ops/nn_geometry.ts).
 */
const f = (x: NDArray | undefined): FloatArray => (x as NDArray).data as FloatArray;

function output(ctx: KernelContext): { shape: number[]; data: FloatArray } {
  const shape = (ctx.outputs[0] as { shape: number[] }).shape;
  return { shape, data: ctx.alloc('float32', sizeOf(shape)) as FloatArray };
}

const result = (o: { shape: number[]; data: FloatArray }): NDArray[] => [
  new NDArray(o.data, o.shape, 'float32'),
];

registerKernel('cpu', 'DepthwiseConv2dNative', ([x, w], ctx) => {
  const o = output(ctx);
  if (o.data.length > 0) {
    const g = geometry((x as NDArray).shape, (w as NDArray).shape, ctx);
    const [X, W, O] = [f(x), f(w), o.data];
    // Float32 storage everywhere: the WebAssembly SIMD kernel where built (multiplier 1), else TS.
    const f32 = X instanceof Float32Array && W instanceof Float32Array && O instanceof Float32Array;
    if (!(f32 && wasmDepthwiseForward(X, W, O, g))) depthwiseConv2d(X, W, O, g);
  }
  return result(o);
});

registerKernel('cpu', 'DepthwiseConv2dNativeBackpropInput', ([, w, dy], ctx) => {
  const o = output(ctx);
  if (o.data.length > 0) {
    depthwiseConv2dBackpropInput(f(dy), f(w), o.data, geometry(o.shape, (w as NDArray).shape, ctx));
  }
  return result(o);
});

registerKernel('cpu', 'DepthwiseConv2dNativeBackpropFilter', ([x, , dy], ctx) => {
  const o = output(ctx);
  if (o.data.length > 0) {
    depthwiseConv2dBackpropFilter(f(x), f(dy), o.data, geometry((x as NDArray).shape, o.shape, ctx));
  }
  return result(o);
});
