/**
 * 2-D convolution kernels with TF1 semantics: NHWC input [batch, inH, inW, inC], HWIO filter
 * [fH, fW, inC, outC], NHWC output [batch, outH, outW, outC], 'SAME' / 'VALID' padding. The geometry
 * (output size, padding) is the op layer's: conv2dGeometry in src/ops/nn_geometry.ts.
 *
 * All three kernels lower to the blocked matmul through an im2col patch matrix
 * P[row, col] with row = (b*outH + oh)*outW + ow and col = (kh*fW + kw)*inC + ic, so that the
 * HWIO filter read as a [fH*fW*inC, outC] matrix W gives out = P · W. The batch is processed in
 * row chunks so the float64 patch scratch stays under CHUNK_ELEMS elements.
 */
import type { WindowGeometry } from '../../../ops/nn_geometry';
import { FloatArray, matmul } from './matmul';

/** Maximum elements of the im2col scratch (4M float64 = 32 MiB); larger batches are chunked. */
const CHUNK_ELEMS = 1 << 22;

/** Grow-only scratch shared by the kernels (they never re-enter one another). */
let colBuf = new Float64Array(0);
let accBuf = new Float64Array(0);

/** True when the patch matrix is the input itself (1×1 filter, unit stride, no padding). */
function isPointwise(g: WindowGeometry): boolean {
  return g.fH === 1 && g.fW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0;
}

function rowsPerChunk(g: WindowGeometry): number {
  const cols = g.fH * g.fW * g.inC;
  return Math.max(1, Math.floor(CHUNK_ELEMS / Math.max(cols, 1)));
}

function ensureCol(size: number): Float64Array {
  if (colBuf.length < size) colBuf = new Float64Array(size);
  return colBuf;
}

/** Fills cols[(r - r0)*K + col] with patch rows r0..r1 of the im2col matrix of x (zeros in the padding). */
function im2col(x: FloatArray, g: WindowGeometry, r0: number, r1: number, cols: Float64Array): void {
  const { inH, inW, inC, fH, fW, outH, outW, strideH, strideW, padTop, padLeft } = g;
  const rowLen = fW * inC;
  let d = 0;
  for (let r = r0; r < r1; r++) {
    const ow = r % outW;
    const t = (r - ow) / outW;
    const oh = t % outH;
    const b = (t - oh) / outH;
    const ih0 = oh * strideH - padTop;
    const iw0 = ow * strideW - padLeft;
    for (let kh = 0; kh < fH; kh++) {
      const ih = ih0 + kh;
      if (ih < 0 || ih >= inH) {
        cols.fill(0, d, d + rowLen);
        d += rowLen;
        continue;
      }
      const base = (b * inH + ih) * inW;
      for (let kw = 0; kw < fW; kw++) {
        const iw = iw0 + kw;
        if (iw < 0 || iw >= inW) {
          cols.fill(0, d, d + inC);
        } else {
          const s = (base + iw) * inC;
          for (let c = 0; c < inC; c++) cols[d + c] = x[s + c]!;
        }
        d += inC;
      }
    }
  }
}

/** dx[...] += the patch rows r0..r1 held in cols (inverse scatter of im2col; padding cells dropped). */
function col2imAdd(cols: Float64Array, g: WindowGeometry, r0: number, r1: number, dx: FloatArray): void {
  const { inH, inW, inC, fH, fW, outH, outW, strideH, strideW, padTop, padLeft } = g;
  const rowLen = fW * inC;
  let d = 0;
  for (let r = r0; r < r1; r++) {
    const ow = r % outW;
    const t = (r - ow) / outW;
    const oh = t % outH;
    const b = (t - oh) / outH;
    const ih0 = oh * strideH - padTop;
    const iw0 = ow * strideW - padLeft;
    for (let kh = 0; kh < fH; kh++) {
      const ih = ih0 + kh;
      if (ih < 0 || ih >= inH) {
        d += rowLen;
        continue;
      }
      const base = (b * inH + ih) * inW;
      for (let kw = 0; kw < fW; kw++) {
        const iw = iw0 + kw;
        if (iw >= 0 && iw < inW) {
          const s = (base + iw) * inC;
          for (let c = 0; c < inC; c++) dx[s + c] = dx[s + c]! + cols[d + c]!;
        }
        d += inC;
      }
    }
  }
}

