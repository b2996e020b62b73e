// CPU kernels of the fill/shape-info op family (registered on import).
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

registerKernel('cpu', 'Shape', ([x], ctx) => {
  const s = (x as NDArray).shape;
  const out = ctx.alloc('int32', s.length);
  s.forEach((d, i) => (out[i] = d));
  return [new NDArray(out, [s.length], 'int32')];
});

registerKernel('cpu', 'Size', ([x], ctx) => {
  const out = ctx.alloc('int32', 1);
  out[0] = (x as NDArray).size;
  return [new NDArray(out, [], 'int32')];
});

registerKernel('cpu', 'Rank', ([x], ctx) => {
  const out = ctx.alloc('int32', 1);
  out[0] = (x as NDArray).rank;
  return [new NDArray(out, [], 'int32')];
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
