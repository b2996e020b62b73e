// Transpose on the CPU: axes are first simplified (size-1 axes dropped, axes that stay adjacent merged),
// then a cache-blocked 2-D (or batched 2-D) kernel or a general strided loop does the copy.
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf, stridesOf } from '../../../graph/shape';
import type { TypedArray } from '../../../graph/dtype';

const BLOCK = 32;

/** dst[c*rows + r] = src[r*cols + c] for a rows×cols matrix at the given offsets, in BLOCK×BLOCK tiles. */
function transpose2d(
  src: TypedArray,
  so: number,
  dst: TypedArray,
  dOff: number,
  rows: number,
  cols: number,
): void {
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = Math.min(r0 + BLOCK, rows);
    for (let c0 = 0; c0 < cols; c0 += BLOCK) {
      const c1 = Math.min(c0 + BLOCK, cols);
      for (let r = r0; r < r1; r++) {
        const srow = so + r * cols;
        for (let c = c0; c < c1; c++) dst[dOff + c * rows + r] = src[srow + c] as number;
      }
    }
  }
}

/** The smallest equivalent (shape, perm): size-1 axes removed, input axes that stay adjacent merged. */
export function simplifyPermutation(
  shape: readonly number[],
  perm: readonly number[],
): { shape: number[]; perm: number[] } {
  const kept = shape.flatMap((d, i) => (d === 1 ? [] : [i]));
  const renumber = new Map(kept.map((a, i) => [a, i]));
  const p = perm.filter((a) => renumber.has(a)).map((a) => renumber.get(a) as number);
  const dims = kept.map((a) => shape[a] as number);
  // Groups of input axes that appear consecutively in the output, in output order.
  const groups: number[][] = [];
  for (const a of p) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] === a - 1) last.push(a);
    else groups.push([a]);
  }
  const byInput = groups.slice().sort((g, h) => (g[0] as number) - (h[0] as number));
  const index = new Map(byInput.map((g, i) => [g, i]));
  return {
    shape: byInput.map((g) => g.reduce((n, a) => n * (dims[a] as number), 1)),
    perm: groups.map((g) => index.get(g) as number),
  };
}

/** Writes `src` (shape `shape`) transposed by `perm` into `dst`. */
export function transposeInto(
  src: TypedArray,
  shape: readonly number[],
  perm: readonly number[],
  dst: TypedArray,
): void {
  const { shape: s, perm: p } = simplifyPermutation(shape, perm);
  const rank = s.length;
  if (rank <= 1) {
    dst.set(src);
    return;
  }
  if (rank === 2) {
    transpose2d(src, 0, dst, 0, s[0] as number, s[1] as number);
    return;
  }
  if (rank === 3 && p[0] === 0 && p[1] === 2 && p[2] === 1) {
    const [b, m, n] = s as [number, number, number];
    for (let i = 0; i < b; i++) transpose2d(src, i * m * n, dst, i * m * n, m, n);
    return;
  }
  const inStrides = stridesOf(s);
  const outShape = p.map((a) => s[a] as number);
  const strides = p.map((a) => inStrides[a] as number);
  const last = rank - 1;
  const n = outShape[last] as number;
  const step = strides[last] as number;
  const idx = new Array<number>(rank).fill(0);
  const total = sizeOf(outShape);
  let off = 0;
  for (let o = 0; o < total; o += n) {
    for (let j = 0, k = off; j < n; j++, k += step) dst[o + j] = src[k] as number;
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax] = (idx[ax] as number) + 1;
      off += strides[ax] as number;
      if ((idx[ax] as number) < (outShape[ax] as number)) break;
      off -= (strides[ax] as number) * (outShape[ax] as number);
      idx[ax] = 0;
    }
  }
}

registerKernel('cpu', 'Transpose', ([x, perm], ctx) => {
  const v = x as NDArray;
  const out = ctx.outputs[0] as { shape: number[]; dtype: NDArray['dtype'] };
  const data = ctx.alloc(out.dtype, v.size);
  transposeInto(v.data, v.shape, Array.from((perm as NDArray).data), data);
  return [new NDArray(data, out.shape, out.dtype)];
});
