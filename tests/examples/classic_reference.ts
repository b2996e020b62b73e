// Plain-JS float64 replays of the classic TF1 programs' networks (no tensorgraph code): dense layers,
// 'SAME' stride-1 conv2d, 2×2 stride-2 max pooling, softmax cross entropy, and TF1's Adam and RMSProp
// update rules (training/adam.py, training/rmsprop.py), used by classic_programs.test.ts.
import { mulberry32 } from '../../tutorials/lib/rng';

export type Mat = Float64Array<ArrayBufferLike>;

/** Seeded N(mean, stddev²) samples (Box–Muller over mulberry32). */
export function normalSamples(n: number, seed: number, stddev = 1): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = stddev * r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = stddev * r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export const f64 = (a: ArrayLike<number>): Mat => Float64Array.from(a);

/** [n,k] × [k,m] */
export function matmul(a: Mat, b: Mat, n: number, k: number, m: number): Mat {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p] as number;
      if (av === 0) continue;
      const row = p * m;
      const o = i * m;
      for (let j = 0; j < m; j++) out[o + j] = (out[o + j] as number) + av * (b[row + j] as number);
    }
  }
  return out;
}

/** aᵀ × b for a [n,k], b [n,m] → [k,m] */
export function matmulTA(a: Mat, b: Mat, n: number, k: number, m: number): Mat {
  const out = new Float64Array(k * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p] as number;
      if (av === 0) continue;
      for (let j = 0; j < m; j++) out[p * m + j] = (out[p * m + j] as number) + av * (b[i * m + j] as number);
    }
  }
  return out;
}

/** a × bᵀ for a [n,m], b [k,m] → [n,k] */
export function matmulTB(a: Mat, b: Mat, n: number, m: number, k: number): Mat {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += (a[i * m + j] as number) * (b[p * m + j] as number);
      out[i * k + p] = s;
    }
  }
  return out;
}

/** x [n,m] + bias [m], in place. */
export function addBias(x: Mat, b: Mat, m: number): Mat {
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + (b[i % m] as number);
  return x;
}

/** Column sums of [n,m]. */
export function colSum(x: Mat, m: number): Mat {
  const out = new Float64Array(m);
  for (let i = 0; i < x.length; i++) out[i % m] = (out[i % m] as number) + (x[i] as number);
  return out;
}

export const relu = (x: Mat): Mat => x.map((v) => (v > 0 ? v : 0));
export const sigmoid = (x: Mat): Mat => x.map((v) => 1 / (1 + Math.exp(-v)));

/** mean over rows of softmax_cross_entropy_with_logits, and d(mean)/d(logits). */
export function softmaxCrossEntropy(logits: Mat, labels: ArrayLike<number>, n: number, c: number) {
  let loss = 0;
  const grad = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let j = 0; j < c; j++) mx = Math.max(mx, logits[i * c + j] as number);
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp((logits[i * c + j] as number) - mx);
    const lse = mx + Math.log(s);
    for (let j = 0; j < c; j++) {
      const y = labels[i * c + j] as number;
      const z = logits[i * c + j] as number;
      loss -= y * (z - lse);
      grad[i * c + j] = (Math.exp(z - lse) - y) / n;
    }
  }
  return { loss: loss / n, grad };
}

/** TF1's AdamOptimizer (lr, beta1 0.9, beta2 0.999, epsilon 1e-8) over named parameters. */
export class Adam {
  private m = new Map<string, Mat>();
  private v = new Map<string, Mat>();
  private t = 0;
  constructor(
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {}
  step(params: Record<string, Mat>, grads: Record<string, Mat>): void {
    this.t++;
    const lrT = (this.lr * Math.sqrt(1 - this.beta2 ** this.t)) / (1 - this.beta1 ** this.t);
    for (const [k, p] of Object.entries(params)) {
      const g = grads[k] as Mat;
      const m = this.m.get(k) ?? new Float64Array(p.length);
      const v = this.v.get(k) ?? new Float64Array(p.length);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] as number;
        m[i] = this.beta1 * (m[i] as number) + (1 - this.beta1) * gi;
        v[i] = this.beta2 * (v[i] as number) + (1 - this.beta2) * gi * gi;
        p[i] = (p[i] as number) - (lrT * (m[i] as number)) / (Math.sqrt(v[i] as number) + this.eps);
      }
      this.m.set(k, m);
      this.v.set(k, v);
    }
  }
}

