// CPU kernels of GatherNd and ScatterNd (registered on import).
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import { ndOffsets } from '../../../ops/array/gather_nd';

type Out = { shape: number[]; dtype: NDArray['dtype'] };

registerKernel('cpu', 'GatherNd', ([params, indices], ctx) => {
  const p = params as NDArray;
  const ind = indices as NDArray;
  const out = ctx.outputs[0] as Out;
  const { offsets, slice } = ndOffsets(ind.data, ind.shape, p.shape, 'param shape');
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  const src = p.data;
  for (let r = 0; r < offsets.length; r++) {
    const from = offsets[r] as number;
    const to = r * slice;
    for (let w = 0; w < slice; w++) data[to + w] = src[from + w] as number;
  }
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'ScatterNd', ([indices, updates], ctx) => {
  const ind = indices as NDArray;
  const u = (updates as NDArray).data;
  const out = ctx.outputs[0] as Out;
  const { offsets, slice } = ndOffsets(ind.data, ind.shape, out.shape, 'shape');
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  for (let r = 0; r < offsets.length; r++) {
    const to = offsets[r] as number;
    const from = r * slice;
    for (let w = 0; w < slice; w++) data[to + w] = (data[to + w] as number) + (u[from + w] as number);
  }
  return [new NDArray(data, out.shape, out.dtype)];
});
