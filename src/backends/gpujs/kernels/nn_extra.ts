import { InvalidArgumentError } from '../../../errors';
import { ilit, lit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, asHost, INT32_HOST } from '../registry';
import { out0, Out } from './util';

/**
 * TopKV2 and InTopKV2 on the GPU (k and the targets are small host inputs); the candidate samplers run
 * on the host, where their seeded streams live.
 *
 * TopKV2 per row of n values, ordered by (value descending, index ascending):
 * - small k (k² ≤ 2n): output j repeats "largest after the previous pick" j + 1 times (k²·n/2 per row);
 * - otherwise: a rank pass (each element counts the elements before it, n² per row), then each output j
 *   finds the element of rank j (k·n per row).
 */
registerKernel('gpu', 'TopKV2', {
  hostInputs: [1],
  hostWhen: (op) => (op.inputs[0]?.dtype === 'int32' ? INT32_HOST : undefined),
  run: ([input, kIn], ctx) => {
    const x = asGpu(input);
    const k = asHost(kIn).data[0] as number;
    const [vOut, iOut] = ctx.outputs as Out[] as [Out, Out];
    const n = x.shape.length ? (x.shape[x.shape.length - 1] as number) : 0;
    if (k > n) throw new InvalidArgumentError(`input must have at least k columns. Had ${n}, needed ${k}`);
    const rows = n === 0 ? 0 : x.size / n;
    const size = rows * k;
    if (size === 0) {
      const empty = makeProgram(0, [], 'return 0.0;');
      return [ctx.run(empty, [], vOut.shape, vOut.dtype), ctx.run(empty, [], iOut.shape, 'int32')];
    }
    const head = [
      `const r = Math.floor(i / ${ilit(k)});`,
      `const j = i - r * ${ilit(k)};`,
      `const base = r * ${ilit(n)};`,
    ];
    if (k * k <= 2 * n) {
      const body = (ret: string) =>
        [
          ...head,
          'let pv = 0.0;',
          'let pi = -1.0;',
          'let bv = 0.0;',
          'let bi = -1.0;',
          'let step = 0.0;',
          `for (let t = 0; t < ${ilit(k)}; t++) {`,
          '  if (step <= j) {',
          '    bv = 0.0;',
          '    bi = -1.0;',
          '    let at = 0.0;',
          `    for (let c = 0; c < ${ilit(n)}; c++) {`,
          '      const v = x[base + at];',
          '      if (pi < 0.0 || v < pv || (v === pv && at > pi)) {',
          '        if (bi < 0.0 || v > bv) { bv = v; bi = at; }',
          '      }',
          '      at += 1.0;',
          '    }',
          '    pv = bv;',
          '    pi = bi;',
          '  }',
          '  step += 1.0;',
          '}',
          `return ${ret};`,
        ].join('\n');
      return [
        ctx.run(makeProgram(size, ['x'], body('bv')), [x], vOut.shape, vOut.dtype),
        ctx.run(makeProgram(size, ['x'], body('bi')), [x], iOut.shape, 'int32'),
      ];
    }
    const rankBody = [
      `const rb = Math.floor(i / ${ilit(n)}) * ${ilit(n)};`,
      'const me = i - rb;',
      'const v = x[i];',
      'let rank = 0.0;',
      'let at = 0.0;',
      `for (let c = 0; c < ${ilit(n)}; c++) {`,
      '  const u = x[rb + at];',
      '  if (u > v || (u === v && at < me)) { rank += 1.0; }',
      '  at += 1.0;',
      '}',
      'return rank;',
    ].join('\n');
    const rank = ctx.run(makeProgram(x.size, ['x'], rankBody), [x], [x.size], 'float32');
    try {
      const pick = (ret: string) =>
        [
          ...head,
          'let bv = 0.0;',
          'let bi = 0.0;',
          'let at = 0.0;',
          `for (let c = 0; c < ${ilit(n)}; c++) {`,
          '  if (rank[base + at] === j) { bv = x[base + at]; bi = at; }',
          '  at += 1.0;',
          '}',
          `return ${ret};`,
        ].join('\n');
      return [
        ctx.run(makeProgram(size, ['x', 'rank'], pick('bv')), [x, rank], vOut.shape, vOut.dtype),
        ctx.run(makeProgram(size, ['x', 'rank'], pick('bi')), [x, rank], iOut.shape, 'int32'),
      ];
    } finally {
      rank.release();
    }
  },
});

// Row b: false for an out-of-range target or any non-finite prediction, else (# strictly greater) < k.
registerKernel('gpu', 'InTopKV2', {
  hostInputs: [1, 2],
  run: ([pred, targ, kIn], ctx) => {
    const p = asGpu(pred);
    const t = asHost(targ);
    const k = asHost(kIn).data[0] as number;
    const [batch, classes] = p.shape as [number, number];
    const out = out0(ctx);
    if (t.size !== batch)
      throw new InvalidArgumentError(
        `First dimension of predictions ${batch} must match length of targets ${t.size}`,
      );
    if (batch === 0) return [ctx.run(makeProgram(0, [], 'return 0.0;'), [], out.shape, out.dtype)];
    const tg = ctx.upload(t);
    try {
      const body = [
        'const tgt = tg[i];',
        `if (tgt < 0.0 || tgt >= ${lit(classes)}) { return 0.0; }`,
        `const base = i * ${ilit(classes)};`,
        'const tp = p[base + tgt];',
        'let more = 0.0;',
        'let bad = 0.0;',
        'let at = 0.0;',
        `for (let c = 0; c < ${ilit(classes)}; c++) {`,
        '  const v = p[base + at];',
        '  if (v !== v || Math.abs(v) > 3.4028234e38) { bad = 1.0; }',
        '  if (v > tp) { more += 1.0; }',
        '  at += 1.0;',
        '}',
        `if (bad < 0.5 && more < ${lit(k)}) { return 1.0; }`,
        'return 0.0;',
      ].join('\n');
      return [ctx.run(makeProgram(batch, ['p', 'tg'], body), [p, tg], out.shape, out.dtype)];
    } finally {
      tg.release();
    }
  },
});

const RANDOM = "seeded host random stream: the candidates match the CPU backend's exactly";
for (const type of ['LogUniformCandidateSampler', 'UniformCandidateSampler'])
  registerKernel('gpu', type, { host: RANDOM });
