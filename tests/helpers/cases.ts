import * as tf from '../../src';
import { NDArray, NestedArray } from '../../src';
import { checkGradient, float64Session, GradCheckOptions } from './gradcheck';

/**
 * One row of an op case table (DESIGN.md "Tests"): inputs, the graph to build, a float64 reference, the
 * expected static shape, and whether to check the gradient numerically. The same tables run on every
 * backend (tests/backends) and feed the coverage test (tests/ops/coverage.test.ts).
 */
export interface OpCase {
  /** Unique label, e.g. 'Add broadcast [2,3]+[3]'. */
  name: string;
  /** Primitive op types this case exercises (for the coverage test). */
  ops: string[];
  /** Input values (float32 inputs are float64-backed for the reference and gradient checks). */
  inputs: NDArray[];
  build: (...xs: tf.Tensor[]) => tf.Tensor;
  /** Float64 reference of the forward result. */
  reference: (...xs: NDArray[]) => NestedArray | NDArray;
  /** Static output shape expected from shape inference with fully known input shapes. */
  shape?: (number | null)[];
  /** Numeric gradient check: true (default for float outputs), false, or options. */
  grad?: boolean | GradCheckOptions;
  /** Tolerance of the float32 backends against the reference (default 1e-4 relative). */
  tolerance?: number;
}

export function caseGradChecked(c: OpCase): boolean {
  return c.grad !== false;
}

/** Runs `c` on a session built by `makeSession` and returns the result. */
export function runCase(c: OpCase, makeSession: (g: tf.Graph) => tf.Session): NDArray {
  const g = new tf.Graph();
  return g.asDefault(() => {
    const xs = c.inputs.map((v, i) => tf.placeholder(v.dtype, v.shape, `x${i}`));
    const y = c.build(...xs);
    const sess = makeSession(g);
    return sess.run(y, new Map<tf.Tensor, NDArray>(xs.map((x, i) => [x, c.inputs[i] as NDArray])));
  });
}

/** Asserts `actual` matches `expected` elementwise within a relative tolerance. */
export function expectClose(actual: NDArray, expected: NestedArray | NDArray, tol: number, label = ''): void {
  const exp =
    expected instanceof NDArray ? expected : tf.ndarray(expected as NestedArray, undefined, actual.dtype);
  expect(actual.shape).toEqual(exp.shape);
  for (let i = 0; i < actual.data.length; i++) {
    const a = actual.data[i] as number;
    const e = exp.data[i] as number;
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a)).toBe(true);
      continue;
    }
    if (!Number.isFinite(e)) {
      expect(a).toBe(e);
      continue;
    }
    if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
      throw new Error(`${label} element ${i}: got ${a}, expected ${e} (tolerance ${tol})`);
    }
  }
}

/** Registers jest tests for a case table: shape inference, float64 and float32 forward, gradients. */
export function describeCases(title: string, cases: OpCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      describe(c.name, () => {
        if (c.shape) {
          test('static shape', () => {
            const g = new tf.Graph();
            g.asDefault(() => {
              const xs = c.inputs.map((v, i) => tf.placeholder(v.dtype, v.shape, `x${i}`));
              expect(c.build(...xs).shape).toEqual(c.shape);
            });
          });
        }
        test('forward (float64 reference)', () => {
          expectClose(runCase(c, float64Session), c.reference(...c.inputs), 1e-9, c.name);
        });
        test('forward (float32 CPU)', () => {
          expectClose(
            runCase(c, (g) => new tf.Session({ graph: g })),
            c.reference(...c.inputs),
            c.tolerance ?? 1e-4,
            c.name,
          );
        });
        if (caseGradChecked(c)) {
          test('gradient (central differences)', () => {
            checkGradient(c.build, c.inputs, typeof c.grad === 'object' ? c.grad : {});
          });
        }
      });
    }
  });
}

/** Builds a float64-backed float32 NDArray from nested arrays. */
export function f64(value: NestedArray): NDArray {
  const shape = tf.ndarray(value).shape;
  const flat = (Array.isArray(value) ? (value as unknown[]).flat(Infinity) : [value]) as (number | boolean)[];
  return new NDArray(Float64Array.from(flat, Number), shape, 'float32');
}

/** Applies `fn` elementwise (with broadcasting) to float64 NDArrays: the reference for formula ops. */
export function refElementwise(fn: (...v: number[]) => number | boolean, ...xs: NDArray[]): NDArray {
  const rank = Math.max(...xs.map((x) => x.shape.length));
  const shapes = xs.map((x) => [...new Array<number>(rank - x.shape.length).fill(1), ...x.shape]);
  const out = new Array<number>(rank).fill(1).map((_d, i) => Math.max(...shapes.map((s) => s[i] as number)));
  const n = out.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let rem = i;
    const idx = new Array<number>(rank);
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax] = rem % (out[ax] as number);
      rem = Math.floor(rem / (out[ax] as number));
    }
    const args = xs.map((x, k) => {
      const s = shapes[k] as number[];
      let off = 0;
      for (let ax = 0; ax < rank; ax++)
        off = off * (s[ax] as number) + ((s[ax] as number) === 1 ? 0 : (idx[ax] as number));
      return x.data[off] as number;
    });
    const v = fn(...args);
    data[i] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  return new NDArray(data, out, 'float32');
}
