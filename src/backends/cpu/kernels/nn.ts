import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import { InvalidArgumentError } from '../../../errors';

/** CPU kernels of BiasAdd, BiasAddGrad, L2Loss and the dropout mask. */
/** [outer, C, inner] of the bias axis: the last axis (NHWC) or axis 1 (NCHW). */
function biasLayout(shape: number[], format: unknown): { C: number; inner: number } {
  const axis = format === 'NCHW' ? 1 : shape.length - 1;
  return { C: shape[axis] as number, inner: sizeOf(shape.slice(axis + 1)) };
}

registerKernel('cpu', 'BiasAdd', ([value, bias], ctx) => {
  const v = value as NDArray;
  const b = (bias as NDArray).data;
  const out = ctx.alloc(v.dtype, v.size);
  const x = v.data;
  const { C, inner } = biasLayout(v.shape, ctx.attrs.data_format);
  const block = C * inner;
  for (let i = 0; block > 0 && i < x.length; i += block) {
    for (let c = 0; c < C; c++) {
      const bc = b[c] as number;
      const s = i + c * inner;
      for (let k = 0; k < inner; k++) out[s + k] = (x[s + k] as number) + bc;
    }
  }
  if (v.dtype === 'int32') for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) | 0;
  return [new NDArray(out, v.shape.slice(), v.dtype)];
});

registerKernel('cpu', 'BiasAddGrad', ([dy], ctx) => {
  const g = dy as NDArray;
  const { C, inner } = biasLayout(g.shape, ctx.attrs.data_format);
  const block = C * inner;
  const acc = new Float64Array(C);
  const x = g.data;
  for (let i = 0; block > 0 && i < x.length; i += block) {
    for (let c = 0; c < C; c++) {
      const s = i + c * inner;
      let t = 0;
      for (let k = 0; k < inner; k++) t += x[s + k] as number;
      acc[c] = (acc[c] as number) + t;
    }
  }
  const out = ctx.alloc(g.dtype, C);
  for (let c = 0; c < C; c++) out[c] = g.dtype === 'int32' ? (acc[c] as number) | 0 : (acc[c] as number);
  return [new NDArray(out, [C], g.dtype)];
});

registerKernel('cpu', 'L2Loss', ([t], ctx) => {
  const x = (t as NDArray).data;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (x[i] as number);
  const out = ctx.alloc('float32', 1);
  out[0] = s / 2;
  return [new NDArray(out, [], 'float32')];
});

registerKernel('cpu', 'DropoutMask', ([, keepProb], ctx) => {
  const shape = (ctx.outputs[0] as { shape: number[] }).shape;
  const n = sizeOf(shape);
  const keep = (keepProb as NDArray).data[0] as number;
  if (!(keep > 0 && keep <= 1)) {
    throw new InvalidArgumentError(
      `keep_prob must be a scalar tensor or a float in the range (0, 1], got ${keep}`,
    );
  }
  const rng = ctx.state.random(ctx.op);
  const out = ctx.alloc('float32', n);
  const scale = 1 / keep;
  for (let i = 0; i < n; i++) out[i] = rng.uniform() < keep ? scale : 0;
  return [new NDArray(out, shape, 'float32')];
});
