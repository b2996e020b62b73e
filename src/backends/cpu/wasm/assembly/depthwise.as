// AssemblyScript source of tensorgraph's WebAssembly SIMD depthwise convolution (float32, NHWC input,
// [fH, fW, C, 1] filter: channel multiplier 1, the form of MobileNet / BlazeFace layers). Compiled by
// scripts/build-wasm.js into build/wasm/depthwise.wasm; the loader is ../depthwise.ts. Geometry as in
// src/backends/cpu/linalg/depthwise.ts (the TS kernel stays the reference and serves multipliers > 1).
//
// Every pointer is a byte offset into the linear memory owned by the JavaScript side; nothing is
// allocated. For each output pixel the channels are walked in blocks of 16, 8 and 4 (f32x4 accumulators
// held in registers across all taps), then one at a time; taps outside the input are skipped by clipping
// the tap ranges per output row and column.

/** out[b, oh, ow, c] = Σ_{kh,kw} x[b, oh·sH − padTop + kh·dH, ow·sW − padLeft + kw·dW, c] · f[kh, kw, c]. */
export function depthwiseForward(
  x: usize, f: usize, out: usize,
  batch: i32, inH: i32, inW: i32, C: i32, fH: i32, fW: i32,
  strideH: i32, strideW: i32, dilH: i32, dilW: i32,
  outH: i32, outW: i32, padTop: i32, padLeft: i32,
): void {
  const cell = <usize>C << 2; // bytes of one pixel (and one filter tap)
  const xRow = <usize>inW * cell;
  const xStepW = <usize>dilW * cell;
  const xStepH = <usize>dilH * xRow;
  const fRow = <usize>fW * cell;
  let o = out;
  for (let b = 0; b < batch; b++) {
    const xImg = x + <usize>(b * inH) * xRow;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * strideH - padTop;
      let kh0 = 0;
      if (ih0 < 0) kh0 = (-ih0 + dilH - 1) / dilH;
      let kh1 = fH;
      const lastH = inH - 1 - ih0;
      if (lastH < 0) kh1 = 0;
      else kh1 = min(fH, lastH / dilH + 1);
      if (kh0 > kh1) kh0 = kh1;
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * strideW - padLeft;
        let kw0 = 0;
        if (iw0 < 0) kw0 = (-iw0 + dilW - 1) / dilW;
        let kw1 = fW;
        const lastW = inW - 1 - iw0;
        if (lastW < 0) kw1 = 0;
        else kw1 = min(fW, lastW / dilW + 1);
        if (kw0 > kw1) kw0 = kw1;
        // Address of the first tap (kh0, kw0) in x and in f.
        const xs = xImg + <usize>(ih0 + kh0 * dilH) * xRow + <usize>(iw0 + kw0 * dilW) * cell;
        const fs = f + <usize>kh0 * fRow + <usize>kw0 * cell;
        const nh = kh1 - kh0;
        const nw = kw1 - kw0;
        let c: i32 = 0;
        for (; c + 16 <= C; c += 16) {
          const cb = <usize>c << 2;
          let a0 = f32x4.splat(0);
          let a1 = f32x4.splat(0);
          let a2 = f32x4.splat(0);
          let a3 = f32x4.splat(0);
          let xr = xs + cb;
          let fr = fs + cb;
          for (let i = 0; i < nh; i++) {
            let xp = xr;
            let fp = fr;
            for (let j = 0; j < nw; j++) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load(xp), v128.load(fp)));
              a1 = f32x4.add(a1, f32x4.mul(v128.load(xp, 16), v128.load(fp, 16)));
              a2 = f32x4.add(a2, f32x4.mul(v128.load(xp, 32), v128.load(fp, 32)));
              a3 = f32x4.add(a3, f32x4.mul(v128.load(xp, 48), v128.load(fp, 48)));
              xp += xStepW;
              fp += cell;
            }
            xr += xStepH;
            fr += fRow;
          }
          v128.store(o + cb, a0);
          v128.store(o + cb, a1, 16);
          v128.store(o + cb, a2, 32);
          v128.store(o + cb, a3, 48);
        }
        for (; c + 4 <= C; c += 4) {
          const cb = <usize>c << 2;
          let a0 = f32x4.splat(0);
          let xr = xs + cb;
          let fr = fs + cb;
          for (let i = 0; i < nh; i++) {
            let xp = xr;
            let fp = fr;
            for (let j = 0; j < nw; j++) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load(xp), v128.load(fp)));
              xp += xStepW;
              fp += cell;
            }
            xr += xStepH;
            fr += fRow;
          }
          v128.store(o + cb, a0);
        }
        for (; c < C; c++) {
          const cb = <usize>c << 2;
          let s: f32 = 0;
          let xr = xs + cb;
          let fr = fs + cb;
          for (let i = 0; i < nh; i++) {
            let xp = xr;
            let fp = fr;
            for (let j = 0; j < nw; j++) {
              s += load<f32>(xp) * load<f32>(fp);
              xp += xStepW;
              fp += cell;
            }
            xr += xStepH;
            fr += fRow;
          }
          store<f32>(o + cb, s);
        }
        o += cell;
      }
    }
  }
}
