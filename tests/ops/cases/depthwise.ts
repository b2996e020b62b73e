import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';
import * as R from './nn_reference';

/**
 * Depthwise convolution (DepthwiseConv2dNative and its two backward ops, tf.nn.depthwiseConv2d,
 * tf.nn.separableConv2d): channel multipliers 1, 2 and 3, SAME/VALID, strides 1 and 2, dilations 2,
 * odd and non-square sizes, batch 2, against plain float64 loops written here from TF's formula
 * `out[b, i, j, k·M + q] = Σ f[di, dj, k, q] · x[b, s·i + d·di − padTop, s·j + d·dj − padLeft, k]`.
 */
type Pad = 'SAME' | 'VALID';

/** TF's window rule with the dilated filter extent: output size and leading padding. */
function win(n: number, k: number, s: number, d: number, pad: Pad): { out: number; before: number } {
  const eff = (k - 1) * d + 1;
  if (pad === 'VALID') return { out: Math.ceil((n - eff + 1) / s), before: 0 };
  const out = Math.ceil(n / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + eff - n, 0) / 2) };
}

interface Geo {
  B: number;
  H: number;
  W: number;
  C: number;
  KH: number;
  KW: number;
  M: number;
  OH: number;
  OW: number;
  pt: number;
  pl: number;
}
function geo(xs: number[], fs: number[], s: number, d: [number, number], pad: Pad): Geo {
  const [B, H, W, C] = xs as [number, number, number, number];
  const [KH, KW, , M] = fs as [number, number, number, number];
  const h = win(H, KH, s, d[0], pad);
  const w = win(W, KW, s, d[1], pad);
  return { B, H, W, C, KH, KW, M, OH: h.out, OW: w.out, pt: h.before, pl: w.before };
}

/** Calls `visit(xIndex, fIndex, yIndex)` for every (input cell, tap, output cell) product of the conv. */
function forEachProduct(
  g: Geo,
  s: number,
  d: [number, number],
  visit: (xi: number, fi: number, yi: number) => void,
): void {
  for (let b = 0; b < g.B; b++)
    for (let i = 0; i < g.OH; i++)
      for (let j = 0; j < g.OW; j++)
        for (let k = 0; k < g.C; k++)
          for (let q = 0; q < g.M; q++)
            for (let di = 0; di < g.KH; di++)
              for (let dj = 0; dj < g.KW; dj++) {
                const h = s * i + d[0] * di - g.pt;
                const w = s * j + d[1] * dj - g.pl;
                if (h < 0 || h >= g.H || w < 0 || w >= g.W) continue;
                visit(
                  ((b * g.H + h) * g.W + w) * g.C + k,
                  ((di * g.KW + dj) * g.C + k) * g.M + q,
                  ((b * g.OH + i) * g.OW + j) * (g.C * g.M) + k * g.M + q,
                );
              }
}

export function refDepthwise(x: NDArray, f: NDArray, s: number, d: [number, number], pad: Pad): NDArray {
  const g = geo(x.shape, f.shape, s, d, pad);
  const y = new Float64Array(g.B * g.OH * g.OW * g.C * g.M);
  forEachProduct(g, s, d, (xi, fi, yi) => {
    y[yi] = (y[yi] as number) + (x.data[xi] as number) * (f.data[fi] as number);
  });
  return new NDArray(y, [g.B, g.OH, g.OW, g.C * g.M], 'float32');
}

export function refDepthwiseBackInput(
  xShape: number[],
  f: NDArray,
  dy: NDArray,
  s: number,
  d: [number, number],
  pad: Pad,
): NDArray {
  const g = geo(xShape, f.shape, s, d, pad);
  const dx = new Float64Array(xShape.reduce((a, b) => a * b, 1));
  forEachProduct(g, s, d, (xi, fi, yi) => {
    dx[xi] = (dx[xi] as number) + (dy.data[yi] as number) * (f.data[fi] as number);
  });
  return new NDArray(dx, xShape, 'float32');
}

