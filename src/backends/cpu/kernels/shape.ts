// CPU kernels of the shape op family, registered on import. The reshaping ops are zero-copy (kernels
// never mutate inputs, so an output may share its input's storage); Shape, Size and Rank read the shape.
import { registerKernel, Kernel } from '../../backend';
import { NDArray } from '../../../ndarray';

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
