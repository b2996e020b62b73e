// Gather / its dense scatter-add gradient, and OneHot, on the CPU (index checks and layout: the op
// layer's src/ops/array/gather_rules.ts).
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import { checkGatherIndices, gatherLayout } from '../../../ops/array/gather_rules';
import { copyRun } from './join';

type Out = { shape: number[]; dtype: NDArray['dtype'] };

registerKernel('cpu', 'GatherV2', ([params, indices, axis], ctx) => {
  const p = params as NDArray;
  const ind = indices as NDArray;
  const out = ctx.outputs[0] as Out;
  const [outer, limit, inner] = gatherLayout(p.shape, (axis as NDArray).data[0] as number);
  checkGatherIndices(ind, limit);
  const idx = ind.data;
  const K = idx.length;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < K; j++)
      copyRun(p.data, (o * limit + (idx[j] as number)) * inner, data, (o * K + j) * inner, inner);
  }
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'GatherGrad', ([dy, like, indices, axis], ctx) => {
  const g = (dy as NDArray).data;
  const ind = indices as NDArray;
  const out = ctx.outputs[0] as Out;
  const [outer, limit, inner] = gatherLayout((like as NDArray).shape, (axis as NDArray).data[0] as number);
  checkGatherIndices(ind, limit);
  const idx = ind.data;
  const K = idx.length;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < K; j++) {
      const to = (o * limit + (idx[j] as number)) * inner;
      const from = (o * K + j) * inner;
      for (let i = 0; i < inner; i++) data[to + i] = (data[to + i] as number) + (g[from + i] as number);
    }
  }
  return [new NDArray(data, out.shape, out.dtype)];
});

registerKernel('cpu', 'OneHot', ([indices, , on, off], ctx) => {
  const out = ctx.outputs[0] as { shape: number[]; dtype: NDArray['dtype'] };
  const idx = (indices as NDArray).data;
  const axis = ctx.attrs.axis as number;
  const at = axis === -1 ? (indices as NDArray).shape.length : axis;
  const depth = out.shape[at] as number;
  const inner = sizeOf((indices as NDArray).shape.slice(at));
  const outer = idx.length / (inner || 1);
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  const onV = (on as NDArray).data[0] as number;
  const offV = (off as NDArray).data[0] as number;
  if (offV !== 0) data.fill(offV);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const k = idx[o * inner + i] as number;
      if (k >= 0 && k < depth) data[(o * depth + k) * inner + i] = onV;
    }
  }
  return [new NDArray(data, out.shape, out.dtype)];
});