export function refDepthwiseBackFilter(
  x: NDArray,
  fShape: number[],
  dy: NDArray,
  s: number,
  d: [number, number],
  pad: Pad,
): NDArray {
  const g = geo(x.shape, fShape, s, d, pad);
  const df = new Float64Array(fShape.reduce((a, b) => a * b, 1));
  forEachProduct(g, s, d, (xi, fi, yi) => {
    df[fi] = (df[fi] as number) + (x.data[xi] as number) * (dy.data[yi] as number);
  });
  return new NDArray(df, fShape, 'float32');
}

const x7 = randomArray([2, 7, 5, 3], 301);
const x9 = randomArray([1, 9, 8, 4], 302);

/** [input, filter shape, stride, dilation, padding, output shape] */
const configs: [NDArray, number[], number, number, Pad, number[]][] = [
  [x7, [3, 3, 3, 1], 1, 1, 'SAME', [2, 7, 5, 3]],
  [x7, [3, 2, 3, 2], 1, 1, 'VALID', [2, 5, 4, 6]],
  [x7, [3, 3, 3, 2], 2, 1, 'SAME', [2, 4, 3, 6]],
  [x7, [3, 3, 3, 1], 2, 1, 'VALID', [2, 3, 2, 3]],
  [x7, [2, 2, 3, 3], 1, 1, 'SAME', [2, 7, 5, 9]],
  [x7, [3, 3, 3, 2], 1, 2, 'SAME', [2, 7, 5, 6]],
  [x7, [2, 2, 3, 1], 1, 2, 'VALID', [2, 5, 3, 3]],
  [x9, [5, 5, 4, 1], 2, 1, 'SAME', [1, 5, 4, 4]],
  [x9, [3, 3, 4, 2], 2, 2, 'VALID', [1, 3, 2, 8]],
];

const nativeCases: OpCase[] = configs.flatMap(([x, fShape, s, dil, pad, yShape], n): OpCase[] => {
  const w = randomArray(fShape, 310 + n);
  const dy = randomArray(yShape, 330 + n);
  const strides = [1, s, s, 1];
  const dilations = [1, dil, dil, 1];
  const d: [number, number] = [dil, dil];
  const label = `[${x.shape.join(',')}] * ${fShape.join('x')} stride ${s} dilation ${dil} ${pad}`;
  return [
    {
      name: `DepthwiseConv2dNative ${label}`,
      ops: ['DepthwiseConv2dNative'],
      inputs: [x, w],
      build: (a, f) => tf.nn.depthwiseConv2dNative(a, f, strides, pad, 'NHWC', dilations),
      reference: (a, f) => refDepthwise(a, f, s, d, pad),
      shape: yShape,
    },
    {
      name: `DepthwiseConv2dNativeBackpropInput ${label}`,
      ops: ['DepthwiseConv2dNativeBackpropInput'],
      inputs: [w, dy],
      build: (f, g) => tf.nn.depthwiseConv2dNativeBackpropInput(x.shape, f, g, strides, pad, { dilations }),
      reference: (f, g) => refDepthwiseBackInput(x.shape, f, g, s, d, pad),
      shape: x.shape,
    },
    {
      name: `DepthwiseConv2dNativeBackpropFilter ${label}`,
      ops: ['DepthwiseConv2dNativeBackpropFilter'],
      inputs: [x, dy],
      build: (a, g) => tf.nn.depthwiseConv2dNativeBackpropFilter(a, fShape, g, strides, pad, { dilations }),
      reference: (a, g) => refDepthwiseBackFilter(a, fShape, g, s, d, pad),
      shape: fShape,
    },
  ];
});

const w3332 = randomArray([3, 3, 3, 2], 351);
const pw = randomArray([1, 1, 6, 4], 352);

