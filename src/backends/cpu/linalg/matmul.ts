/**
 * Dependency-free, cache-blocked CPU matrix multiplication on typed arrays.
 *
 * Layouts are row-major. The implementation follows the classic GotoBLAS scheme: op(B) is packed
 * in blocks of KC×NC into NR-wide column panels, op(A) in blocks of MC×KC into MR-tall row panels
 * (both as Float64Array scratch, so the hot loop is monomorphic and unit-stride), and a 4×4
 * register-blocked micro-kernel accumulates each output tile in locals.
 */

/** The typed-array kinds every kernel accepts; outputs are written into caller-provided arrays. */
export type FloatArray = Float32Array | Float64Array;

const MR = 4;
const NR = 4;
const MC = 64;
const KC = 256;
const NC = 512;

/** Below this many multiply-adds the packing overhead is not worth it; a direct loop is used. */
const SMALL_WORK = 4096;

/** Grow-only pack buffers shared by all calls (kernels never re-enter, so sharing is safe). */
let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);
const tileBuf = new Float64Array(MR * NR);
let rowBuf = new Float64Array(64);

function checkDims(m: number, k: number, n: number): void {
  if (!(isDim(m) && isDim(k) && isDim(n))) {
    throw new RangeError(`matmul: invalid dimensions ${m}, ${k}, ${n}`);
  }
}

function isDim(d: number): boolean {
  return Number.isInteger(d) && d >= 0;
}

function checkLength(what: string, arr: FloatArray, offset: number, size: number): void {
  if (offset < 0 || offset + size > arr.length) {
    throw new RangeError(`matmul: ${what} needs ${size} elements at offset ${offset}, has ${arr.length}`);
  }
}

/**
 * out[m×n] = op(A)[m×k] · op(B)[k×n] (row-major), overwriting out[outOffset .. outOffset + m*n).
 *
 * A is stored row-major as [m, k], or as [k, m] when transposeA (op(A) = Aᵀ), starting at aOffset.
 * B is stored row-major as [k, n], or as [n, k] when transposeB (op(B) = Bᵀ), starting at bOffset.
 * `out` must not alias `a` or `b`. Sums are accumulated in float64 over each 256-deep slice of k;
 * for larger k the slices are added up in `out` (so in float32 when `out` is a Float32Array).
 */
export function matmul(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
  aOffset = 0,
  bOffset = 0,
  outOffset = 0,
): void {
  checkDims(m, k, n);
  checkLength('a', a, aOffset, m * k);
  checkLength('b', b, bOffset, k * n);
  checkLength('out', out, outOffset, m * n);
  if (m === 0 || n === 0) return;
  if (k === 0) {
    out.fill(0, outOffset, outOffset + m * n);
    return;
  }
  // op(A)[i, p] = a[aOffset + i*aRs + p*aCs] and op(B)[p, j] = b[bOffset + p*bRs + j*bCs].
  const aRs = transposeA ? 1 : k;
  const aCs = transposeA ? m : 1;
  const bRs = transposeB ? 1 : n;
  const bCs = transposeB ? k : 1;
  if (m * k * n <= SMALL_WORK || m < 2 || n < 2) {
    smallMatmul(a, b, out, m, k, n, aRs, aCs, bRs, bCs, aOffset, bOffset, outOffset);
    return;
  }
  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, roundUp(n, NR));
  if (packB.length < kcMax * ncMax) packB = new Float64Array(kcMax * ncMax);
  if (packA.length < kcMax * MC) packA = new Float64Array(kcMax * MC);
  const ap = packA;
  const bp = packB;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanels(b, bOffset + pc * bRs + jc * bCs, bCs, bRs, nc, kc, NR, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanels(a, aOffset + ic * aRs + pc * aCs, aRs, aCs, mc, kc, MR, ap);
        macroKernel(ap, bp, out, outOffset + ic * n + jc, n, mc, nc, kc, pc !== 0);
      }
    }
  }
}

function roundUp(x: number, r: number): number {
  return Math.ceil(x / r) * r;
}