/** TF1's RMSPropOptimizer (lr, decay 0.9, momentum 0, epsilon 1e-10; mean square starts at 1). */
export class RMSProp {
  private ms = new Map<string, Mat>();
  private mom = new Map<string, Mat>();
  constructor(
    private readonly lr: number,
    private readonly decay = 0.9,
    private readonly momentum = 0,
    private readonly eps = 1e-10,
  ) {}
  step(params: Record<string, Mat>, grads: Record<string, Mat>): void {
    for (const [k, p] of Object.entries(params)) {
      const g = grads[k] as Mat;
      const ms = this.ms.get(k) ?? new Float64Array(p.length).fill(1);
      const mom = this.mom.get(k) ?? new Float64Array(p.length);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] as number;
        ms[i] = this.decay * (ms[i] as number) + (1 - this.decay) * gi * gi;
        mom[i] =
          this.momentum * (mom[i] as number) + (this.lr * gi) / Math.sqrt((ms[i] as number) + this.eps);
        p[i] = (p[i] as number) - (mom[i] as number);
      }
      this.ms.set(k, ms);
      this.mom.set(k, mom);
    }
  }
}

/** NHWC 'SAME' stride-1 convolution with an odd k×k HWIO filter. */
export function conv2dSame(
  x: Mat,
  w: Mat,
  n: number,
  h: number,
  wd: number,
  ci: number,
  co: number,
  k: number,
): Mat {
  const pad = (k - 1) / 2;
  const out = new Float64Array(n * h * wd * co);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < wd; xx++) {
        const o = ((b * h + y) * wd + xx) * co;
        for (let kh = 0; kh < k; kh++) {
          const iy = y + kh - pad;
          if (iy < 0 || iy >= h) continue;
          for (let kw = 0; kw < k; kw++) {
            const ix = xx + kw - pad;
            if (ix < 0 || ix >= wd) continue;
            const ib = ((b * h + iy) * wd + ix) * ci;
            const wb = (kh * k + kw) * ci * co;
            for (let c = 0; c < ci; c++) {
              const xv = x[ib + c] as number;
              if (xv === 0) continue;
              const wr = wb + c * co;
              for (let d = 0; d < co; d++) out[o + d] = (out[o + d] as number) + xv * (w[wr + d] as number);
            }
          }
        }
      }
    }
  }
  return out;
}

/** Gradients of conv2dSame with respect to its input and filter, given the output's gradient. */
export function conv2dSameGrad(
  x: Mat,
  w: Mat,
  dy: Mat,
  n: number,
  h: number,
  wd: number,
  ci: number,
  co: number,
  k: number,
): { dx: Mat; dw: Mat } {
  const pad = (k - 1) / 2;
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < wd; xx++) {
        const o = ((b * h + y) * wd + xx) * co;
        for (let kh = 0; kh < k; kh++) {
          const iy = y + kh - pad;
          if (iy < 0 || iy >= h) continue;
          for (let kw = 0; kw < k; kw++) {
            const ix = xx + kw - pad;
            if (ix < 0 || ix >= wd) continue;
            const ib = ((b * h + iy) * wd + ix) * ci;
            const wb = (kh * k + kw) * ci * co;
            for (let c = 0; c < ci; c++) {
              const xv = x[ib + c] as number;
              const wr = wb + c * co;
              let s = 0;
              for (let d = 0; d < co; d++) {
                const g = dy[o + d] as number;
                s += g * (w[wr + d] as number);
                dw[wr + d] = (dw[wr + d] as number) + xv * g;
              }
              dx[ib + c] = (dx[ib + c] as number) + s;
            }
          }
        }
      }
    }
  }
  return { dx, dw };
}

