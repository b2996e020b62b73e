import { NDArray } from '../../../src';

/**
 * Naive float64 references of the nn ops (plain index loops, written from TF1's definitions), used by
 * the nn case table. NHWC tensors, HWIO filters, TF1 SAME/VALID output sizes and padding.
 */
export type Pad = 'SAME' | 'VALID';

/** TF1: SAME → ceil(in/s) with the odd padding cell at the end; VALID → ceil((in-k+1)/s). */
export function windowed(inSize: number, k: number, s: number, pad: Pad): { out: number; before: number } {
  if (pad === 'VALID') return { out: Math.ceil((inSize - k + 1) / s), before: 0 };
  const out = Math.ceil(inSize / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + k - inSize, 0) / 2) };
}

const size = (s: number[]): number => s.reduce((p, q) => p * q, 1);
const nd = (data: Float64Array, shape: number[]): NDArray => new NDArray(data, shape, 'float32');
const at4 = (s: number[], a: number, b: number, c: number, d: number): number =>
  ((a * (s[1] as number) + b) * (s[2] as number) + c) * (s[3] as number) + d;
const v = (x: NDArray, i: number): number => x.data[i] as number;

interface ConvGeo {
  B: number;
  H: number;
  W: number;
  C: number;
  KH: number;
  KW: number;
  O: number;
  OH: number;
  OW: number;
  top: number;
  left: number;
  sh: number;
  sw: number;
}

function convGeo(xShape: number[], wShape: number[], strides: [number, number], pad: Pad): ConvGeo {
  const [B, H, W, C] = xShape as [number, number, number, number];
  const [KH, KW, , O] = wShape as [number, number, number, number];
  const h = windowed(H, KH, strides[0], pad);
  const w = windowed(W, KW, strides[1], pad);
  return {
    B,
    H,
    W,
    C,
    KH,
    KW,
    O,
    OH: h.out,
    OW: w.out,
    top: h.before,
    left: w.before,
    sh: strides[0],
    sw: strides[1],
  };
}

/**
 * Visits every (output cell, filter tap, in-channel, out-channel) whose input cell is inside x, giving
 * the flat indices into x [B,H,W,C], the filter [KH,KW,C,O] and y [B,OH,OW,O].
 */
function eachTap(g: ConvGeo, fn: (xi: number, wi: number, yi: number) => void): void {
  const [xs, ws, ys] = [
    [g.B, g.H, g.W, g.C],
    [g.KH, g.KW, g.C, g.O],
    [g.B, g.OH, g.OW, g.O],
  ];
  for (let b = 0; b < g.B; b++)
    for (let oh = 0; oh < g.OH; oh++)
      for (let ow = 0; ow < g.OW; ow++)
        for (let kh = 0; kh < g.KH; kh++)
          for (let kw = 0; kw < g.KW; kw++) {
            const ih = oh * g.sh - g.top + kh;
            const iw = ow * g.sw - g.left + kw;
            if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
            for (let c = 0; c < g.C; c++)
              for (let o = 0; o < g.O; o++)
                fn(at4(xs, b, ih, iw, c), at4(ws, kh, kw, c, o), at4(ys, b, oh, ow, o));
          }
}

/** out[i] += value (the references accumulate into float64 buffers). */
function addAt(out: Float64Array, i: number, value: number): void {
  out[i] = (out[i] as number) + value;
}

export function refConv2d(x: NDArray, w: NDArray, strides: [number, number], pad: Pad): NDArray {
  const g = convGeo(x.shape, w.shape, strides, pad);
  const ys = [g.B, g.OH, g.OW, g.O];
  const y = new Float64Array(size(ys));
  eachTap(g, (xi, wi, yi) => addAt(y, yi, v(x, xi) * v(w, wi)));
  return nd(y, ys);
}

export function refConvBackInput(
  xShape: number[],
  w: NDArray,
  dy: NDArray,
  strides: [number, number],
  pad: Pad,
): NDArray {
  const dx = new Float64Array(size(xShape));
  eachTap(convGeo(xShape, w.shape, strides, pad), (xi, wi, yi) => addAt(dx, xi, v(dy, yi) * v(w, wi)));
  return nd(dx, xShape);
}