/**
 * Packs a `rows`×`depth` sub-matrix (element (r, p) at src[off + r*rs + p*ps]) into `dst` as
 * consecutive panels of `w` rows: dst[(panel*depth + p)*w + rr], zero-padding the last panel.
 */
function packPanels(
  src: FloatArray,
  off: number,
  rs: number,
  ps: number,
  rows: number,
  depth: number,
  w: number,
  dst: Float64Array,
): void {
  let d = 0;
  for (let r0 = 0; r0 < rows; r0 += w) {
    const rw = Math.min(w, rows - r0);
    if (rw === 4 && ps === 1) {
      const s0 = off + r0 * rs;
      const s1 = s0 + rs;
      const s2 = s1 + rs;
      const s3 = s2 + rs;
      for (let p = 0; p < depth; p++) {
        dst[d] = src[s0 + p]!;
        dst[d + 1] = src[s1 + p]!;
        dst[d + 2] = src[s2 + p]!;
        dst[d + 3] = src[s3 + p]!;
        d += 4;
      }
    } else if (rw === 4 && rs === 1) {
      let s = off + r0;
      for (let p = 0; p < depth; p++) {
        dst[d] = src[s]!;
        dst[d + 1] = src[s + 1]!;
        dst[d + 2] = src[s + 2]!;
        dst[d + 3] = src[s + 3]!;
        d += 4;
        s += ps;
      }
    } else {
      for (let p = 0; p < depth; p++) {
        const s = off + r0 * rs + p * ps;
        for (let rr = 0; rr < w; rr++) dst[d + rr] = rr < rw ? src[s + rr * rs]! : 0;
        d += w;
      }
    }
  }
}

/**
 * C[mc×nc] (row stride ldc, starting at cOff) = (accumulate ? C : 0) + Ap · Bp, where Ap holds MR-row
 * panels and Bp holds NR-column panels of depth kc.
 */
function macroKernel(
  ap: Float64Array,
  bp: Float64Array,
  c: FloatArray,
  cOff: number,
  ldc: number,
  mc: number,
  nc: number,
  kc: number,
  accumulate: boolean,
): void {
  const tile = tileBuf;
  for (let jr = 0; jr < nc; jr += NR) {
    const bBase = jr * kc;
    const nw = Math.min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      microKernel(ap, ir * kc, bp, bBase, kc, tile);
      const mw = Math.min(MR, mc - ir);
      const o = cOff + ir * ldc + jr;
      for (let ii = 0; ii < mw; ii++) {
        const oi = o + ii * ldc;
        for (let jj = 0; jj < nw; jj++) {
          const v = tile[ii * NR + jj]!;
          c[oi + jj] = accumulate ? c[oi + jj]! + v : v;
        }
      }
    }
  }
}

/**
 * tile[4×4] = Ap panel (rows ai.., depth kc, MR-interleaved) · Bp panel (cols bi.., NR-interleaved),
 * accumulated in 16 locals. Monomorphic (Float64Array only) so it stays optimised for every dtype.
 */
// prettier-ignore
function microKernel(ap: Float64Array, ai: number, bp: Float64Array, bi: number, kc: number, tile: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = ap[ai]!;
    const a1 = ap[ai + 1]!;
    const a2 = ap[ai + 2]!;
    const a3 = ap[ai + 3]!;
    const b0 = bp[bi]!;
    const b1 = bp[bi + 1]!;
    const b2 = bp[bi + 2]!;
    const b3 = bp[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ai += MR;
    bi += NR;
  }
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
}

/**
 * Direct loops for tiny products and matrix-vector shapes (m or n below 2): i-p-j with a float64 row
 * accumulator when op(B) rows are unit-stride, otherwise unit-stride dot products (B transposed).
 */
