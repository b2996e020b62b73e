// AssemblyScript source of tensorgraph's WebAssembly SIMD kernels (float32, row-major).
// Compiled by scripts/build-wasm.js (`npm run build`) into build/wasm/kernels.wasm; the loader is
// ../index.ts. The file is AssemblyScript, not TypeScript: it has the `.as` extension so that tsc and
// eslint leave it alone, and the build copies it to a `.ts` name for asc.
//
// Every pointer is a byte offset into the (shared) linear memory owned by the JavaScript side; the module
// allocates nothing. Matrices are addressed through strides, so one routine serves all transposes:
// op(A)[i, p] is the f32 at a + 4 * (i * aRs + p * aCs), op(B)[p, j] at b + 4 * (p * bRs + j * bCs).

// Register block of the micro-kernel: MR rows of C by NR columns (two f32x4 vectors), i.e. 8 vector
// accumulators + 3 operands, which V8 keeps in the 16 x86-64 vector registers (6 × 8 spills and runs at half speed).
const MR: i32 = 4;
const NR: i32 = 8;
// Cache blocks (GotoBLAS): a KC-deep slice of op(B), NC columns wide, is packed once and reused by every
// MC-row block of op(A).
const MC: i32 = 96;
const KC: i32 = 256;
const NC: i32 = 2048;

/** Bytes of scratch one matmul call needs (packed A block, packed B block, one spill tile). */
export function matmulScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/**
 * C[m × n] (row stride ldc, in floats) = op(A) · op(B), or C += op(A) · op(B) when `accumulate` is 1.
 * `scratch` must hold matmulScratchBytes() bytes private to this call.
 */
export function matmul(
  a: usize, b: usize, c: usize,
  m: i32, k: i32, n: i32,
  aRs: i32, aCs: i32, bRs: i32, bCs: i32, ldc: i32,
  scratch: usize, accumulate: i32,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (accumulate == 0) for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>n << 2);
    return;
  }
  const packA = scratch;
  const packB = scratch + (<usize>(MC * KC) << 2);
  const tile = packB + (<usize>(KC * NC) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packPanelsB(b + (<usize>(pc * bRs + jc * bCs) << 2), bRs, bCs, kc, nc, packB);
      const acc = accumulate != 0 || pc != 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packPanelsA(a + (<usize>(ic * aRs + pc * aCs) << 2), aRs, aCs, mc, kc, packA);
        macroKernel(packA, packB, c + (<usize>(ic * ldc + jc) << 2), ldc, mc, nc, kc, acc, tile);
      }
    }
  }
}

/**
 * One thread's share of a parallel matmul (same operands as `matmul`): the output is cut into `tiles`
 * slices of `tileSize` columns (byCols = 1) or rows, and every participating thread (caller and workers,
 * each with its own scratch) claims the next unclaimed slice from the shared counter at `counter` until
 * none is left. Dynamic claiming keeps all threads busy even when one is descheduled by the OS.
 */
export function matmulTiles(
  a: usize, b: usize, c: usize,
  m: i32, k: i32, n: i32,
  aRs: i32, aCs: i32, bRs: i32, bCs: i32, ldc: i32,
  scratch: usize, counter: usize, tiles: i32, tileSize: i32, byCols: i32,
): void {
  for (;;) {
    const t = atomic.add<i32>(counter, 1);
    if (t >= tiles) return;
    const s = t * tileSize;
    if (byCols != 0) {
      const w = min(tileSize, n - s);
      matmul(a, b + (<usize>(s * bCs) << 2), c + (<usize>s << 2), m, k, w, aRs, aCs, bRs, bCs, ldc, scratch, 0);
    } else {
      const h = min(tileSize, m - s);
      matmul(a + (<usize>(s * aRs) << 2), b, c + (<usize>(s * ldc) << 2), h, k, n, aRs, aCs, bRs, bCs, ldc, scratch, 0);
    }
  }
}