/** 2×2 stride-2 max pooling of NHWC with even h, w; also the flat argmax of each window. */
export function maxPool2(x: Mat, n: number, h: number, w: number, c: number): { y: Mat; arg: Int32Array } {
  const oh = h / 2;
  const ow = w / 2;
  const y = new Float64Array(n * oh * ow * c);
  const arg = new Int32Array(y.length);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        for (let d = 0; d < c; d++) {
          let best = -Infinity;
          let at = -1;
          for (let di = 0; di < 2; di++) {
            for (let dj = 0; dj < 2; dj++) {
              const idx = ((b * h + 2 * i + di) * w + 2 * j + dj) * c + d;
              if ((x[idx] as number) > best) {
                best = x[idx] as number;
                at = idx;
              }
            }
          }
          const o = ((b * oh + i) * ow + j) * c + d;
          y[o] = best;
          arg[o] = at;
        }
      }
    }
  }
  return { y, arg };
}

/** NHWC 'VALID' stride-1 convolution with a k×k HWIO filter. */
export function conv2dValid(
  x: Mat,
  w: Mat,
  n: number,
  h: number,
  wd: number,
  ci: number,
  co: number,
  k: number,
): Mat {
  const oh = h - k + 1;
  const ow = wd - k + 1;
  const out = new Float64Array(n * oh * ow * co);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      for (let xx = 0; xx < ow; xx++) {
        const o = ((b * oh + y) * ow + xx) * co;
        for (let kh = 0; kh < k; kh++) {
          for (let kw = 0; kw < k; kw++) {
            const ib = ((b * h + y + kh) * wd + xx + kw) * ci;
            const wb = (kh * k + kw) * ci * co;
            for (let c = 0; c < ci; c++) {
              const xv = x[ib + c] as number;
              const wr = wb + c * co;
              for (let d = 0; d < co; d++) out[o + d] = (out[o + d] as number) + xv * (w[wr + d] as number);
            }
          }
        }
      }
    }
  }
  return out;
}

/** 2×2 stride-2 'VALID' average pooling of NHWC. */
export function avgPool2(x: Mat, n: number, h: number, w: number, c: number): Mat {
  const oh = Math.floor(h / 2);
  const ow = Math.floor(w / 2);
  const y = new Float64Array(n * oh * ow * c);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let d = 0; d < c; d++) {
          let s = 0;
          for (let di = 0; di < 2; di++)
            for (let dj = 0; dj < 2; dj++) s += x[((b * h + 2 * i + di) * w + 2 * j + dj) * c + d] as number;
          y[((b * oh + i) * ow + j) * c + d] = s / 4;
        }
  return y;
}

/** 'VALID' transposed convolution (scatter form): filter [k, k, co, ci], output (h−1)·s + k. */
export function conv2dTransposeValid(
  x: Mat,
  w: Mat,
  n: number,
  h: number,
  wd: number,
  ci: number,
  co: number,
  k: number,
  s: number,
): Mat {
  const oh = (h - 1) * s + k;
  const ow = (wd - 1) * s + k;
  const y = new Float64Array(n * oh * ow * co);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < wd; j++)
        for (let c = 0; c < ci; c++) {
          const xv = x[((b * h + i) * wd + j) * ci + c] as number;
          for (let p = 0; p < k; p++)
            for (let q = 0; q < k; q++) {
              const o = ((b * oh + i * s + p) * ow + j * s + q) * co;
              const wb = (p * k + q) * co * ci;
              for (let d = 0; d < co; d++)
                y[o + d] = (y[o + d] as number) + xv * (w[wb + d * ci + c] as number);
            }
        }
  return y;
}

/** Mean of sparse_softmax_cross_entropy_with_logits over rows. */
export function sparseSoftmaxCrossEntropy(logits: Mat, labels: number[], c: number): number {
  let loss = 0;
  labels.forEach((label, i) => {
    let mx = -Infinity;
    for (let j = 0; j < c; j++) mx = Math.max(mx, logits[i * c + j] as number);
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp((logits[i * c + j] as number) - mx);
    loss += mx + Math.log(s) - (logits[i * c + label] as number);
  });
  return loss / labels.length;
}
