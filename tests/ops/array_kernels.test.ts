import * as tf from '../../src';
import { NDArray } from '../../src';
import { randomArray } from '../helpers/gradcheck';

/**
 * Sweeps of the CPU shape kernels against index-by-index references: every permutation of ranks 1–4
 * (with size-1 axes, which the kernel simplifies away), and numpy-semantics strided slices.
 */

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_v, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}
const strides = (shape: number[]): number[] =>
  shape.map((_d, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));

describe('Transpose kernel', () => {
  const shapes = [[5], [3, 7], [2, 1, 4], [3, 4, 5], [2, 3, 1, 5], [4, 1, 1, 3], [33, 2, 40]];
  const sess = new tf.Session();
  for (const shape of shapes) {
    test(`all permutations of [${shape.join(',')}]`, () => {
      const x = randomArray(shape, shape.length + 3);
      const xs = strides(shape);
      for (const perm of permutations(shape.length)) {
        const out = tf.getDefaultGraph().asDefault(() => sess.run(tf.transpose(tf.constant(x), perm)));
        const outShape = perm.map((p) => shape[p] as number);
        expect(out.shape).toEqual(outShape);
        const os = strides(outShape);
        for (let k = 0; k < out.size; k++) {
          let src = 0;
          perm.forEach(
            (p, i) =>
              (src += (Math.floor(k / (os[i] as number)) % (outShape[i] as number)) * (xs[p] as number)),
          );
          if (out.data[k] !== Math.fround(x.data[src] as number))
            throw new Error(`perm [${perm}] element ${k}`);
        }
      }
    });
  }
});

/** Python's slice(begin, end, step).indices(d), expanded: the selected indices of one axis. */
function pySlice(d: number, begin: number | undefined, end: number | undefined, step: number): number[] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const out: number[] = [];
  if (step > 0) {
    const b = begin === undefined ? 0 : clamp(begin < 0 ? begin + d : begin, 0, d);
    const e = end === undefined ? d : clamp(end < 0 ? end + d : end, 0, d);
    for (let i = b; i < e; i += step) out.push(i);
  } else {
    const b = begin === undefined ? d - 1 : clamp(begin < 0 ? begin + d : begin, -1, d - 1);
    const e = end === undefined ? -1 : clamp(end < 0 ? end + d : end, -1, d - 1);
    for (let i = b; i > e; i += step) out.push(i);
  }
  return out;
}

describe('StridedSlice against numpy slicing', () => {
  test('random begin/end/strides/masks on [6,5] and [4,3,5]', () => {
    let seed = 12345;
    const rnd = (lo: number, hi: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return lo + (seed % (hi - lo + 1));
    };
    const sess = new tf.Session();
    for (const shape of [
      [6, 5],
      [4, 3, 5],
    ]) {
      const x = randomArray(shape, 99);
      const xs = strides(shape);
      for (let trial = 0; trial < 150; trial++) {
        const rank = shape.length;
        const begin: number[] = [];
        const end: number[] = [];
        const step: number[] = [];
        let beginMask = 0;
        let endMask = 0;
        let shrinkMask = 0;
        const picks: number[][] = [];
        const outShape: number[] = [];
        shape.forEach((d, i) => {
          const shrink = rnd(0, 5) === 0;
          if (shrink) {
            const b = rnd(-d, d - 1);
            begin.push(b);
            end.push(b + 1);
            step.push(1);
            shrinkMask |= 1 << i;
            picks.push([b < 0 ? b + d : b]);
            return;
          }
          const s = [1, 2, 3, -1, -2][rnd(0, 4)] as number;
          const b = rnd(-d - 2, d + 2);
          const e = rnd(-d - 2, d + 2);
          const bm = rnd(0, 3) === 0;
          const em = rnd(0, 3) === 0;
          begin.push(b);
          end.push(e);
          step.push(s);
          if (bm) beginMask |= 1 << i;
          if (em) endMask |= 1 << i;
          const sel = pySlice(d, bm ? undefined : b, em ? undefined : e, s);
          picks.push(sel);
          outShape.push(sel.length);
        });
        const out = tf.getDefaultGraph().asDefault(() =>
          sess.run(
            tf.stridedSlice(tf.constant(x), begin, end, step, {
              beginMask,
              endMask,
              shrinkAxisMask: shrinkMask,
            }),
          ),
        );
        const label = `x${JSON.stringify(shape)}[${begin}:${end}:${step}] masks ${beginMask},${endMask},${shrinkMask}`;
        expect([label, out.shape]).toEqual([label, outShape]);
        const sizes = picks.map((p) => p.length);
        const ps = strides(sizes);
        for (let k = 0; k < out.size; k++) {
          let src = 0;
          for (let i = 0; i < rank; i++)
            src +=
              ((picks[i] as number[])[Math.floor(k / (ps[i] as number)) % (sizes[i] as number)] as number) *
              (xs[i] as number);
          if (out.data[k] !== Math.fround(x.data[src] as number)) throw new Error(`${label}: element ${k}`);
        }
      }
    }
  });

  test('ellipsis and new axes in the middle', () => {
    const x = randomArray([2, 3, 4, 5], 5);
    const out = new tf.Graph().asDefault(() =>
      // x[1, ..., tf.newaxis, ::-2]
      new tf.Session().run(
        tf.stridedSlice(tf.constant(x), [1, 0, 0, -1], [2, 0, 0, 0], [1, 1, 1, -2], {
          shrinkAxisMask: 1,
          ellipsisMask: 2,
          newAxisMask: 4,
          endMask: 8,
        }),
      ),
    );
    expect(out.shape).toEqual([3, 4, 1, 3]);
    const at = (a: NDArray, idx: number[]) =>
      a.data[idx.reduce((o, k, i) => o + k * (strides(a.shape)[i] as number), 0)] as number;
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 4; k++)
        for (let m = 0; m < 3; m++)
          expect(at(out, [j, k, 0, m])).toBe(Math.fround(at(x, [1, j, k, 4 - 2 * m])));
  });
});
