import { sizeOf } from '../../../graph/shape';
import { coords, ilit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, asHost, ints } from '../registry';
import { at, cs, gather, out0 } from './util';

/**
 * The reversal ops on the GPU, gather-style (see slice.ts): every output element reads the input
 * element it mirrors. ReverseV2's axes and ReverseSequence's lengths are read on the host; the lengths
 * are uploaded as a small tensor the kernel indexes by the batch coordinate.
 */
registerKernel('gpu', 'ReverseV2', {
  hostInputs: [1],
  run: ([x, axis], ctx) => {
    const v = asGpu(x);
    const out = out0(ctx);
    const rank = v.shape.length;
    const axes = new Set(ints(axis).map((a) => (a < 0 ? a + rank : a)));
    if (rank === 0 || v.size === 0 || v.shape.every((d, k) => !axes.has(k) || d === 1)) {
      return [v.share(out.shape)];
    }
    const c = cs(rank);
    const exprs = c.map((name, k) =>
      axes.has(k) ? `(${ilit((v.shape[k] as number) - 1)} - ${name})` : name,
    );
    return [gather(ctx, v, out, at(v.shape, exprs))];
  },
});

registerKernel('gpu', 'ReverseSequence', {
  hostInputs: [1],
  run: ([x, lens], ctx) => {
    const v = asGpu(x);
    const out = out0(ctx);
    if (v.size === 0) return [v.share(out.shape)];
    const seqDim = ctx.attrs.seq_dim as number;
    const batchDim = ctx.attrs.batch_dim as number;
    const c = cs(v.shape.length);
    const t = c[seqDim] as string;
    const len = ctx.upload(asHost(lens));
    try {
      const exprs = c.map((name, k) => (k === seqDim ? 'sq' : name));
      const body = [
        `const sl = e0[${c[batchDim] as string}];`,
        `const sq = ${t} < sl ? sl - 1 - ${t} : ${t};`,
        `return x[${at(v.shape, exprs)}];`,
      ].join('\n');
      const p = makeProgram(sizeOf(out.shape), ['x', 'e0'], `${coords(out.shape)}\n${body}`);
      return [ctx.run(p, [v, len], out.shape, out.dtype)];
    } finally {
      len.release();
    }
  },
});
