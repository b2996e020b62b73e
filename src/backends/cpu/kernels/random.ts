// CPU kernels of the random op family (registered on import). Each op draws from its own seeded stream
// (`ctx.state.random(op)`), which continues across runs of a Session, as in TF1.
import { KernelContext, registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import type { Random } from '../../../util/random';

function sampler(draw: (r: Random, attrs: KernelContext['attrs'], isInt: boolean) => () => number) {
  return (_inputs: NDArray[], ctx: KernelContext): NDArray[] => {
    const spec = ctx.outputs[0] as { shape: number[]; dtype: NDArray['dtype'] };
    const out = ctx.alloc(spec.dtype, sizeOf(spec.shape));
    const next = draw(ctx.state.random(ctx.op), ctx.attrs, spec.dtype === 'int32');
    for (let i = 0; i < out.length; i++) out[i] = next();
    return [new NDArray(out, spec.shape, spec.dtype)];
  };
}

const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);

registerKernel(
  'cpu',
  'RandomStandardNormal',
  sampler((r, a) => {
    const mean = num(a.mean, 0);
    const stddev = num(a.stddev, 1);
    return () => mean + stddev * r.normal();
  }),
);

registerKernel(
  'cpu',
  'TruncatedNormal',
  sampler((r, a) => {
    const mean = num(a.mean, 0);
    const stddev = num(a.stddev, 1);
    return () => mean + stddev * r.truncatedNormal();
  }),
);

registerKernel(
  'cpu',
  'RandomUniform',
  sampler((r, a, isInt) => {
    const lo = num(a.minval, 0);
    const hi = num(a.maxval, 1);
    const range = hi - lo;
    if (isInt) return () => lo + Math.floor(r.uniform() * range);
    // Redraw the rare sample that float32 storage would round up to maxval: the range stays [lo, hi).
    return () => {
      for (;;) {
        const v = lo + range * r.uniform();
        if (Math.fround(v) < hi || range <= 0) return v;
      }
    };
  }),
);
