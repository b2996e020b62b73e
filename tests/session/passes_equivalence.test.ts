import * as tf from '../../src';
import { NDArray } from '../../src';
import { setPassesEnabled } from '../../src/session/passes';
import { OpCase } from '../helpers/cases';
import { arrayCases } from '../ops/cases/array';
import { controlCases } from '../ops/cases/control';
import { fillCases } from '../ops/cases/fill';
import { linalgCases } from '../ops/cases/linalg';
import { mathCases } from '../ops/cases/math';
import { nnCases } from '../ops/cases/nn';
import { reduceCases } from '../ops/cases/reduce';

/**
 * Property: the compile-time passes (no-op removal, constant folding, CSE, fusion) never change a
 * result. Every op case, on the CPU backend (float32), gives bitwise the same values with the passes on
 * and off — with its inputs fed (fusion applies) and with its inputs as constants (folding applies).
 */
const tables: [string, OpCase[]][] = [
  ['array', arrayCases],
  ['control', controlCases],
  ['fill', fillCases],
  ['linalg', linalgCases],
  ['math', mathCases],
  ['nn', nnCases],
  ['reduce', reduceCases],
];

/** The case's inputs rounded to float32 (TF1 values), so both forms see the same numbers. */
function f32Inputs(c: OpCase): NDArray[] {
  return c.inputs.map((v) =>
    v.dtype === 'float32'
      ? tf.ndarray(Float32Array.from(v.data as ArrayLike<number>), v.shape, 'float32')
      : v,
  );
}

function runOnce(c: OpCase, passes: boolean, asConstants: boolean): NDArray {
  setPassesEnabled(passes);
  try {
    const g = new tf.Graph();
    return g.asDefault(() => {
      const inputs = f32Inputs(c);
      const xs = inputs.map((v, i) =>
        asConstants ? tf.constant(v, null, null, `x${i}`) : tf.placeholder(v.dtype, v.shape, `x${i}`),
      );
      const y = c.build(...xs);
      const sess = new tf.Session({ graph: g });
      const feed = asConstants
        ? undefined
        : new Map<tf.Tensor, NDArray>(xs.map((x, i) => [x, inputs[i] as NDArray]));
      return sess.run(y, feed);
    });
  } finally {
    setPassesEnabled(true);
  }
}

function bits(a: NDArray): number[] {
  const out: number[] = [];
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (const x of a.data) {
    f[0] = x as number;
    out.push(a.dtype === 'float32' ? (u[0] as number) : (x as number));
  }
  return out;
}

describe.each(tables)('passes on = passes off (%s cases)', (_title, cases) => {
  for (const c of cases) {
    test.each([
      ['fed inputs', false],
      ['constant inputs', true],
    ])(`${c.name} (%s)`, (_label, asConstants) => {
      const on = runOnce(c, true, asConstants as boolean);
      const off = runOnce(c, false, asConstants as boolean);
      expect(on.dtype).toBe(off.dtype);
      expect(on.shape).toEqual(off.shape);
      expect(on.data.constructor).toBe(off.data.constructor);
      expect(bits(on)).toEqual(bits(off));
    });
  }
});

describe('constant folding computes in the op dtype', () => {
  test('tf.equal(c, c * 1) is true for c = 1.108 (float32), passes on and off', () => {
    for (const passes of [true, false]) {
      setPassesEnabled(passes);
      try {
        const g = new tf.Graph();
        g.asDefault(() => {
          const c = tf.constant(1.108);
          const sess = new tf.Session({ graph: g });
          expect(sess.run(tf.equal(c, tf.multiply(c, 1))).item()).toBe(true);
          // float32 arithmetic, rounded at each op: fround(fround(fround(1.108) * 3) + fround(0.1))
          const y = sess.run(tf.add(tf.multiply(c, 3), 0.1)).item();
          expect(y).toBe(Math.fround(Math.fround(Math.fround(1.108) * 3) + Math.fround(0.1)));
        });
      } finally {
        setPassesEnabled(true);
      }
    }
  });

  test('fused chains round each member op to float32 like the unfused kernels', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [3], 'x');
      const y = tf.add(tf.multiply(tf.multiply(x, 1.108), 3), 0.1);
      const sess = new tf.Session({ graph: g });
      expect(sess.plan(y, { x: [1, 2, 3] }).toString()).toMatch(/1 fused loops/);
      const got = sess.run(y, { x: [1, 2, 3] }).toArray() as number[];
      const f = Math.fround;
      expect(got).toEqual([1, 2, 3].map((v) => f(f(f(v * f(1.108)) * 3) + f(0.1))));
    });
  });
});
