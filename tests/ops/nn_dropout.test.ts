import * as tf from '../../src';
import { NDArray } from '../../src';

/** tf.nn.dropout: keep fraction, scaling, one mask per run shared by forward and gradient, seeding. */
const N = 10000;
const ones = (shape: number[]): NDArray =>
  tf.ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape);
const ramp = (n: number): NDArray =>
  tf.ndarray(
    Float32Array.from({ length: n }, (_v, i) => 1 + (i % 97)),
    [n],
  );

function setup(seed?: number) {
  const g = new tf.Graph();
  return g.asDefault(() => {
    const x = tf.placeholder('float32', [null], 'x');
    const keepProb = tf.placeholder('float32', [], 'keep_prob');
    const y = tf.nn.dropout(x, keepProb, seed === undefined ? undefined : { seed });
    const [dx] = tf.gradients(y, x);
    return { g, x, keepProb, y, dx: dx as tf.Tensor };
  });
}
type Setup = ReturnType<typeof setup>;
const feeds = (s: Setup, kp: number, x = ramp(N)) =>
  new Map<tf.Tensor, NDArray | number>([
    [s.x, x],
    [s.keepProb, kp],
  ]);

describe('tf.nn.dropout', () => {
  test.each([0.3, 0.5, 0.9])(
    'keeps ≈ keepProb = %d of 10k elements and scales survivors by 1/keepProb',
    (kp) => {
      const s = setup(1);
      const x = ramp(N);
      const y = new tf.Session({ graph: s.g }).run(s.y, feeds(s, kp, x));
      let kept = 0;
      let worst = 0;
      for (let i = 0; i < N; i++) {
        const v = y.data[i] as number;
        if (v !== 0) {
          kept++;
          worst = Math.max(worst, Math.abs(v - (x.data[i] as number) / kp));
        }
      }
      expect(worst).toBeLessThan(1e-4);
      // Binomial standard deviation is at most 50 on 10k draws; allow 5 of them.
      expect(Math.abs(kept - kp * N)).toBeLessThan(250);
    },
  );

  test('the gradient uses the same mask as the forward pass within a run', () => {
    const s = setup(2);
    const sess = new tf.Session({ graph: s.g });
    const [y, dx] = sess.run([s.y, s.dx], feeds(s, 0.4));
    let kept = 0;
    let mismatches = 0;
    for (let i = 0; i < N; i++) {
      const dropped = y.data[i] === 0;
      if (Math.abs((dx.data[i] as number) - (dropped ? 0 : 1 / 0.4)) > 1e-5) mismatches++;
      if (!dropped) kept++;
    }
    expect(mismatches).toBe(0);
    expect(kept).toBeGreaterThan(0);
    // A new run draws a new mask.
    const [y2] = sess.run([s.y], feeds(s, 0.4));
    expect(Array.from(y2.data)).not.toEqual(Array.from(y.data));
  });

  test('an op seed makes new sessions reproduce the same masks; a graph seed too', () => {
    const s = setup(7);
    const first = [0, 1].map(() => new tf.Session({ graph: s.g }).run(s.y, feeds(s, 0.5)));
    expect(Array.from(first[0]?.data ?? [])).toEqual(Array.from(first[1]?.data ?? []));
    const other = setup(8);
    expect(Array.from(new tf.Session({ graph: other.g }).run(other.y, feeds(other, 0.5)).data)).not.toEqual(
      Array.from(first[0]?.data ?? []),
    );
    const run = () => {
      const g = new tf.Graph();
      g.seed = 42;
      return g.asDefault(() => {
        const y = tf.nn.dropout(tf.constant(ones([1000])), 0.5);
        return Array.from(new tf.Session({ graph: g }).run(y).data);
      });
    };
    expect(run()).toEqual(run());
  });

  test('keepProb 1 is the identity: a number returns x itself, a fed 1.0 keeps every value', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [3]);
      expect(tf.nn.dropout(x, 1)).toBe(x);
    });
    const s = setup(3);
    const x = ramp(N);
    const [y, dx] = new tf.Session({ graph: s.g }).run([s.y, s.dx], feeds(s, 1, x));
    expect(Array.from(y.data)).toEqual(Array.from(x.data));
    expect(Array.from(dx.data).every((v) => v === 1)).toBe(true);
  });

  test('noiseShape [null, 1] keeps or drops whole rows; ops are named under dropout/', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [null, 6]);
      const y = tf.nn.dropout(x, 0.5, { noiseShape: [null, 1], seed: 5 });
      expect(y.name).toBe('dropout/mul:0');
      expect(y.shape).toEqual([null, 6]);
      const out = new tf.Session({ graph: g }).run(y, new Map([[x, ones([200, 6])]]));
      let keptRows = 0;
      for (let r = 0; r < 200; r++) {
        const row = Array.from(out.data.subarray(r * 6, r * 6 + 6));
        expect(new Set(row).size).toBe(1);
        if (row[0] !== 0) keptRows++;
      }
      expect(keptRows).toBeGreaterThan(60);
      expect(keptRows).toBeLessThan(140);
    });
  });

  test('a fed keepProb outside (0, 1] is a run-time error', () => {
    const s = setup(4);
    expect(() => new tf.Session({ graph: s.g }).run(s.y, feeds(s, 0))).toThrow(
      /keep_prob must be a scalar tensor or a float in the range \(0, 1\], got 0/,
    );
  });
});