export function refConvBackFilter(
  x: NDArray,
  wShape: number[],
  dy: NDArray,
  strides: [number, number],
  pad: Pad,
): NDArray {
  const dw = new Float64Array(size(wShape));
  eachTap(convGeo(x.shape, wShape, strides, pad), (xi, wi, yi) => addAt(dw, wi, v(dy, yi) * v(x, xi)));
  return nd(dw, wShape);
}

/** Calls fn(outIndex, inIndices) for each pooled cell: inIndices are the window's valid cells, row-major. */
function eachWindow(
  xShape: number[],
  k: [number, number],
  s: [number, number],
  pad: Pad,
  fn: (o: number, cells: number[]) => void,
): number[] {
  const [B, H, W, C] = xShape as [number, number, number, number];
  const h = windowed(H, k[0], s[0], pad);
  const w = windowed(W, k[1], s[1], pad);
  const ys = [B, h.out, w.out, C];
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < h.out; oh++)
      for (let ow = 0; ow < w.out; ow++)
        for (let c = 0; c < C; c++) {
          const cells: number[] = [];
          for (let i = 0; i < k[0]; i++)
            for (let j = 0; j < k[1]; j++) {
              const ih = oh * s[0] - h.before + i;
              const iw = ow * s[1] - w.before + j;
              if (ih >= 0 && ih < H && iw >= 0 && iw < W) cells.push(at4(xShape, b, ih, iw, c));
            }
          fn(at4(ys, b, oh, ow, c), cells);
        }
  return ys;
}

function argmaxCell(x: NDArray, cells: number[]): number {
  return cells.reduce((best, i) => (v(x, i) > v(x, best) ? i : best), cells[0] as number);
}

export function refMaxPool(x: NDArray, k: [number, number], s: [number, number], pad: Pad): NDArray {
  const out: number[] = [];
  const ys = eachWindow(x.shape, k, s, pad, (o, cells) => (out[o] = v(x, argmaxCell(x, cells))));
  return nd(Float64Array.from(out), ys);
}

export function refAvgPool(x: NDArray, k: [number, number], s: [number, number], pad: Pad): NDArray {
  const out: number[] = [];
  const ys = eachWindow(
    x.shape,
    k,
    s,
    pad,
    (o, cells) => (out[o] = cells.reduce((a, i) => a + v(x, i), 0) / cells.length),
  );
  return nd(Float64Array.from(out), ys);
}

export function refMaxPoolGrad(
  x: NDArray,
  dy: NDArray,
  k: [number, number],
  s: [number, number],
  pad: Pad,
): NDArray {
  const dx = new Float64Array(x.size);
  eachWindow(x.shape, k, s, pad, (o, cells) => addAt(dx, argmaxCell(x, cells), v(dy, o)));
  return nd(dx, x.shape);
}

export function refMaxPoolGradGrad(
  x: NDArray,
  ddx: NDArray,
  k: [number, number],
  s: [number, number],
  pad: Pad,
): NDArray {
  const out: number[] = [];
  const ys = eachWindow(x.shape, k, s, pad, (o, cells) => (out[o] = v(ddx, argmaxCell(x, cells))));
  return nd(Float64Array.from(out), ys);
}

export function refAvgPoolGrad(
  xShape: number[],
  dy: NDArray,
  k: [number, number],
  s: [number, number],
  pad: Pad,
): NDArray {
  const dx = new Float64Array(size(xShape));
  eachWindow(xShape, k, s, pad, (o, cells) => cells.forEach((i) => addAt(dx, i, v(dy, o) / cells.length)));
  return nd(dx, xShape);
}

/** Applies fn to every row along `axis` (rows given as arrays of flat indices). */
export function eachRow(shape: number[], axis: number, fn: (idx: number[], row: number) => void): number[] {
  const a = axis < 0 ? axis + shape.length : axis;
  const n = shape[a] as number;
  const inner = size(shape.slice(a + 1));
  const outer = size(shape.slice(0, a));
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      fn(
        Array.from({ length: n }, (_v, k) => (o * n + k) * inner + i),
        o * inner + i,
      );
    }
  return shape.filter((_d, i) => i !== a);
}