/** The 1×1 pointwise step of separableConv2d, written out: y[..., o] = Σ_c h[..., c] · pw[0, 0, c, o]. */
function refPointwise(h: NDArray, p: NDArray): NDArray {
  const [B, H, W, C] = h.shape as [number, number, number, number];
  const O = p.shape[3] as number;
  const y = new Float64Array(B * H * W * O);
  for (let r = 0; r < B * H * W; r++)
    for (let o = 0; o < O; o++) {
      let acc = 0;
      for (let c = 0; c < C; c++) acc += (h.data[r * C + c] as number) * (p.data[c * O + o] as number);
      y[r * O + o] = acc;
    }
  return new NDArray(y, [B, H, W, O], 'float32');
}

const wrapperCases: OpCase[] = [
  {
    name: 'depthwiseConv2d [2,7,5,3] * 3x3x3x2 stride 2 SAME',
    ops: ['DepthwiseConv2dNative'],
    inputs: [x7, w3332],
    build: (x, f) => tf.nn.depthwiseConv2d(x, f, [1, 2, 2, 1], 'SAME'),
    reference: (x, f) => refDepthwise(x, f, 2, [1, 1], 'SAME'),
    shape: [2, 4, 3, 6],
  },
  {
    name: 'depthwiseConv2d atrous rate [2,2] SAME',
    ops: ['DepthwiseConv2dNative'],
    inputs: [x7, w3332],
    build: (x, f) => tf.nn.depthwiseConv2d(x, f, [1, 1, 1, 1], 'SAME', [2, 2]),
    reference: (x, f) => refDepthwise(x, f, 1, [2, 2], 'SAME'),
    shape: [2, 7, 5, 6],
  },
  {
    name: 'depthwiseConv2d dilations [2,1] VALID (rows only)',
    ops: ['DepthwiseConv2dNative'],
    inputs: [x7, w3332],
    build: (x, f) => tf.nn.depthwiseConv2d(x, f, [1, 1, 1, 1], 'VALID', { dilations: [2, 1] }),
    reference: (x, f) => refDepthwise(x, f, 1, [2, 1], 'VALID'),
    shape: [2, 3, 3, 6],
  },
  {
    name: 'depthwiseConv2d NCHW [2,3,7,5] * 3x3x3x2 stride 2 SAME (between transposes)',
    ops: ['DepthwiseConv2dNative'],
    inputs: [R.toNchw(x7), w3332],
    build: (x, f) => tf.nn.depthwiseConv2d(x, f, [1, 1, 2, 2], 'SAME', { dataFormat: 'NCHW' }),
    reference: (x, f) => R.toNchw(refDepthwise(R.toNhwc(x), f, 2, [1, 1], 'SAME')),
    shape: [2, 6, 4, 3],
  },
  {
    name: 'separableConv2d [2,7,5,3] * 3x3x3x2 then 1x1x6x4, stride 1 SAME',
    ops: ['DepthwiseConv2dNative', 'Conv2D'],
    inputs: [x7, w3332, pw],
    build: (x, f, p) => tf.nn.separableConv2d(x, f, p, [1, 1, 1, 1], 'SAME'),
    reference: (x, f, p) => refPointwise(refDepthwise(x, f, 1, [1, 1], 'SAME'), p),
    shape: [2, 7, 5, 4],
  },
  {
    name: 'separableConv2d stride 2 VALID',
    ops: ['DepthwiseConv2dNative', 'Conv2D'],
    inputs: [x7, w3332, pw],
    build: (x, f, p) => tf.nn.separableConv2d(x, f, p, [1, 2, 2, 1], 'VALID'),
    reference: (x, f, p) => refPointwise(refDepthwise(x, f, 2, [1, 1], 'VALID'), p),
    shape: [2, 3, 2, 4],
  },
  {
    name: 'separableConv2d rate 2 SAME',
    ops: ['DepthwiseConv2dNative', 'Conv2D'],
    inputs: [x7, w3332, pw],
    build: (x, f, p) => tf.nn.separableConv2d(x, f, p, [1, 1, 1, 1], 'SAME', 2),
    reference: (x, f, p) => refPointwise(refDepthwise(x, f, 1, [2, 2], 'SAME'), p),
    shape: [2, 7, 5, 4],
  },
];

export const depthwiseCases: OpCase[] = [...nativeCases, ...wrapperCases];
