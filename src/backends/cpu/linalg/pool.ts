/**
 * 2-D max / average pooling kernels with TF1 semantics on NHWC tensors [batch, H, W, channels].
 * Windows are ksize [fH, fW] moved by strides [sH, sW]; output size and padding follow TF1's
 * 'SAME' / 'VALID' rule (poolGeometry in src/ops/nn_geometry.ts). Padding cells never take part: max
 * is over the valid cells only and the average divides by the number of valid cells in the window.
 */
import type { WindowGeometry } from '../../../ops/nn_geometry';
import type { FloatArray } from './matmul';

/**
 * Window bounds along one axis: for output index o, the clipped input range is
 * [bounds[2*o], bounds[2*o + 1]).
 */
function windowBounds(out: number, stride: number, pad: number, k: number, size: number): Int32Array {
  const bounds = new Int32Array(2 * out);
  for (let o = 0; o < out; o++) {
    const start = o * stride - pad;
    bounds[2 * o] = Math.max(start, 0);
    bounds[2 * o + 1] = Math.min(start + k, size);
  }
  return bounds;
}

/** out[b, oh, ow, c] = max of x[b, h, w, c] over the (valid cells of the) window. x, out NHWC. */
export function maxPool(x: FloatArray, out: FloatArray, g: WindowGeometry): void {
  const { batch, inH, inW, inC: C, outH, outW } = g;
  const hb = windowBounds(outH, g.strideH, g.padTop, g.fH, inH);
  const wb = windowBounds(outW, g.strideW, g.padLeft, g.fW, inW);
  let ob = 0;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        let first = true;
        for (let h = hb[2 * oh]!; h < hb[2 * oh + 1]!; h++) {
          for (let w = wb[2 * ow]!; w < wb[2 * ow + 1]!; w++) {
            const s = ((b * inH + h) * inW + w) * C;
            if (first) {
              for (let c = 0; c < C; c++) out[ob + c] = x[s + c]!;
              first = false;
            } else {
              for (let c = 0; c < C; c++) {
                const v = x[s + c]!;
                if (v > out[ob + c]!) out[ob + c] = v;
              }
            }
          }
        }
        if (first) out.fill(-Infinity, ob, ob + C);
        ob += C;
      }
    }
  }
}

/**
 * Gradient of maxPool: dx (overwritten, NHWC like x) receives dy[b, oh, ow, c] at the FIRST maximal
 * cell of each window in row-major (h, then w) order; overlapping windows accumulate.
 */
export function maxPoolGrad(x: FloatArray, dy: FloatArray, dx: FloatArray, g: WindowGeometry): void {
  const { batch, inH, inW, inC: C, outH, outW } = g;
  const hb = windowBounds(outH, g.strideH, g.padTop, g.fH, inH);
  const wb = windowBounds(outW, g.strideW, g.padLeft, g.fW, inW);
  const best = new Float64Array(C);
  const arg = new Int32Array(C);
  dx.fill(0, 0, batch * inH * inW * C);
  let ob = 0;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        let first = true;
        for (let h = hb[2 * oh]!; h < hb[2 * oh + 1]!; h++) {
          for (let w = wb[2 * ow]!; w < wb[2 * ow + 1]!; w++) {
            const s = ((b * inH + h) * inW + w) * C;
            if (first) {
              for (let c = 0; c < C; c++) {
                best[c] = x[s + c]!;
                arg[c] = s + c;
              }
              first = false;
            } else {
              // Strict '>' keeps the first maximum in row-major window order.
              for (let c = 0; c < C; c++) {
                const v = x[s + c]!;
                if (v > best[c]!) {
                  best[c] = v;
                  arg[c] = s + c;
                }
              }
            }
          }
        }
        if (!first) {
          for (let c = 0; c < C; c++) {
            const i = arg[c]!;
            dx[i] = dx[i]! + dy[ob + c]!;
          }
        }
        ob += C;
      }
    }
  }
}

/** out[b, oh, ow, c] = mean of x[b, h, w, c] over the valid (non-padding) cells of the window. */
export function avgPool(x: FloatArray, out: FloatArray, g: WindowGeometry): void {
  const { batch, inH, inW, inC: C, outH, outW } = g;
  const hb = windowBounds(outH, g.strideH, g.padTop, g.fH, inH);
  const wb = windowBounds(outW, g.strideW, g.padLeft, g.fW, inW);
  const acc = new Float64Array(C);
  let ob = 0;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const h0 = hb[2 * oh]!;
      const h1 = hb[2 * oh + 1]!;
      for (let ow = 0; ow < outW; ow++) {
        const w0 = wb[2 * ow]!;
        const w1 = wb[2 * ow + 1]!;
        acc.fill(0);
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const s = ((b * inH + h) * inW + w) * C;
            for (let c = 0; c < C; c++) acc[c] = acc[c]! + x[s + c]!;
          }
        }
        const count = (h1 - h0) * (w1 - w0);
        const inv = count > 0 ? 1 / count : 0;
        for (let c = 0; c < C; c++) out[ob + c] = acc[c]! * inv;
        ob += C;
      }
    }
  }
}

/**
 * Gradient of avgPool: dx (overwritten, [batch, inH, inW, C]) gets dy[b, oh, ow, c] / count added to
 * every valid cell of each window, count being that window's number of valid cells.
 */
export function avgPoolGrad(dy: FloatArray, dx: FloatArray, g: WindowGeometry): void {
  const { batch, inH, inW, inC: C, outH, outW } = g;
  const hb = windowBounds(outH, g.strideH, g.padTop, g.fH, inH);
  const wb = windowBounds(outW, g.strideW, g.padLeft, g.fW, inW);
  const share = new Float64Array(C);
  dx.fill(0, 0, batch * inH * inW * C);
  let ob = 0;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const h0 = hb[2 * oh]!;
      const h1 = hb[2 * oh + 1]!;
      for (let ow = 0; ow < outW; ow++) {
        const w0 = wb[2 * ow]!;
        const w1 = wb[2 * ow + 1]!;
        const count = (h1 - h0) * (w1 - w0);
        if (count > 0) {
          for (let c = 0; c < C; c++) share[c] = dy[ob + c]! / count;
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const s = ((b * inH + h) * inW + w) * C;
              for (let c = 0; c < C; c++) dx[s + c] = dx[s + c]! + share[c]!;
            }
          }
        }
        ob += C;
      }
    }
  }
}