export function refSoftmax(x: NDArray, axis: number, log = false): NDArray {
  const out = new Float64Array(x.size);
  eachRow(x.shape, axis, (idx) => {
    const m = Math.max(...idx.map((i) => v(x, i)));
    const z = idx.reduce((p, i) => p + Math.exp(v(x, i) - m), 0);
    for (const i of idx) out[i] = log ? v(x, i) - m - Math.log(z) : Math.exp(v(x, i) - m) / z;
  });
  return nd(out, x.shape);
}

/** −Σ labels · log softmax(logits) per row. */
export function refXent(labels: NDArray, logits: NDArray, axis: number): NDArray {
  const logp = refSoftmax(logits, axis, true);
  const out: number[] = [];
  const shape = eachRow(
    logits.shape,
    axis,
    (idx, r) => (out[r] = -idx.reduce((p, i) => p + v(labels, i) * v(logp, i), 0)),
  );
  return nd(Float64Array.from(out), shape);
}

export function refSparseXent(labels: NDArray, logits: NDArray): NDArray {
  const logp = refSoftmax(logits, -1, true);
  const out: number[] = [];
  const shape = eachRow(logits.shape, -1, (idx, r) => (out[r] = -v(logp, idx[v(labels, r)] as number)));
  return nd(Float64Array.from(out), shape);
}

export function refBiasAddGrad(dy: NDArray): NDArray {
  const C = dy.shape[dy.shape.length - 1] as number;
  const out = new Float64Array(C);
  for (let i = 0; i < dy.size; i++) addAt(out, i % C, v(dy, i));
  return nd(out, [C]);
}

/** BiasAdd with the bias on axis 1 (NCHW): plain loops. */
export function refBiasAddNchw(x: NDArray, b: NDArray): NDArray {
  const C = x.shape[1] as number;
  const inner = x.shape.slice(2).reduce((p, q) => p * q, 1);
  const out = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) out[i] = v(x, i) + v(b, Math.floor(i / inner) % C);
  return nd(out, x.shape.slice());
}

/** BiasAddGrad NCHW: the sum over every axis but 1. */
export function refBiasAddGradNchw(dy: NDArray): NDArray {
  const C = dy.shape[1] as number;
  const inner = dy.shape.slice(2).reduce((p, q) => p * q, 1);
  const out = new Float64Array(C);
  for (let i = 0; i < dy.size; i++) addAt(out, Math.floor(i / inner) % C, v(dy, i));
  return nd(out, [C]);
}

/** Depthwise max pooling: max over groups of k consecutive channels of NHWC x. */
export function refDepthMaxPool(x: NDArray, k: number): NDArray {
  const C = x.shape[3] as number;
  const n = x.size / C;
  const out = new Float64Array((n * C) / k);
  for (let p = 0; p < n; p++) {
    for (let g = 0; g < C / k; g++) {
      let m = -Infinity;
      for (let j = 0; j < k; j++) m = Math.max(m, v(x, p * C + g * k + j));
      out[(p * C) / k + g] = m;
    }
  }
  return nd(out, [...x.shape.slice(0, 3), C / k]);
}

/** NHWC → NCHW of a reference result (plain loops). */
export function toNchw(x: NDArray): NDArray {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const out = new Float64Array(x.size);
  for (let n = 0; n < N; n++)
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++)
        for (let c = 0; c < C; c++) out[((n * C + c) * H + h) * W + w] = v(x, ((n * H + h) * W + w) * C + c);
  return nd(out, [N, C, H, W]);
}

/** NCHW → NHWC (plain loops). */
export function toNhwc(x: NDArray): NDArray {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const out = new Float64Array(x.size);
  for (let n = 0; n < N; n++)
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++)
        for (let c = 0; c < C; c++) out[((n * H + h) * W + w) * C + c] = v(x, ((n * C + c) * H + h) * W + w);
  return nd(out, [N, H, W, C]);
}
