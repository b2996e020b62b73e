import type { DType } from '../../../graph/dtype';
import { sizeOf } from '../../../graph/shape';
import { broadcastIndex, coords, ilit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu } from '../registry';

/**
 * MatMul on the GPU: one thread per output element [batch…, i, j] runs the dot product over k, reading
 * A and B with their transposes and (numpy-broadcast) batch offsets folded into the index arithmetic —
 * no transposed copies are made.
 */
registerKernel('gpu', 'MatMul', {
  run: ([a, b], ctx) => {
    const x = asGpu(a);
    const y = asGpu(b);
    const ta = ctx.attrs.transpose_a === true;
    const tb = ctx.attrs.transpose_b === true;
    const out = ctx.outputs[0] as { shape: number[]; dtype: DType };
    const rank = out.shape.length;
    const m = out.shape[rank - 2] as number;
    const n = out.shape[rank - 1] as number;
    const k = (ta ? x.shape[x.shape.length - 2] : x.shape[x.shape.length - 1]) as number;
    const batch = out.shape.slice(0, -2);
    const aBatch = x.shape.slice(0, -2);
    const bBatch = y.shape.slice(0, -2);
    if (sizeOf(out.shape) === 0)
      return [ctx.run(makeProgram(0, [], 'return 0.0;'), [], out.shape, out.dtype)];
    if (k === 0)
      return [ctx.run(makeProgram(sizeOf(out.shape), [], 'return 0.0;'), [], out.shape, out.dtype)];
    // Running indices (one add per step) beat recomputed products on gpu.js's CPU-side modes.
    const aStart = ta ? 'r' : `r * ${ilit(k)}`;
    const bStart = tb ? `j * ${ilit(k)}` : 'j';
    const body = [
      `const q = Math.floor(i / ${ilit(n)});`,
      `const j = i - q * ${ilit(n)};`,
      `const t = Math.floor(q / ${ilit(m)});`,
      `const r = q - t * ${ilit(m)};`,
      coords(batch, 't', 'b'),
      `let ai = (${broadcastIndex(aBatch, batch, 'b', 't')}) * ${ilit(m * k)} + ${aStart};`,
      `let bi = (${broadcastIndex(bBatch, batch, 'b', 't')}) * ${ilit(k * n)} + ${bStart};`,
      'let s = 0.0;',
      `for (let p = 0; p < ${ilit(k)}; p++) {`,
      '  s += a[ai] * b[bi];',
      `  ai += ${ilit(ta ? m : 1)};`,
      `  bi += ${ilit(tb ? 1 : n)};`,
      '}',
      'return s;',
    ].join('\n');
    return [ctx.run(makeProgram(sizeOf(out.shape), ['a', 'b'], body), [x, y], out.shape, out.dtype)];
  },
});
