import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import { InvalidArgumentError } from '../../../errors';

/** CPU kernels of BiasAdd, BiasAddGrad, L2Loss and the dropout mask. */
registerKernel('cpu', 'BiasAdd', ([value, bias], ctx) => {
  const v = value as NDArray;
  const b = (bias as NDArray).data;
  const out = ctx.alloc(v.dtype, v.size);
  const x = v.data;
  const C = b.length;
  for (let i = 0; C > 0 && i < x.length; i += C) {
    for (let c = 0; c < C; c++) out[i + c] = (x[i + c] as number) + (b[c] as number);
  }
  if (v.dtype === 'int32') for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) | 0;
  return [new NDArray(out, v.shape.slice(), v.dtype)];
});

registerKernel('cpu', 'BiasAddGrad', ([dy], ctx) => {
  const g = dy as NDArray;
  const C = g.shape[g.shape.length - 1] as number;
  const acc = new Float64Array(C);
  const x = g.data;
  for (let i = 0; C > 0 && i < x.length; i += C) {
    for (let c = 0; c < C; c++) acc[c] = (acc[c] as number) + (x[i + c] as number);
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
