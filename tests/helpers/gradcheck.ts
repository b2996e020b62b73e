import * as tf from '../../src';
import { NDArray } from '../../src';

/**
 * Numeric gradient check (DESIGN.md): for y = f(x1..xn), compares the symbolic directional derivative
 * `Σ <Jᵢᵀ·u, vᵢ>` (tf.gradients seeded with a random projection u) with central finite differences of
 * `<u, f(x + h·v)>`, all in float64 on the CPU backend.
 */
export interface GradCheckOptions {
  /** Finite-difference step (default 1e-5). */
  step?: number;
  /** Allowed relative error (default 1e-6). */
  tolerance?: number;
  /** Indices of inputs to differentiate (default: all float32 inputs). */
  wrt?: number[];
  seed?: number;
}

export function float64Session(graph: tf.Graph): tf.Session {
  return new tf.Session({ graph, backend: tf.createCpuBackend({ float64: true }) });
}

/** Random float64 values (uniform in [lo, hi)) as a float32 NDArray backed by a Float64Array. */
export function randomArray(shape: number[], seed: number, lo = -1, hi = 1): NDArray {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[i] = lo + ((s >>> 0) / 4294967296) * (hi - lo);
  }
  return new NDArray(data, shape, 'float32');
}

function asFloat64(a: NDArray): NDArray {
  if (a.dtype !== 'float32' || a.data instanceof Float64Array) return a;
  return new NDArray(Float64Array.from(a.data), a.shape, 'float32');
}

function dot(a: NDArray, b: NDArray): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] as number) * (b.data[i] as number);
  return s;
}

/**
 * Checks the gradient of `build(...inputs)` at `values`. Returns the two directional derivatives so a
 * test can also print them; throws (fails the test) when they disagree.
 */
export function checkGradient(
  build: (...inputs: tf.Tensor[]) => tf.Tensor,
  values: NDArray[],
  options: GradCheckOptions = {},
): { symbolic: number; numeric: number } {
  const graph = new tf.Graph();
  const vals = values.map(asFloat64);
  return graph.asDefault(() => {
    const xs = vals.map((v, i) => tf.placeholder(v.dtype, v.shape, `x${i}`));
    const y = build(...xs);
    const sess = float64Session(graph);
    const feed = (vs: NDArray[]) => new Map<tf.Tensor, NDArray>(xs.map((x, i) => [x, vs[i] as NDArray]));
    const y0 = sess.run(y, feed(vals));
    const u = randomArray(y0.shape, (options.seed ?? 7) + 1);
    const wrt = options.wrt ?? vals.map((v, i) => (v.dtype === 'float32' ? i : -1)).filter((i) => i >= 0);
    const dirs = vals.map((v, i) => randomArray(v.shape, (options.seed ?? 7) * 31 + i + 2));
    const grads = tf.gradients(
      y,
      wrt.map((i) => xs[i] as tf.Tensor),
      { gradYs: [tf.constant(u)] },
    );
    const fetched = grads.map((g) => (g ? sess.run(g, feed(vals)) : null));
    let symbolic = 0;
    wrt.forEach((xi, k) => {
      const g = fetched[k];
      if (g) {
        expect(g.shape).toEqual(vals[xi]?.shape);
        symbolic += dot(g, dirs[xi] as NDArray);
      }
    });
    const h = options.step ?? 1e-5;
    const shifted = (sign: number) =>
      vals.map((v, i) => {
        if (!wrt.includes(i)) return v;
        const d = dirs[i] as NDArray;
        return new NDArray(
          v.data.map((x, j) => x + sign * h * (d.data[j] as number)) as Float64Array,
          v.shape,
          v.dtype,
        );
      });
    const fPlus = dot(u, sess.run(y, feed(shifted(1))));
    const fMinus = dot(u, sess.run(y, feed(shifted(-1))));
    const numeric = (fPlus - fMinus) / (2 * h);
    const tol = options.tolerance ?? 1e-6;
    const scale = Math.max(1, Math.abs(numeric), Math.abs(symbolic));
    if (Math.abs(numeric - symbolic) > tol * scale) {
      throw new Error(`gradient check failed: symbolic ${symbolic} vs numeric ${numeric} (tolerance ${tol})`);
    }
    return { symbolic, numeric };
  });
}
