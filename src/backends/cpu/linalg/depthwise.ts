/**
 * Depthwise 2-D convolution kernels with TF semantics: NHWC input [batch, inH, inW, inC], filter
 * [fH, fW, inC, mult], NHWC output [batch, outH, outW, inC·mult] where output channel c·mult + q is
 * input channel c convolved with filter[:, :, c, q]; dilations (dH, dW) space the filter taps. The
 * geometry is the op layer's (depthwiseConv2dGeometry in src/ops/nn_geometry.ts).
 *
 * The filter read flat is [fH·fW, outC] (tap-major, output channel minor), so for every output pixel
 * and tap the work is one contiguous run over the channels: out[oc] += x[c] · f[tap, oc]. Loops keep
 * the channels innermost, accumulate in a float64 scratch row, and skip the bounds checks on the
 * interior of the image (taps are clipped once per output row / column, not per element).
 */
import type { DepthwiseGeometry } from '../../../ops/nn_geometry';
import type { FloatArray } from './matmul';

/** Grow-only float64 scratch (the kernels never re-enter one another). */
let scratch = new Float64Array(0);
function ensure(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  return scratch;
}

/** Range [k0, k1) of taps k with 0 <= o·stride − pad + k·dil < size. */
function tapRange(
  o: number,
  stride: number,
  pad: number,
  dil: number,
  taps: number,
  size: number,
): [number, number] {
  const base = o * stride - pad;
  let k0 = 0;
  if (base < 0) k0 = Math.ceil(-base / dil);
  let k1 = taps;
  const last = size - 1 - base; // need k·dil <= last
  if (last < 0) k1 = 0;
  else k1 = Math.min(taps, Math.floor(last / dil) + 1);
  return [Math.min(k0, k1), k1];
}

/** Per-output-column tap ranges [kw0, kw1) (precomputed once per call). */
function columnRanges(g: DepthwiseGeometry): Int32Array {
  const r = new Int32Array(2 * g.outW);
  for (let ow = 0; ow < g.outW; ow++) {
    const [a, b] = tapRange(ow, g.strideW, g.padLeft, g.dilW, g.fW, g.inW);
    r[2 * ow] = a;
    r[2 * ow + 1] = b;
  }
  return r;
}

/**
 * acc[c] += Σ_{kw < n} x[xb + kw·xStep + c] · f[fb + kw·fStep + c] for c < C: one filter row of a
 * multiplier-1 depthwise tap, the taps summed in registers (3 and 5 taps unrolled: the usual sizes).
 */
function accumulateRow(
  acc: Float64Array,
  x: FloatArray,
  f: FloatArray,
  xb: number,
  fb: number,
  n: number,
  C: number,
  xStep: number,
  fStep: number,
): void {
  if (n === 3) {
    const x1 = xb + xStep;
    const x2 = x1 + xStep;
    const f1 = fb + fStep;
    const f2 = f1 + fStep;
    for (let c = 0; c < C; c++) {
      acc[c] =
        (acc[c] as number) +
        (x[xb + c] as number) * (f[fb + c] as number) +
        (x[x1 + c] as number) * (f[f1 + c] as number) +
        (x[x2 + c] as number) * (f[f2 + c] as number);
    }
  } else if (n === 5) {
    const x1 = xb + xStep;
    const x2 = x1 + xStep;
    const x3 = x2 + xStep;
    const x4 = x3 + xStep;
    const f1 = fb + fStep;
    const f2 = f1 + fStep;
    const f3 = f2 + fStep;
    const f4 = f3 + fStep;
    for (let c = 0; c < C; c++) {
      acc[c] =
        (acc[c] as number) +
        (x[xb + c] as number) * (f[fb + c] as number) +
        (x[x1 + c] as number) * (f[f1 + c] as number) +
        (x[x2 + c] as number) * (f[f2 + c] as number) +
        (x[x3 + c] as number) * (f[f3 + c] as number) +
        (x[x4 + c] as number) * (f[f4 + c] as number);
    }
  } else {
    for (let c = 0; c < C; c++) {
      let s = acc[c] as number;
      for (let kw = 0, xi = xb + c, fi = fb + c; kw < n; kw++, xi += xStep, fi += fStep) {
        s += (x[xi] as number) * (f[fi] as number);
      }
      acc[c] = s;
    }
  }
}

/**
 * Forward: out[b, oh, ow, c·mult + q] = Σ_{kh, kw} x[b, oh·sH − padTop + kh·dH, ow·sW − padLeft + kw·dW, c]
 * · f[kh, kw, c, q] (cells outside the input are zero).
 */
export function depthwiseConv2d(x: FloatArray, f: FloatArray, out: FloatArray, g: DepthwiseGeometry): void {
  const {
    batch,
    inH,
    inW,
    inC,
    fH,
    fW,
    mult,
    outC,
    strideH,
    strideW,
    dilH,
    dilW,
    outH,
    outW,
    padTop,
    padLeft,
  } = g;
  const acc = ensure(outC);
  const cols = columnRanges(g);
  const xRow = inW * inC;
  const xDilW = dilW * inC;
  for (let b = 0; b < batch; b++) {
    const xImg = b * inH * xRow;
    for (let oh = 0; oh < outH; oh++) {
      const [kh0, kh1] = tapRange(oh, strideH, padTop, dilH, fH, inH);
      const ih0 = oh * strideH - padTop;
      let o = (b * outH + oh) * outW * outC;
      for (let ow = 0; ow < outW; ow++, o += outC) {
        const kw0 = cols[2 * ow] as number;
        const kw1 = cols[2 * ow + 1] as number;
        const iw0 = ow * strideW - padLeft;
        acc.fill(0, 0, outC);
        const n = kw1 - kw0;
        for (let kh = kh0; kh < kh1; kh++) {
          const xb = xImg + (ih0 + kh * dilH) * xRow + (iw0 + kw0 * dilW) * inC;
          const fb = (kh * fW + kw0) * outC;
          if (mult === 1) accumulateRow(acc, x, f, xb, fb, n, inC, xDilW, outC);
          else {
            for (let kw = 0; kw < n; kw++) {
              const xk = xb + kw * xDilW;
              const fk = fb + kw * outC;
              for (let c = 0, oc = 0; c < inC; c++) {
                const v = x[xk + c] as number;
                for (let q = 0; q < mult; q++, oc++)
                  acc[oc] = (acc[oc] as number) + v * (f[fk + oc] as number);
              }
            }
          }
        }
        for (let c = 0; c < outC; c++) out[o + c] = acc[c] as number;
      }
    }
  }
}

