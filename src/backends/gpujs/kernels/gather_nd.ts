import { sizeOf } from '../../../graph/shape';
import { NDArray } from '../../../ndarray';
import { ndOffsets } from '../../../ops/array/gather_nd';
import { ilit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, asHost } from '../registry';
import { out0 } from './util';

/**
 * GatherNd and ScatterNd on the GPU, gather-style: the index rows are checked and turned into flat
 * offsets on the host (TF's error for a bad row), uploaded as a small table; GatherNd's elements read
 * `params[offset[row] + w]`, ScatterNd's sum the update slices whose row lands on them (repeated rows
 * accumulate, as GatherGrad does).
 */
registerKernel('gpu', 'GatherNd', {
  hostInputs: [1],
  run: ([params, indices], ctx) => {
    const p = asGpu(params);
    const ind = asHost(indices);
    const out = out0(ctx);
    const { offsets, slice } = ndOffsets(ind.data, ind.shape, p.shape, 'param shape');
    if (sizeOf(out.shape) === 0)
      return [ctx.run(makeProgram(0, [], 'return 0.0;'), [], out.shape, out.dtype)];
    const off = ctx.upload(new NDArray(Float32Array.from(offsets), [offsets.length], 'float32'));
    try {
      const body = [
        `const r = Math.floor(i / ${ilit(slice)});`,
        `const w = i - r * ${ilit(slice)};`,
        'return p[off[r] + w];',
      ].join('\n');
      return [ctx.run(makeProgram(sizeOf(out.shape), ['p', 'off'], body), [p, off], out.shape, out.dtype)];
    } finally {
      off.release();
    }
  },
});

registerKernel('gpu', 'ScatterNd', {
  hostInputs: [0, 2],
  run: ([indices, updates], ctx) => {
    const ind = asHost(indices);
    const u = asGpu(updates);
    const out = out0(ctx);
    const { offsets, slice } = ndOffsets(ind.data, ind.shape, out.shape, 'shape');
    const n = offsets.length;
    if (n === 0 || u.size === 0 || sizeOf(out.shape) === 0)
      return [ctx.run(makeProgram(sizeOf(out.shape), [], 'return 0.0;'), [], out.shape, out.dtype)];
    const off = ctx.upload(new NDArray(Float32Array.from(offsets), [n], 'float32'));
    try {
      const body = [
        `const q = Math.floor(i / ${ilit(slice)});`,
        `const w = i - q * ${ilit(slice)};`,
        `const base = q * ${ilit(slice)};`,
        'let s = 0.0;',
        `for (let r = 0; r < ${ilit(n)}; r++) {`,
        `  if (off[r] === base) { s += u[r * ${ilit(slice)} + w]; }`,
        '}',
        'return s;',
      ].join('\n');
      return [ctx.run(makeProgram(sizeOf(out.shape), ['u', 'off'], body), [u, off], out.shape, out.dtype)];
    } finally {
      off.release();
    }
  },
});
