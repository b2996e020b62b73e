import { InvalidArgumentError } from '../../../errors';
import type { DType } from '../../../graph/dtype';
import { sizeOf } from '../../../graph/shape';
import { ilit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, asHost, GpuKernelContext } from '../registry';
import type { GpuTensor } from '../tensor';

/**
 * Softmax, LogSoftmax and the softmax cross-entropies on the GPU. Softmax-like ops run in two passes:
 * a per-row kernel computes log Σ exp(x − max) (max subtracted first, so ±1000 logits stay finite),
 * then elementwise kernels use it.
 */
type Out = { shape: number[]; dtype: DType };

/** Rows along `axis`: [outer, n, inner]; row r = (o, w) has elements (o·n + k)·inner + w. */
function rowsOf(shape: number[], axisAttr: unknown): { outer: number; n: number; inner: number } {
  const rank = shape.length;
  const a = (axisAttr as number | undefined) ?? -1;
  const axis = a < 0 ? a + rank : a;
  return {
    outer: sizeOf(shape.slice(0, axis)),
    n: shape[axis] as number,
    inner: sizeOf(shape.slice(axis + 1)),
  };
}

/** Statements: `base`, the first element of row `row` (an expression), and `step` between elements. */
function rowBase(inner: number, n: number, row: string): string {
  return `const ro = Math.floor(${row} / ${ilit(inner)});\nconst rw = ${row} - ro * ${ilit(inner)};\nconst base = ro * ${ilit(n * inner)} + rw;`;
}

/**
 * Per row: the maximum `m` (0 when it is −∞, as the CPU kernel does) and `s` = Σ exp(x − m). Results
 * are formed from x − m only, never from m + log s (which loses log s when |m| is large).
 */
function rowStats(
  ctx: GpuKernelContext,
  x: GpuTensor,
  rows: { outer: number; n: number; inner: number },
): { m: GpuTensor; s: GpuTensor } {
  const { outer, n, inner } = rows;
  const maxBody = [
    rowBase(inner, n, 'i'),
    'let m = x[base];',
    `for (let k = 1; k < ${ilit(n)}; k++) { const u = x[base + k * ${ilit(inner)}]; if (u > m || u !== u) { m = u; } }`,
    'if (m < -3.0e38 && m * 0.5 === m) { m = 0.0; }',
    'return m;',
  ].join('\n');
  const m = ctx.run(makeProgram(outer * inner, ['x'], maxBody), [x], [outer * inner], 'float32');
  const sumBody = [
    rowBase(inner, n, 'i'),
    'const mm = m[i];',
    'let s = 0.0;',
    `for (let k = 0; k < ${ilit(n)}; k++) { s += Math.exp(x[base + k * ${ilit(inner)}] - mm); }`,
    'return s;',
  ].join('\n');
  try {
    const sum = ctx.run(makeProgram(outer * inner, ['x', 'm'], sumBody), [x, m], [outer * inner], 'float32');
    return { m, s: sum };
  } catch (e) {
    m.release();
    throw e;
  }
}

/** Statements giving `row`, the row of element i. */
function rowOfElement(n: number, inner: number): string {
  return `const eo = Math.floor(i / ${ilit(n * inner)});\nconst ew = i - Math.floor(i / ${ilit(inner)}) * ${ilit(inner)};\nconst row = eo * ${ilit(inner)} + ew;`;
}

function softmaxLike(log: boolean) {
  return ([logits]: unknown[], ctx: GpuKernelContext) => {
    const x = asGpu(logits as GpuTensor);
    const out = ctx.outputs[0] as Out;
    if (x.size === 0) return [ctx.run(makeProgram(0, [], 'return 0.0;'), [], out.shape, out.dtype)];
    const rows = rowsOf(out.shape, ctx.attrs.axis);
    const { m, s } = rowStats(ctx, x, rows);
    try {
      const value = log ? '(x[i] - m[row]) - Math.log(s[row])' : 'Math.exp(x[i] - m[row]) / s[row]';
      const p = makeProgram(x.size, ['x', 'm', 's'], `${rowOfElement(rows.n, rows.inner)}\nreturn ${value};`);
      return [ctx.run(p, [x, m, s], out.shape, out.dtype)];
    } finally {
      m.release();
      s.release();
    }
  };
}
registerKernel('gpu', 'Softmax', { run: softmaxLike(false) });
registerKernel('gpu', 'LogSoftmax', { run: softmaxLike(true) });