/**
 * Gradient with respect to the input: dx[b, ih, iw, c] = Σ over the windows holding (ih, iw) and q of
 * dy[b, oh, ow, c·mult + q] · f[kh, kw, c, q]. Scatter form into a float64 image, then stored.
 */
export function depthwiseConv2dBackpropInput(
  dy: FloatArray,
  f: FloatArray,
  dx: FloatArray,
  g: DepthwiseGeometry,
): void {
  const {
    batch,
    inH,
    inW,
    inC,
    fH,
    fW,
    mult,
    outC,
    strideH,
    strideW,
    dilH,
    dilW,
    outH,
    outW,
    padTop,
    padLeft,
  } = g;
  const imgSize = inH * inW * inC;
  const acc = ensure(imgSize);
  const cols = columnRanges(g);
  const xRow = inW * inC;
  const xDilW = dilW * inC;
  for (let b = 0; b < batch; b++) {
    acc.fill(0, 0, imgSize);
    for (let oh = 0; oh < outH; oh++) {
      const [kh0, kh1] = tapRange(oh, strideH, padTop, dilH, fH, inH);
      const ih0 = oh * strideH - padTop;
      let o = (b * outH + oh) * outW * outC;
      for (let ow = 0; ow < outW; ow++, o += outC) {
        const kw0 = cols[2 * ow] as number;
        const kw1 = cols[2 * ow + 1] as number;
        const iw0 = ow * strideW - padLeft;
        for (let kh = kh0; kh < kh1; kh++) {
          let xb = (ih0 + kh * dilH) * xRow + (iw0 + kw0 * dilW) * inC;
          let fb = (kh * fW + kw0) * outC;
          if (mult === 1) {
            for (let kw = kw0; kw < kw1; kw++, xb += xDilW, fb += outC) {
              for (let c = 0; c < inC; c++)
                acc[xb + c] = (acc[xb + c] as number) + (dy[o + c] as number) * (f[fb + c] as number);
            }
          } else {
            for (let kw = kw0; kw < kw1; kw++, xb += xDilW, fb += outC) {
              for (let c = 0, oc = 0; c < inC; c++) {
                let s = 0;
                for (let q = 0; q < mult; q++, oc++) s += (dy[o + oc] as number) * (f[fb + oc] as number);
                acc[xb + c] = (acc[xb + c] as number) + s;
              }
            }
          }
        }
      }
    }
    const base = b * imgSize;
    for (let i = 0; i < imgSize; i++) dx[base + i] = acc[i] as number;
  }
}

/**
 * Gradient with respect to the filter: df[kh, kw, c, q] = Σ_{b, oh, ow} x[b, ih, iw, c] · dy[b, oh, ow,
 * c·mult + q] over the cells inside the input; accumulated in float64, then stored.
 */
export function depthwiseConv2dBackpropFilter(
  x: FloatArray,
  dy: FloatArray,
  df: FloatArray,
  g: DepthwiseGeometry,
): void {
  const {
    batch,
    inH,
    inW,
    inC,
    fH,
    fW,
    mult,
    outC,
    strideH,
    strideW,
    dilH,
    dilW,
    outH,
    outW,
    padTop,
    padLeft,
  } = g;
  const size = fH * fW * outC;
  const acc = ensure(size);
  acc.fill(0, 0, size);
  const cols = columnRanges(g);
  const xRow = inW * inC;
  const xDilW = dilW * inC;
  for (let b = 0; b < batch; b++) {
    const xImg = b * inH * xRow;
    for (let oh = 0; oh < outH; oh++) {
      const [kh0, kh1] = tapRange(oh, strideH, padTop, dilH, fH, inH);
      const ih0 = oh * strideH - padTop;
      let o = (b * outH + oh) * outW * outC;
      for (let ow = 0; ow < outW; ow++, o += outC) {
        const kw0 = cols[2 * ow] as number;
        const kw1 = cols[2 * ow + 1] as number;
        const iw0 = ow * strideW - padLeft;
        for (let kh = kh0; kh < kh1; kh++) {
          let xb = xImg + (ih0 + kh * dilH) * xRow + (iw0 + kw0 * dilW) * inC;
          let fb = (kh * fW + kw0) * outC;
          if (mult === 1) {
            for (let kw = kw0; kw < kw1; kw++, xb += xDilW, fb += outC) {
              for (let c = 0; c < inC; c++)
                acc[fb + c] = (acc[fb + c] as number) + (x[xb + c] as number) * (dy[o + c] as number);
            }
          } else {
            for (let kw = kw0; kw < kw1; kw++, xb += xDilW, fb += outC) {
              for (let c = 0, oc = 0; c < inC; c++) {
                const v = x[xb + c] as number;
                for (let q = 0; q < mult; q++, oc++)
                  acc[fb + oc] = (acc[fb + oc] as number) + v * (dy[o + oc] as number);
              }
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < size; i++) df[i] = acc[i] as number;
}
