import type { DType } from '../../../graph/dtype';
import { sizeOf } from '../../../graph/shape';
import { conv2dGeometry, poolGeometry, WindowGeometry } from '../../../ops/nn_geometry';
import { coords, ilit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, GpuKernelContext } from '../registry';
import type { Program } from '../runtime';
import type { GpuTensor } from '../tensor';

/**
 * Convolutions and pooling on the GPU (NHWC input, HWIO filter; the TF1 SAME/VALID geometry is the op
 * layer's, src/ops/nn_geometry.ts, as on the CPU). Every output element loops over its window, skipping
 * padding cells; the backward kernels are gather-form (each input cell sums over the windows that
 * contain it), so no atomics.
 */
export type Out = { shape: number[]; dtype: DType };
const L = ilit;

/** Runs a window op's program into its output (an empty input or output gives zeros, no launch of p). */
export function run(ctx: GpuKernelContext, p: Program, args: GpuTensor[]): GpuTensor[] {
  const out = ctx.outputs[0] as Out;
  if (args.some((a) => a.size === 0) || sizeOf(out.shape) === 0) {
    return [ctx.run(makeProgram(sizeOf(out.shape), [], 'return 0.0;'), [], out.shape, out.dtype)];
  }
  return [ctx.run(p, args, out.shape, out.dtype)];
}

/** Flat index of x[b, h, w, c] in an NHWC tensor of height H, width W and C channels. */
export const nhwc = (H: number, W: number, C: number, b: string, h: string, w: string, c: string) =>
  `((${b} * ${L(H)} + ${h}) * ${L(W)} + ${w}) * ${L(C)} + ${c}`;

function convProgram(g: WindowGeometry): Program {
  const body = [
    coords([g.batch, g.outH, g.outW, g.outC]),
    'let s = 0.0;',
    `for (let kh = 0; kh < ${L(g.fH)}; kh++) {`,
    `  const h = c1 * ${L(g.strideH)} - ${L(g.padTop)} + kh;`,
    `  for (let kw = 0; kw < ${L(g.fW)}; kw++) {`,
    `    const w = c2 * ${L(g.strideW)} - ${L(g.padLeft)} + kw;`,
    `    if (h >= 0 && h < ${L(g.inH)} && w >= 0 && w < ${L(g.inW)}) {`,
    `      for (let ic = 0; ic < ${L(g.inC)}; ic++) {`,
    `        s += x[${nhwc(g.inH, g.inW, g.inC, 'c0', 'h', 'w', 'ic')}] * f[((kh * ${L(g.fW)} + kw) * ${L(g.inC)} + ic) * ${L(g.outC)} + c3];`,
    '      }',
    '    }',
    '  }',
    '}',
    'return s;',
  ];
  return makeProgram(g.batch * g.outH * g.outW * g.outC, ['x', 'f'], body.join('\n'));
}

/** dx[b, h, w, ic] = Σ over (kh, kw, oc) with h = oh·sH − padTop + kh (oh an output row): dy · f. */
function convInputProgram(g: WindowGeometry): Program {
  const body = [
    coords([g.batch, g.inH, g.inW, g.inC]),
    'let s = 0.0;',
    `for (let kh = 0; kh < ${L(g.fH)}; kh++) {`,
    `  const th = c1 + ${L(g.padTop)} - kh;`,
    `  const oh = Math.floor(th / ${L(g.strideH)});`,
    `  for (let kw = 0; kw < ${L(g.fW)}; kw++) {`,
    `    const tw = c2 + ${L(g.padLeft)} - kw;`,
    `    const ow = Math.floor(tw / ${L(g.strideW)});`,
    `    if (th >= 0 && tw >= 0 && oh * ${L(g.strideH)} === th && ow * ${L(g.strideW)} === tw && oh < ${L(g.outH)} && ow < ${L(g.outW)}) {`,
    `      for (let oc = 0; oc < ${L(g.outC)}; oc++) {`,
    `        s += dy[${nhwc(g.outH, g.outW, g.outC, 'c0', 'oh', 'ow', 'oc')}] * f[((kh * ${L(g.fW)} + kw) * ${L(g.inC)} + c3) * ${L(g.outC)} + oc];`,
    '      }',
    '    }',
    '  }',
    '}',
    'return s;',
  ];
  return makeProgram(g.batch * g.inH * g.inW * g.inC, ['dy', 'f'], body.join('\n'));
}

/** df[kh, kw, ic, oc] = Σ over (b, oh, ow) of x at the window cell · dy. */
function convFilterProgram(g: WindowGeometry): Program {
  const body = [
    coords([g.fH, g.fW, g.inC, g.outC]),
    'let s = 0.0;',
    `for (let b = 0; b < ${L(g.batch)}; b++) {`,
    `  for (let oh = 0; oh < ${L(g.outH)}; oh++) {`,
    `    const h = oh * ${L(g.strideH)} - ${L(g.padTop)} + c0;`,
    `    for (let ow = 0; ow < ${L(g.outW)}; ow++) {`,
    `      const w = ow * ${L(g.strideW)} - ${L(g.padLeft)} + c1;`,
    `      if (h >= 0 && h < ${L(g.inH)} && w >= 0 && w < ${L(g.inW)}) {`,
    `        s += x[${nhwc(g.inH, g.inW, g.inC, 'b', 'h', 'w', 'c2')}] * dy[${nhwc(g.outH, g.outW, g.outC, 'b', 'oh', 'ow', 'c3')}];`,
    '      }',
    '    }',
    '  }',
    '}',
    'return s;',
  ];
  return makeProgram(g.fH * g.fW * g.inC * g.outC, ['x', 'dy'], body.join('\n'));
}