// loss = Σ labels·(lse − x); backprop = Σlabels · softmax(x) − labels (exact even when labels do not sum to 1).
registerKernel('gpu', 'SoftmaxCrossEntropyWithLogits', {
  run: ([logits, labels], ctx) => {
    const x = asGpu(logits);
    const z = asGpu(labels);
    const [lossOut, backOut] = ctx.outputs as Out[] as [Out, Out];
    const rows = rowsOf(backOut.shape, ctx.attrs.axis);
    const { n, inner } = rows;
    const nRows = rows.outer * inner;
    if (x.size === 0) {
      const zero = makeProgram(nRows, [], 'return 0.0;');
      return [
        ctx.run(zero, [], lossOut.shape, 'float32'),
        ctx.run(makeProgram(0, [], 'return 0.0;'), [], backOut.shape, 'float32'),
      ];
    }
    const { m, s } = rowStats(ctx, x, rows);
    const loop = (stmt: string) =>
      `for (let k = 0; k < ${ilit(n)}; k++) { const at = base + k * ${ilit(inner)}; ${stmt} }`;
    try {
      const lossBody = [
        rowBase(inner, n, 'i'),
        'let l = 0.0;',
        'const ls = Math.log(s[i]);',
        loop('const zi = z[at]; if (zi !== 0.0) { l += zi * (ls - (x[at] - m[i])); }'),
        'return l;',
      ];
      const totalBody = [rowBase(inner, n, 'i'), 'let t = 0.0;', loop('t += z[at];'), 'return t;'];
      const loss = ctx.run(
        makeProgram(nRows, ['x', 'z', 'm', 's'], lossBody.join('\n')),
        [x, z, m, s],
        lossOut.shape,
        'float32',
      );
      const total = ctx.run(makeProgram(nRows, ['z'], totalBody.join('\n')), [z], [nRows], 'float32');
      try {
        const backBody = `${rowOfElement(n, inner)}\nreturn (total[row] * Math.exp(x[i] - m[row])) / s[row] - z[i];`;
        const back = ctx.run(
          makeProgram(x.size, ['x', 'z', 'm', 's', 'total'], backBody),
          [x, z, m, s, total],
          backOut.shape,
          'float32',
        );
        return [loss, back];
      } finally {
        total.release();
      }
    } finally {
      m.release();
      s.release();
    }
  },
});

// loss = lse − x[label]; backprop = softmax(x) − onehot(label). Labels are checked on the host first.
registerKernel('gpu', 'SparseSoftmaxCrossEntropyWithLogits', {
  hostInputs: [1],
  run: ([logits, labels], ctx) => {
    const x = asGpu(logits);
    const y = asHost(labels);
    const [lossOut, backOut] = ctx.outputs as Out[] as [Out, Out];
    const rows = rowsOf(backOut.shape, -1);
    const { n } = rows;
    for (let r = 0; r < y.size; r++) {
      const label = y.data[r] as number;
      if (label < 0 || label >= n) {
        const shown = Array.from(y.data.subarray(0, 32)).join(' ') + (y.size > 32 ? ' ...' : '');
        throw new InvalidArgumentError(
          `Received a label value of ${label} which is outside the valid range of [0, ${n}).  Label values: ${shown}`,
        );
      }
    }
    if (x.size === 0) {
      return [
        ctx.run(makeProgram(0, [], 'return 0.0;'), [], lossOut.shape, 'float32'),
        ctx.run(makeProgram(0, [], 'return 0.0;'), [], backOut.shape, 'float32'),
      ];
    }
    const { m, s } = rowStats(ctx, x, rows);
    const lab = ctx.upload(y);
    try {
      const loss = ctx.run(
        makeProgram(
          y.size,
          ['x', 'lab', 'm', 's'],
          `return Math.log(s[i]) - (x[i * ${ilit(n)} + lab[i]] - m[i]);`,
        ),
        [x, lab, m, s],
        lossOut.shape,
        'float32',
      );
      const backBody = [
        `const row = Math.floor(i / ${ilit(n)});`,
        `const k = i - row * ${ilit(n)};`,
        'let hot = 0.0;',
        'if (lab[row] === k) { hot = 1.0; }',
        'return Math.exp(x[i] - m[row]) / s[row] - hot;',
      ].join('\n');
      const back = ctx.run(
        makeProgram(x.size, ['x', 'lab', 'm', 's'], backBody),
        [x, lab, m, s],
        backOut.shape,
        'float32',
      );
      return [loss, back];
    } finally {
      m.release();
      s.release();
      lab.release();
    }
  },
});
