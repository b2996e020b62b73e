import { sizeOf } from '../../../graph/shape';
import { checkGatherIndices, gatherLayout } from '../../../ops/array/gather_rules';
import { ilit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, asHost } from '../registry';
import type { GpuTensor } from '../tensor';
import { out0 } from './util';

// Gather and its gradient, and one-hot, on the GPU. The index checks and the layout are the op layer's
// (src/ops/array/gather_rules.ts), run on the host where the indices live.

/**
 * A gather of one index (a scalar, or a vector of one: dynamicRnn reads one time step per loop iteration
 * this way) bakes the index into the kernel source, like Slice's `begin`, so nothing is uploaded per
 * call. That makes one kernel per distinct index, compiled once per process (the runtime's cache keeps
 * it for later runs): the program source has no uniforms (program.ts has no kernel constants), and a
 * compile costs about 10 ms (webasm) to 60 ms (headless WebGL) where an index upload is well under 1 ms.
 * So only gathers along axes of at most BAKE_MAX_LIMIT entries bake (at most that many kernels each);
 * longer axes and larger index vectors upload the indices, one kernel for all of them.
 */
const BAKE_MAX_LIMIT = 64;
function baked(ind: { size: number }, limit: number): boolean {
  return ind.size === 1 && limit <= BAKE_MAX_LIMIT;
}

registerKernel('gpu', 'GatherV2', {
  hostInputs: [1, 2],
  run: ([params, indices, axis], ctx) => {
    const p = asGpu(params);
    const ind = asHost(indices);
    const out = out0(ctx);
    const [, limit, inner] = gatherLayout(p.shape, asHost(axis).data[0] as number);
    checkGatherIndices(ind, limit);
    const K = ind.size;
    if (sizeOf(out.shape) === 0)
      return [ctx.run(makeProgram(0, [], 'return 0.0;'), [], out.shape, out.dtype)];
    if (baked(ind, limit)) {
      const k = ind.data[0] as number;
      const body = [
        `const o = Math.floor(i / ${ilit(inner)});`,
        `const w = i - o * ${ilit(inner)};`,
        `return p[o * ${ilit(limit * inner)} + ${ilit(k * inner)} + w];`,
      ].join('\n');
      return [ctx.run(makeProgram(sizeOf(out.shape), ['p'], body), [p], out.shape, out.dtype)];
    }
    const idx = ctx.upload(ind);
    try {
      const body = [
        `const q = Math.floor(i / ${ilit(inner)});`,
        `const w = i - q * ${ilit(inner)};`,
        `const o = Math.floor(q / ${ilit(K)});`,
        `const j = q - o * ${ilit(K)};`,
        `const k = Math.min(Math.max(ind[j], 0.0), ${ilit(limit - 1)}.0);`,
        `return p[(o * ${ilit(limit)} + k) * ${ilit(inner)} + w];`,
      ].join('\n');
      return [ctx.run(makeProgram(sizeOf(out.shape), ['p', 'ind'], body), [p, idx], out.shape, out.dtype)];
    } finally {
      idx.release();
    }
  },
});

registerKernel('gpu', 'GatherGrad', {
  shapeInputs: [1],
  hostInputs: [2, 3],
  run: ([dy, like, indices, axis], ctx) => {
    const g = asGpu(dy);
    const ind = asHost(indices);
    const out = out0(ctx);
    const [, limit, inner] = gatherLayout((like as GpuTensor).shape, asHost(axis).data[0] as number);
    checkGatherIndices(ind, limit);
    const K = ind.size;
    if (K === 0 || g.size === 0)
      return [ctx.run(makeProgram(sizeOf(out.shape), [], 'return 0.0;'), [], out.shape, out.dtype)];
    // Output element i: row t of slice o along the axis, element w of the inner slice; s sums into it.
    const head = [
      `const q = Math.floor(i / ${ilit(inner)});`,
      `const w = i - q * ${ilit(inner)};`,
      `const o = Math.floor(q / ${ilit(limit)});`,
      `const t = q - o * ${ilit(limit)};`,
      'let s = 0.0;',
    ];
    if (baked(ind, limit)) {
      const k = ind.data[0] as number;
      const pick = `if (t === ${ilit(k)}) { s = g[o * ${ilit(inner)} + w]; }`;
      const body = [...head, pick, 'return s;'].join('\n');
      return [ctx.run(makeProgram(sizeOf(out.shape), ['g'], body), [g], out.shape, out.dtype)];
    }
    const idx = ctx.upload(ind);
    try {
      const body = [
        ...head,
        `for (let j = 0; j < ${ilit(K)}; j++) {`,
        `  if (ind[j] === t) { s += g[(o * ${ilit(K)} + j) * ${ilit(inner)} + w]; }`,
        '}',
        'return s;',
      ].join('\n');
      return [ctx.run(makeProgram(sizeOf(out.shape), ['g', 'ind'], body), [g, idx], out.shape, out.dtype)];
    } finally {
      idx.release();
    }
  },
});

registerKernel('gpu', 'OneHot', {
  hostInputs: [1],
  run: ([indices, , on, off], ctx) => {
    const ind = asGpu(indices);
    const out = out0(ctx);
    const a = ctx.attrs.axis as number;
    const ax = a === -1 ? ind.shape.length : a;
    const depth = out.shape[ax] as number;
    const inner = sizeOf(ind.shape.slice(ax));
    if (ind.size === 0 || sizeOf(out.shape) === 0) {
      return [
        ctx.run(
          makeProgram(sizeOf(out.shape), ['off'], 'return off[0];'),
          [asGpu(off)],
          out.shape,
          out.dtype,
        ),
      ];
    }
    const body = [
      `const w = i - Math.floor(i / ${ilit(inner)}) * ${ilit(inner)};`,
      `const q = Math.floor(i / ${ilit(inner)});`,
      `const o = Math.floor(q / ${ilit(depth)});`,
      `const k = q - o * ${ilit(depth)};`,
      'let r = off[0];',
      `if (ind[o * ${ilit(inner)} + w] === k) { r = on[0]; }`,
      'return r;',
    ].join('\n');
    return [
      ctx.run(
        makeProgram(sizeOf(out.shape), ['ind', 'on', 'off'], body),
        [ind, asGpu(on), asGpu(off)],
        out.shape,
        out.dtype,
      ),
    ];
  },
});