registerKernel('gpu', 'Conv2D', {
  run: ([x, w], ctx) => {
    const [xv, wv] = [asGpu(x), asGpu(w)];
    const g = conv2dGeometry(xv.shape, wv.shape, ctx);
    return run(ctx, convProgram(g), [xv, wv]);
  },
});

registerKernel('gpu', 'Conv2DBackpropInput', {
  shapeInputs: [0],
  run: ([, w, dy], ctx) => {
    const [wv, dv] = [asGpu(w), asGpu(dy)];
    const out = ctx.outputs[0] as Out;
    const g = conv2dGeometry(out.shape, wv.shape, ctx);
    return run(ctx, convInputProgram(g), [dv, wv]);
  },
});

registerKernel('gpu', 'Conv2DBackpropFilter', {
  shapeInputs: [1],
  run: ([x, , dy], ctx) => {
    const [xv, dv] = [asGpu(x), asGpu(dy)];
    const out = ctx.outputs[0] as Out;
    const g = conv2dGeometry(xv.shape, out.shape, ctx);
    return run(ctx, convFilterProgram(g), [xv, dv]);
  },
});

/**
 * Statements scanning the window of output cell (b=`b`, oh, ow) at channel `c`: sets `arg` to the flat
 * index of its first maximal valid cell (strict `>`, row-major, as on the CPU) and `found`.
 */
function argmaxWindow(g: WindowGeometry, b: string, oh: string, ow: string, c: string, p: string): string {
  return [
    `let ${p}best = 0.0;`,
    `let ${p}arg = 0;`,
    `let ${p}found = 0;`,
    `for (let ${p}kh = 0; ${p}kh < ${L(g.fH)}; ${p}kh++) {`,
    `  const ${p}h = ${oh} * ${L(g.strideH)} - ${L(g.padTop)} + ${p}kh;`,
    `  for (let ${p}kw = 0; ${p}kw < ${L(g.fW)}; ${p}kw++) {`,
    `    const ${p}w = ${ow} * ${L(g.strideW)} - ${L(g.padLeft)} + ${p}kw;`,
    `    if (${p}h >= 0 && ${p}h < ${L(g.inH)} && ${p}w >= 0 && ${p}w < ${L(g.inW)}) {`,
    `      const ${p}at = ${nhwc(g.inH, g.inW, g.inC, b, `${p}h`, `${p}w`, c)};`,
    `      const ${p}v = x[${p}at];`,
    `      if (${p}found === 0 || ${p}v > ${p}best) { ${p}best = ${p}v; ${p}arg = ${p}at; ${p}found = 1; }`,
    '    }',
    '  }',
    '}',
  ].join('\n');
}

registerKernel('gpu', 'MaxPool', {
  run: ([x], ctx) => {
    const xv = asGpu(x);
    const g = poolGeometry(xv.shape, ctx);
    const body = [
      coords([g.batch, g.outH, g.outW, g.inC]),
      argmaxWindow(g, 'c0', 'c1', 'c2', 'c3', ''),
      'return best;',
    ];
    return run(ctx, makeProgram(g.batch * g.outH * g.outW * g.inC, ['x'], body.join('\n')), [xv]);
  },
});

/** dx[b, h, w, c] = Σ over the windows containing (h, w) whose first maximum is (h, w): dy. */
registerKernel('gpu', 'MaxPoolGrad', {
  shapeInputs: [1],
  run: ([x, , dy], ctx) => {
    const [xv, dv] = [asGpu(x), asGpu(dy)];
    const g = poolGeometry(xv.shape, ctx);
    const body = [
      coords([g.batch, g.inH, g.inW, g.inC]),
      'let s = 0.0;',
      `for (let kh = 0; kh < ${L(g.fH)}; kh++) {`,
      `  const th = c1 + ${L(g.padTop)} - kh;`,
      `  const oh = Math.floor(th / ${L(g.strideH)});`,
      `  for (let kw = 0; kw < ${L(g.fW)}; kw++) {`,
      `    const tw = c2 + ${L(g.padLeft)} - kw;`,
      `    const ow = Math.floor(tw / ${L(g.strideW)});`,
      `    if (th >= 0 && tw >= 0 && oh * ${L(g.strideH)} === th && ow * ${L(g.strideW)} === tw && oh < ${L(g.outH)} && ow < ${L(g.outW)}) {`,
      argmaxWindow(g, 'c0', 'oh', 'ow', 'c3', 'm'),
      `      if (marg === i) { s += dy[${nhwc(g.outH, g.outW, g.inC, 'c0', 'oh', 'ow', 'c3')}]; }`,
      '    }',
      '  }',
      '}',
      'return s;',
    ];
    return run(ctx, makeProgram(xv.size, ['x', 'dy'], body.join('\n')), [xv, dv]);
  },
});

