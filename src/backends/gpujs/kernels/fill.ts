import { sizeOf } from '../../../graph/shape';
import { makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu } from '../registry';
import { out0 } from './util';

/** Fill on the GPU (one kernel reading the scalar value); Range is computed on the host. */
registerKernel('gpu', 'Fill', {
  hostInputs: [0],
  run: ([, value], ctx) => {
    const out = out0(ctx);
    return [
      ctx.run(makeProgram(sizeOf(out.shape), ['v'], 'return v[0];'), [asGpu(value)], out.shape, out.dtype),
    ];
  },
});

registerKernel('gpu', 'Range', {
  host: 'index sequence from three host scalars: computed on the host with TF1 float32/int32 arithmetic',
});
