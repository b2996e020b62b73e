import type { DType } from '../../../graph/dtype';
import { sizeOf } from '../../../graph/shape';
import { ilit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu } from '../registry';
import { emptyReduction, reduceProgram } from './reduce';

/** BiasAdd and its gradient, L2Loss and the dropout mask on the GPU (the reductions use reduce.ts's). */
type Out = { shape: number[]; dtype: DType };

registerKernel('gpu', 'BiasAdd', {
  run: ([value, bias], ctx) => {
    const v = asGpu(value);
    const b = asGpu(bias);
    const C = b.size;
    const out = ctx.outputs[0] as Out;
    // Channel of element i: (i / inner) mod C, inner = 1 for NHWC (bias on the last axis).
    const inner = ctx.attrs.data_format === 'NCHW' ? sizeOf(out.shape.slice(2)) : 1;
    const p = makeProgram(
      v.size,
      ['x', 'b'],
      `const q = Math.floor(i / ${ilit(inner)});\nreturn x[i] + b[q - Math.floor(q / ${ilit(C)}) * ${ilit(C)}];`,
    );
    return [ctx.run(p, [v, b], out.shape, out.dtype)];
  },
});

registerKernel('gpu', 'BiasAddGrad', {
  run: ([dy], ctx) => {
    const g = asGpu(dy);
    const out = ctx.outputs[0] as Out;
    // Every axis but the bias axis: the last (NHWC) or axis 1 (NCHW).
    const keep = ctx.attrs.data_format === 'NCHW' ? 1 : g.shape.length - 1;
    const axes = g.shape.map((_d, a) => a).filter((a) => a !== keep);
    if (sizeOf(out.shape) === 0 || g.size === 0) return [emptyReduction(ctx, out, 0)];
    return [ctx.run(reduceProgram(g.shape, axes, 'sum'), [g], out.shape, out.dtype)];
  },
});

registerKernel('gpu', 'L2Loss', {
  run: ([x], ctx) => {
    const v = asGpu(x);
    const out = ctx.outputs[0] as Out;
    if (v.size === 0) return [emptyReduction(ctx, out, 0)];
    const all = v.shape.map((_d, a) => a);
    return [ctx.run(reduceProgram(v.shape, all, 'sum', 'v * v', 'acc * 0.5'), [v], out.shape, out.dtype)];
  },
});

registerKernel('gpu', 'DropoutMask', {
  host: "seeded host random stream: the mask matches the CPU backend's bit for bit",
});