/** out[b, oh, ow, c] = ddx at the window's first maximal cell of x (0 for a window with no valid cell). */
registerKernel('gpu', 'MaxPoolGradGrad', {
  shapeInputs: [1],
  run: ([x, , ddx], ctx) => {
    const [xv, dv] = [asGpu(x), asGpu(ddx)];
    const g = poolGeometry(xv.shape, ctx);
    const body = [
      coords([g.batch, g.outH, g.outW, g.inC]),
      argmaxWindow(g, 'c0', 'c1', 'c2', 'c3', ''),
      'let r = 0.0;',
      'if (found === 1) { r = ddx[arg]; }',
      'return r;',
    ];
    return run(ctx, makeProgram(g.batch * g.outH * g.outW * g.inC, ['x', 'ddx'], body.join('\n')), [xv, dv]);
  },
});

registerKernel('gpu', 'AvgPool', {
  run: ([x], ctx) => {
    const xv = asGpu(x);
    const g = poolGeometry(xv.shape, ctx);
    const body = [
      coords([g.batch, g.outH, g.outW, g.inC]),
      `const hs = c1 * ${L(g.strideH)} - ${L(g.padTop)};`,
      `const ws = c2 * ${L(g.strideW)} - ${L(g.padLeft)};`,
      'let s = 0.0;',
      `for (let kh = 0; kh < ${L(g.fH)}; kh++) {`,
      `  for (let kw = 0; kw < ${L(g.fW)}; kw++) {`,
      '    const h = hs + kh;',
      '    const w = ws + kw;',
      `    if (h >= 0 && h < ${L(g.inH)} && w >= 0 && w < ${L(g.inW)}) { s += x[${nhwc(g.inH, g.inW, g.inC, 'c0', 'h', 'w', 'c3')}]; }`,
      '  }',
      '}',
      windowCount(g, 'hs', 'ws', ''),
      'let r = 0.0;',
      'if (cnt > 0.0) { r = s / cnt; }',
      'return r;',
    ];
    return run(ctx, makeProgram(g.batch * g.outH * g.outW * g.inC, ['x'], body.join('\n')), [xv]);
  },
});

/** Statements counting, into `${p}cnt`, the valid cells of the window starting at (hs, ws). */
function windowCount(g: WindowGeometry, hs: string, ws: string, p: string): string {
  return [
    `let ${p}cnt = 0.0;`,
    `for (let ${p}kh = 0; ${p}kh < ${L(g.fH)}; ${p}kh++) {`,
    `  for (let ${p}kw = 0; ${p}kw < ${L(g.fW)}; ${p}kw++) {`,
    `    const ${p}h = ${hs} + ${p}kh;`,
    `    const ${p}w = ${ws} + ${p}kw;`,
    `    if (${p}h >= 0 && ${p}h < ${L(g.inH)} && ${p}w >= 0 && ${p}w < ${L(g.inW)}) { ${p}cnt += 1.0; }`,
    '  }',
    '}',
  ].join('\n');
}

/** dx[b, h, w, c] = Σ over the windows containing (h, w): dy / (that window's valid cell count). */
registerKernel('gpu', 'AvgPoolGrad', {
  shapeInputs: [0],
  run: ([, dy], ctx) => {
    const dv = asGpu(dy);
    const out = ctx.outputs[0] as Out;
    const g = poolGeometry(out.shape, ctx);
    const body = [
      coords([g.batch, g.inH, g.inW, g.inC]),
      'let s = 0.0;',
      `for (let kh = 0; kh < ${L(g.fH)}; kh++) {`,
      `  const th = c1 + ${L(g.padTop)} - kh;`,
      `  const oh = Math.floor(th / ${L(g.strideH)});`,
      `  for (let kw = 0; kw < ${L(g.fW)}; kw++) {`,
      `    const tw = c2 + ${L(g.padLeft)} - kw;`,
      `    const ow = Math.floor(tw / ${L(g.strideW)});`,
      `    if (th >= 0 && tw >= 0 && oh * ${L(g.strideH)} === th && ow * ${L(g.strideW)} === tw && oh < ${L(g.outH)} && ow < ${L(g.outW)}) {`,
      `      const hs = oh * ${L(g.strideH)} - ${L(g.padTop)};`,
      `      const ws = ow * ${L(g.strideW)} - ${L(g.padLeft)};`,
      windowCount(g, 'hs', 'ws', 'n'),
      `      s += dy[${nhwc(g.outH, g.outW, g.inC, 'c0', 'oh', 'ow', 'c3')}] / ncnt;`,
      '    }',
      '  }',
      '}',
      'return s;',
    ];
    return run(ctx, makeProgram(sizeOf(out.shape), ['dy'], body.join('\n')), [dv]);
  },
});
