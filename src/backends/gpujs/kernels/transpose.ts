import { stridesOf } from '../../../graph/shape';
import { linear } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, ints } from '../registry';
import { cs, gather, out0 } from './util';

/** Transpose on the GPU: one gather-style kernel, each output element reads its permuted source. */
registerKernel('gpu', 'Transpose', {
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
