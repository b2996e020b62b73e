import { DepthwiseGeometry, depthwiseConv2dGeometry as geometry } from '../../../ops/nn_geometry';
import { coords, ilit, makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu } from '../registry';
import type { Program } from '../runtime';
import { nhwc, Out, run } from './window';

/**
 * Depthwise convolution on the GPU (NHWC input, [fH, fW, inC, mult] filter, output channel
 * c·mult + q; the TF SAME/VALID geometry with dilations is the op layer's, src/ops/nn_geometry.ts).
 * Every output element loops over its window; the backward kernels are gather-form (no atomics), like
 * conv2d's in window.ts.
 */
const L = ilit;

/** out[b, oh, ow, oc] = Σ_{kh,kw} x[b, oh·sH − padTop + kh·dH, ow·sW − padLeft + kw·dW, oc / mult] · f[kh, kw, oc]. */
function forwardProgram(g: DepthwiseGeometry): Program {
  const body = [
    coords([g.batch, g.outH, g.outW, g.outC]),
    `const ic = Math.floor(c3 / ${L(g.mult)});`,
    'let s = 0.0;',
    `for (let kh = 0; kh < ${L(g.fH)}; kh++) {`,
    `  const h = c1 * ${L(g.strideH)} - ${L(g.padTop)} + kh * ${L(g.dilH)};`,
    `  for (let kw = 0; kw < ${L(g.fW)}; kw++) {`,
    `    const w = c2 * ${L(g.strideW)} - ${L(g.padLeft)} + kw * ${L(g.dilW)};`,
    `    if (h >= 0 && h < ${L(g.inH)} && w >= 0 && w < ${L(g.inW)}) {`,
    `      s += x[${nhwc(g.inH, g.inW, g.inC, 'c0', 'h', 'w', 'ic')}] * f[(kh * ${L(g.fW)} + kw) * ${L(g.outC)} + c3];`,
    '    }',
    '  }',
    '}',
    'return s;',
  ];
  return makeProgram(g.batch * g.outH * g.outW * g.outC, ['x', 'f'], body.join('\n'));
}

/** dx[b, h, w, c] = Σ over taps whose window cell is (h, w), and q, of dy[b, oh, ow, c·mult + q] · f[kh, kw, c, q]. */
function inputProgram(g: DepthwiseGeometry): Program {
  const body = [
    coords([g.batch, g.inH, g.inW, g.inC]),
    'let s = 0.0;',
    `for (let kh = 0; kh < ${L(g.fH)}; kh++) {`,
    `  const th = c1 + ${L(g.padTop)} - kh * ${L(g.dilH)};`,
    `  const oh = Math.floor(th / ${L(g.strideH)});`,
    `  for (let kw = 0; kw < ${L(g.fW)}; kw++) {`,
    `    const tw = c2 + ${L(g.padLeft)} - kw * ${L(g.dilW)};`,
    `    const ow = Math.floor(tw / ${L(g.strideW)});`,
    `    if (th >= 0 && tw >= 0 && oh * ${L(g.strideH)} === th && ow * ${L(g.strideW)} === tw && oh < ${L(g.outH)} && ow < ${L(g.outW)}) {`,
    `      for (let q = 0; q < ${L(g.mult)}; q++) {`,
    `        const oc = c3 * ${L(g.mult)} + q;`,
    `        s += dy[${nhwc(g.outH, g.outW, g.outC, 'c0', 'oh', 'ow', 'oc')}] * f[(kh * ${L(g.fW)} + kw) * ${L(g.outC)} + oc];`,
    '      }',
    '    }',
    '  }',
    '}',
    'return s;',
  ];
  return makeProgram(g.batch * g.inH * g.inW * g.inC, ['dy', 'f'], body.join('\n'));
}

/** df[kh, kw, c, q] = Σ_{b, oh, ow} x at the tap's cell (channel c) · dy[b, oh, ow, c·mult + q]. */
function filterProgram(g: DepthwiseGeometry): Program {
  const body = [
    coords([g.fH, g.fW, g.inC, g.mult]),
    `const oc = c2 * ${L(g.mult)} + c3;`,
    'let s = 0.0;',
    `for (let b = 0; b < ${L(g.batch)}; b++) {`,
    `  for (let oh = 0; oh < ${L(g.outH)}; oh++) {`,
    `    const h = oh * ${L(g.strideH)} - ${L(g.padTop)} + c0 * ${L(g.dilH)};`,
    `    for (let ow = 0; ow < ${L(g.outW)}; ow++) {`,
    `      const w = ow * ${L(g.strideW)} - ${L(g.padLeft)} + c1 * ${L(g.dilW)};`,
    `      if (h >= 0 && h < ${L(g.inH)} && w >= 0 && w < ${L(g.inW)}) {`,
    `        s += x[${nhwc(g.inH, g.inW, g.inC, 'b', 'h', 'w', 'c2')}] * dy[${nhwc(g.outH, g.outW, g.outC, 'b', 'oh', 'ow', 'oc')}];`,
    '      }',
    '    }',
    '  }',
    '}',
    'return s;',
  ];
  return makeProgram(g.fH * g.fW * g.inC * g.mult, ['x', 'dy'], body.join('\n'));
}

registerKernel('gpu', 'DepthwiseConv2dNative', {
  run: ([x, w], ctx) => {
    const [xv, wv] = [asGpu(x), asGpu(w)];
    return run(ctx, forwardProgram(geometry(xv.shape, wv.shape, ctx)), [xv, wv]);
  },
});

registerKernel('gpu', 'DepthwiseConv2dNativeBackpropInput', {
  shapeInputs: [0],
  run: ([, w, dy], ctx) => {
    const [wv, dv] = [asGpu(w), asGpu(dy)];
    const out = ctx.outputs[0] as Out;
    return run(ctx, inputProgram(geometry(out.shape, wv.shape, ctx)), [dv, wv]);
  },
});

registerKernel('gpu', 'DepthwiseConv2dNativeBackpropFilter', {
  shapeInputs: [1],
  run: ([x, , dy], ctx) => {
    const [xv, dv] = [asGpu(x), asGpu(dy)];
    const out = ctx.outputs[0] as Out;
    return run(ctx, filterProgram(geometry(xv.shape, out.shape, ctx)), [xv, dv]);
  },
});