/** Packs op(B)[0..kc, 0..nc) as NR-wide column panels: panel q holds rows p at dst + ((q*kc + p)*NR) floats. */
function packPanelsB(src: usize, rs: i32, cs: i32, kc: i32, nc: i32, dst: usize): void {
  let d = dst;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = min(NR, nc - j0);
    if (w == NR && cs == 1) {
      let s = src + (<usize>j0 << 2);
      const step = <usize>rs << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        s += step;
        d += NR << 2;
      }
    } else if (w == NR && rs == 1) {
      // B transposed: column j of op(B) is contiguous; gather 8 columns per depth step.
      const cstep = <usize>cs << 2;
      let s = src + <usize>(j0 * cs) * 4;
      for (let p = 0; p < kc; p++) {
        let q = s;
        for (let jj = 0; jj < NR; jj++) {
          store<f32>(d + (<usize>jj << 2), load<f32>(q));
          q += cstep;
        }
        s += 4;
        d += NR << 2;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let jj = 0; jj < NR; jj++) {
          const v: f32 = jj < w ? load<f32>(src + (<usize>(p * rs + (j0 + jj) * cs) << 2)) : 0;
          store<f32>(d + (<usize>jj << 2), v);
        }
        d += NR << 2;
      }
    }
  }
}

/** Packs op(A)[0..mc, 0..kc) as MR-tall row panels: panel q holds depth p at dst + ((q*kc + p)*MR) floats. */
function packPanelsA(src: usize, rs: i32, cs: i32, mc: i32, kc: i32, dst: usize): void {
  let d = dst;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = min(MR, mc - i0);
    if (h == MR && cs == 1) {
      const r0 = src + (<usize>(i0 * rs) << 2);
      const rstep = <usize>rs << 2;
      const r1 = r0 + rstep;
      const r2 = r1 + rstep;
      const r3 = r2 + rstep;
      for (let p = 0; p < kc; p++) {
        const o = <usize>p << 2;
        store<f32>(d, load<f32>(r0 + o));
        store<f32>(d, load<f32>(r1 + o), 4);
        store<f32>(d, load<f32>(r2 + o), 8);
        store<f32>(d, load<f32>(r3 + o), 12);
        d += MR << 2;
      }
    } else if (h == MR && rs == 1) {
      // A transposed: the MR values of one depth step are contiguous.
      let s = src + (<usize>i0 << 2);
      const step = <usize>cs << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(s));
        s += step;
        d += MR << 2;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let ii = 0; ii < MR; ii++) {
          const v: f32 = ii < h ? load<f32>(src + (<usize>((i0 + ii) * rs + p * cs) << 2)) : 0;
          store<f32>(d + (<usize>ii << 2), v);
        }
        d += MR << 2;
      }
    }
  }
}

function macroKernel(
  ap: usize, bp: usize, c: usize, ldc: i32, mc: i32, nc: i32, kc: i32, acc: bool, tile: usize,
): void {
  const ldcb = <usize>ldc << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const bPanel = bp + (<usize>(jr * kc) << 2);
    const nw = min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      const aPanel = ap + (<usize>(ir * kc) << 2);
      const mw = min(MR, mc - ir);
      const cTile = c + <usize>ir * ldcb + (<usize>jr << 2);
      if (mw == MR && nw == NR) {
        micro4x8(aPanel, bPanel, kc, cTile, ldcb, acc);
      } else {
        micro4x8(aPanel, bPanel, kc, tile, NR << 2, false);
        for (let ii = 0; ii < mw; ii++) {
          const row = cTile + <usize>ii * ldcb;
          const trow = tile + (<usize>(ii * NR) << 2);
          for (let jj = 0; jj < nw; jj++) {
            const o = <usize>jj << 2;
            const v = load<f32>(trow + o);
            store<f32>(row + o, acc ? load<f32>(row + o) + v : v);
          }
        }
      }
    }
  }
}

/**
 * a·b + c per lane: one fused multiply-add where the engine has relaxed SIMD (the build makes a second
 * module with it: build/wasm/kernels-relaxed.wasm), else a multiply and an add. Resolved at compile time.
 */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** C tile [4 × 8] (row stride ldcb bytes) (+)= A panel (4-interleaved) · B panel (8-interleaved), depth kc. */