function smallMatmul(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  m: number,
  k: number,
  n: number,
  aRs: number,
  aCs: number,
  bRs: number,
  bCs: number,
  aOff: number,
  bOff: number,
  oOff: number,
): void {
  if (bCs === 1 && n > 1) {
    if (rowBuf.length < n) rowBuf = new Float64Array(n);
    const acc = rowBuf;
    for (let i = 0; i < m; i++) {
      acc.fill(0, 0, n);
      for (let p = 0; p < k; p++) {
        const av = a[aOff + i * aRs + p * aCs]!;
        const bi = bOff + p * bRs;
        for (let j = 0; j < n; j++) acc[j] = acc[j]! + av * b[bi + j]!;
      }
      const o = oOff + i * n;
      for (let j = 0; j < n; j++) out[o + j] = acc[j]!;
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let ai = aOff + i * aRs;
      let bi = bOff + j * bCs;
      for (let p = 0; p < k; p++) {
        s += a[ai]! * b[bi]!;
        ai += aCs;
        bi += bRs;
      }
      out[oOff + i * n + j] = s;
    }
  }
}

/** Numpy-style broadcast of two batch shapes (aligned on the right; each pair equal or one of them 1). */
export function broadcastBatchShape(batchA: readonly number[], batchB: readonly number[]): number[] {
  const rank = Math.max(batchA.length, batchB.length);
  const res: number[] = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = batchA[batchA.length - rank + i] ?? 1;
    const db = batchB[batchB.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`batchMatmul: batch shapes [${batchA}] and [${batchB}] are not broadcastable`);
    }
    res[i] = da === 1 ? db : da;
  }
  return res;
}

/**
 * Batched matmul: out[...batch, m, n] = op(A[...batchA]) · op(B[...batchB]) for every index of
 * batch = broadcast(batchA, batchB) (numpy rules). A is [...batchA, m, k] (or [..., k, m] when
 * transposeA), B is [...batchB, k, n] (or [..., n, k] when transposeB), all contiguous row-major.
 */
export function batchMatmul(
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  batchA: number[],
  batchB: number[],
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
): void {
  checkDims(m, k, n);
  const batch = broadcastBatchShape(batchA, batchB);
  const total = batch.reduce((x, y) => x * y, 1);
  const [sizeA, sizeB, sizeOut] = [m * k, k * n, m * n];
  const countA = batchA.reduce((x, y) => x * y, 1);
  const countB = batchB.reduce((x, y) => x * y, 1);
  // A shared B with a non-transposed A folds the batch into the rows: one big product.
  if (countB === 1 && !transposeA && countA === total) {
    matmul(a, b, out, total * m, k, n, false, transposeB);
    return;
  }
  forEachBatchPair(batchA, batchB, batch, (t, ia, ib) =>
    matmul(a, b, out, m, k, n, transposeA, transposeB, ia * sizeA, ib * sizeB, t * sizeOut),
  );
}

/**
 * Calls `fn(t, ia, ib)` for every output batch index t of `batch` (= broadcast(batchA, batchB)), with
 * the matrix index in A and in B that it reads (numpy broadcasting of the batch dims).
 */
export function forEachBatchPair(
  batchA: readonly number[],
  batchB: readonly number[],
  batch: readonly number[],
  fn: (t: number, ia: number, ib: number) => void,
): void {
  const rank = batch.length;
  const total = batch.reduce((x, y) => x * y, 1);
  // Matrix strides of each broadcast batch dim in A and B (0 where that side is broadcast).
  const strideA: number[] = [];
  const strideB: number[] = [];
  for (let i = rank - 1, sa = 1, sb = 1; i >= 0; i--) {
    const da = batchA[batchA.length - rank + i] ?? 1;
    const db = batchB[batchB.length - rank + i] ?? 1;
    strideA[i] = da === 1 ? 0 : sa;
    strideB[i] = db === 1 ? 0 : sb;
    sa *= da;
    sb *= db;
  }
  for (let t = 0; t < total; t++) {
    let rem = t;
    let ia = 0;
    let ib = 0;
    for (let d = rank - 1; d >= 0; d--) {
      const i = rem % batch[d]!;
      rem = (rem - i) / batch[d]!;
      ia += i * strideA[d]!;
      ib += i * strideB[d]!;
    }
    fn(t, ia, ib);
  }
}
