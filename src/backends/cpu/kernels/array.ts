// CPU kernels of the array (shape) op family, registered on import. The reshaping ops are zero-copy:
// kernels never mutate inputs, so an output may share its input's storage.
import { registerKernel, Kernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import './array_transpose';
import './array_join';
import './array_slice';
import './array_gather';

/** A new view of the input's data with the output shape the op's shape function computed. */
const view: Kernel = ([x], ctx) => {
  const out = ctx.outputs[0] as { shape: number[] };
  const v = x as NDArray;
  return [new NDArray(v.data, out.shape.slice(), v.dtype)];
};
for (const type of ['Reshape', 'ReshapeLike', 'ExpandDims', 'Squeeze']) registerKernel('cpu', type, view);

registerKernel('cpu', 'InvertPermutation', ([x], ctx) => {
  const perm = (x as NDArray).data;
  const out = ctx.alloc('int32', perm.length);
  for (let i = 0; i < perm.length; i++) out[perm[i] as number] = i;
  return [new NDArray(out, [perm.length], 'int32')];
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