// @ts-ignore: decorator
@inline
function micro4x8(ap: usize, bp: usize, kc: i32, c: usize, ldcb: usize, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let pa = ap;
  let pb = bp;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += MR << 2;
    pb += NR << 2;
  }
  let r = c;
  if (acc) {
    v128.store(r, f32x4.add(v128.load(r), c00)); v128.store(r, f32x4.add(v128.load(r, 16), c01), 16); r += ldcb;
    v128.store(r, f32x4.add(v128.load(r), c10)); v128.store(r, f32x4.add(v128.load(r, 16), c11), 16); r += ldcb;
    v128.store(r, f32x4.add(v128.load(r), c20)); v128.store(r, f32x4.add(v128.load(r, 16), c21), 16); r += ldcb;
    v128.store(r, f32x4.add(v128.load(r), c30)); v128.store(r, f32x4.add(v128.load(r, 16), c31), 16);
  } else {
    v128.store(r, c00); v128.store(r, c01, 16); r += ldcb;
    v128.store(r, c10); v128.store(r, c11, 16); r += ldcb;
    v128.store(r, c20); v128.store(r, c21, 16); r += ldcb;
    v128.store(r, c30); v128.store(r, c31, 16);
  }
}

// ---------------------------------------------------------------------------------------------------
// im2col / col2im for NHWC convolutions (geometry as in src/backends/cpu/linalg/conv.ts): patch row
// r = (b*outH + oh)*outW + ow, column (kh*fW + kw)*inC + ic.

/** cols[(r - r0) * fW*fH*inC + col] = patch rows r0..r1 of x (zeros in the padding). */
export function im2col(
  x: usize, cols: usize,
  inH: i32, inW: i32, inC: i32, fH: i32, fW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, r0: i32, r1: i32,
): void {
  const rowBytes = <usize>(fW * inC) << 2;
  const cellBytes = <usize>inC << 2;
  let d = cols;
  for (let r = r0; r < r1; r++) {
    const ow = r % outW;
    const t = r / outW;
    const oh = t % outH;
    const b = t / outH;
    const ih0 = oh * strideH - padTop;
    const iw0 = ow * strideW - padLeft;
    const inside = iw0 >= 0 && iw0 + fW <= inW;
    for (let kh = 0; kh < fH; kh++) {
      const ih = ih0 + kh;
      if (ih < 0 || ih >= inH) {
        memory.fill(d, 0, rowBytes);
      } else {
        const base = x + (<usize>((b * inH + ih) * inW) * cellBytes);
        if (inside) {
          memory.copy(d, base + <usize>iw0 * cellBytes, rowBytes);
        } else {
          for (let kw = 0; kw < fW; kw++) {
            const iw = iw0 + kw;
            const dst = d + <usize>kw * cellBytes;
            if (iw < 0 || iw >= inW) memory.fill(dst, 0, cellBytes);
            else memory.copy(dst, base + <usize>iw * cellBytes, cellBytes);
          }
        }
      }
      d += rowBytes;
    }
  }
}

/** dx += the patch rows r0..r1 held in cols (the adjoint of im2col; padding cells are dropped). */
export function col2imAdd(
  cols: usize, dx: usize,
  inH: i32, inW: i32, inC: i32, fH: i32, fW: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, padTop: i32, padLeft: i32, r0: i32, r1: i32,
): void {
  const rowBytes = <usize>(fW * inC) << 2;
  const cellBytes = <usize>inC << 2;
  let d = cols;
  for (let r = r0; r < r1; r++) {
    const ow = r % outW;
    const t = r / outW;
    const oh = t % outH;
    const b = t / outH;
    const ih0 = oh * strideH - padTop;
    const iw0 = ow * strideW - padLeft;
    const kw0 = max(0, -iw0);
    const kw1 = min(fW, inW - iw0);
    for (let kh = 0; kh < fH; kh++) {
      const ih = ih0 + kh;
      if (ih >= 0 && ih < inH && kw1 > kw0) {
        const dst = dx + (<usize>((b * inH + ih) * inW + iw0 + kw0) * cellBytes);
        addInto(dst, d + <usize>kw0 * cellBytes, (kw1 - kw0) * inC);
      }
      d += rowBytes;
    }
  }
}

/** dst[0..len) += src[0..len) (f32). */
function addInto(dst: usize, src: usize, len: i32): void {
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}
