// CPU kernels of the fill op family, Fill and Range (registered on import).
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import { InvalidArgumentError } from '../../../errors';
import { rangeSize, rangeValues } from '../../../ops/array/range';

registerKernel('cpu', 'Fill', ([, value], ctx) => {
  const spec = ctx.outputs[0] as { shape: number[]; dtype: NDArray['dtype'] };
  const out = ctx.alloc(spec.dtype, sizeOf(spec.shape));
  out.fill((value as NDArray).data[0] as number);
  return [new NDArray(out, spec.shape, spec.dtype)];
});

registerKernel('cpu', 'Range', ([start, limit, delta], ctx) => {
  const dtype = ctx.attrs.Tidx as NDArray['dtype'];
  const [s, l, d] = [start, limit, delta].map((a) => (a as NDArray).data[0] as number) as [
    number,
    number,
    number,
  ];
  const n = rangeSize(s, l, d, dtype);
  if (typeof n === 'string') throw new InvalidArgumentError(n);
  const out = ctx.alloc(dtype, n);
  rangeValues(s, d, n, dtype, out);
  return [new NDArray(out, [n], dtype)];
});
