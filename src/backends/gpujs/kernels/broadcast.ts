import { sizeOf } from '../../../graph/shape';
import { broadcastIndex } from '../program';
import { registerKernel } from '../../backend';
import { asGpu } from '../registry';
import { emptyReduction, reduceProgram } from './reduce';
import { gather, Out, out0 } from './util';

/** Broadcasting to a shape (a gather-style kernel) and its adjoint, the sum back to the shape (a reduction). */
registerKernel('gpu', 'BroadcastToShapeOf', {
  shapeInputs: [1],
  run: ([x], ctx) => {
    const v = asGpu(x);
    const out = out0(ctx);
    if (v.size === sizeOf(out.shape)) return [v.share(out.shape)];
    return [gather(ctx, v, out, broadcastIndex(v.shape, out.shape))];
  },
});

/** Sums `g` over the axes along which `like`'s shape was broadcast to it (the adjoint of broadcasting). */
registerKernel('gpu', 'SumToShapeOf', {
  shapeInputs: [1],
  run: ([dy], ctx) => {
    const g = asGpu(dy);
    const out = ctx.outputs[0] as Out;
    if (g.size === sizeOf(out.shape)) return [g.share(out.shape)];
    if (sizeOf(out.shape) === 0 || g.size === 0) return [emptyReduction(ctx, out, 0)];
    const rank = g.shape.length;
    const padded = [...new Array<number>(rank - out.shape.length).fill(1), ...out.shape];
    const axes = g.shape.map((_d, a) => a).filter((a) => padded[a] === 1 && (g.shape[a] as number) !== 1);
    return [ctx.run(reduceProgram(g.shape, axes, 'sum'), [g], out.shape, out.dtype)];
  },
});