/**
 * Forward convolution: out[b, oh, ow, oc] = Σ_{kh,kw,ic} x[b, oh*sH - padTop + kh, ow*sW - padLeft + kw, ic]
 * · filter[kh, kw, ic, oc] (out-of-range input cells are zero). x NHWC, filter HWIO, out NHWC.
 */
export function conv2d(input: FloatArray, filter: FloatArray, out: FloatArray, g: WindowGeometry): void {
  const rows = g.batch * g.outH * g.outW;
  const K = g.fH * g.fW * g.inC;
  if (isPointwise(g)) {
    matmul(input, filter, out, rows, K, g.outC, false, false);
    return;
  }
  const chunk = rowsPerChunk(g);
  const cols = ensureCol(Math.min(chunk, rows) * K);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk);
    im2col(input, g, r0, r1, cols);
    matmul(cols, filter, out, r1 - r0, K, g.outC, false, false, 0, 0, r0 * g.outC);
  }
}

/**
 * Gradient of conv2d with respect to its input: dx = col2im(dy · Wᵀ), where dy is
 * [batch, outH, outW, outC], filter HWIO, and dx NHWC [batch, inH, inW, inC] (overwritten).
 */
export function conv2dBackpropInput(
  dy: FloatArray,
  filter: FloatArray,
  dx: FloatArray,
  g: WindowGeometry,
): void {
  const rows = g.batch * g.outH * g.outW;
  const K = g.fH * g.fW * g.inC;
  if (isPointwise(g)) {
    matmul(dy, filter, dx, rows, g.outC, K, false, true);
    return;
  }
  dx.fill(0, 0, g.batch * g.inH * g.inW * g.inC);
  const chunk = rowsPerChunk(g);
  const cols = ensureCol(Math.min(chunk, rows) * K);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk);
    matmul(dy, filter, cols, r1 - r0, g.outC, K, false, true, r0 * g.outC, 0, 0);
    col2imAdd(cols, g, r0, r1, dx);
  }
}

/**
 * Gradient of conv2d with respect to its filter: dfilter[K, outC] = Pᵀ · dy, where P is the im2col
 * matrix of input (NHWC), dy is [batch, outH, outW, outC] and dfilter is HWIO (overwritten).
 */
export function conv2dBackpropFilter(
  input: FloatArray,
  dy: FloatArray,
  dfilter: FloatArray,
  g: WindowGeometry,
): void {
  const rows = g.batch * g.outH * g.outW;
  const K = g.fH * g.fW * g.inC;
  const size = K * g.outC;
  if (isPointwise(g)) {
    matmul(input, dy, dfilter, K, rows, g.outC, true, false);
    return;
  }
  const chunk = rowsPerChunk(g);
  if (chunk >= rows) {
    const cols = ensureCol(rows * K);
    im2col(input, g, 0, rows, cols);
    matmul(cols, dy, dfilter, K, rows, g.outC, true, false);
    return;
  }
  // Several chunks: sum the per-chunk products in float64, then store once.
  if (accBuf.length < 2 * size) accBuf = new Float64Array(2 * size);
  const acc = accBuf.subarray(0, size);
  const part = accBuf.subarray(size, 2 * size);
  acc.fill(0);
  const cols = ensureCol(chunk * K);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk);
    im2col(input, g, r0, r1, cols);
    matmul(cols, dy, part, K, r1 - r0, g.outC, true, false, 0, r0 * g.outC, 0);
    for (let i = 0; i < size; i++) acc[i] = acc[i]! + part[i]!;
  }
  for (let i = 0; i < size; i++) dfilter[i] = acc[i]!;
}
