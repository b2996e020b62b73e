import * as tf from '../../src';
import { float64Session } from '../helpers/gradcheck';

describe('tf.clipByGlobalNorm / tf.globalNorm', () => {
  const A = [
    [3, -1, 2],
    [0.5, 4, -2],
  ];
  const B = [1.5, -6];
  const sumSq = [...A.flat(), ...B].reduce((s, x) => s + x * x, 0);
  const norm = Math.sqrt(sumSq);

  function run(
    clipNorm: number,
    extra?: tf.ClipByGlobalNormOptions,
  ): { clipped: number[][]; norm: number; names: string[] } {
    const g = new tf.Graph();
    return g.asDefault(() => {
      const a = tf.constant(A);
      const b = tf.constant(B);
      const [clipped, n] = tf.clipByGlobalNorm([a, null, b], clipNorm, extra);
      expect(clipped[1]).toBeNull();
      const outs = [clipped[0], clipped[2]] as tf.Tensor[];
      expect(outs.map((t) => t.shape)).toEqual([[2, 3], [2]]);
      const sess = float64Session(g);
      const [ca, cb, nv] = sess.run([...outs, n]);
      return {
        clipped: [Array.from((ca as tf.NDArray).data), Array.from((cb as tf.NDArray).data)],
        norm: (nv as tf.NDArray).item() as number,
        names: [...outs, n].map((t) => t.op.name),
      };
    });
  }

  test('scales every tensor by clip / globalNorm when the norm exceeds clip', () => {
    const r = run(2);
    expect(r.norm).toBeCloseTo(norm, 12);
    const scale = 2 / norm;
    r.clipped[0]?.forEach((v, i) => expect(v).toBeCloseTo((A.flat()[i] as number) * scale, 12));
    r.clipped[1]?.forEach((v, i) => expect(v).toBeCloseTo((B[i] as number) * scale, 12));
    const newNorm = Math.sqrt(
      [...(r.clipped[0] ?? []), ...(r.clipped[1] ?? [])].reduce((s, x) => s + x * x, 0),
    );
    expect(newNorm).toBeCloseTo(2, 12);
    expect(r.names).toEqual(['clip_by_global_norm/_0', 'clip_by_global_norm/_2', 'global_norm/global_norm']);
  });

  test('leaves the tensors unchanged when the norm is below clip', () => {
    const r = run(100);
    expect(r.clipped[0]).toEqual(A.flat());
    expect(r.clipped[1]).toEqual(B);
  });

  test('useNorm replaces the computed norm', () => {
    const r = run(1, { useNorm: 4 });
    expect(r.norm).toBe(4);
    r.clipped[1]?.forEach((v, i) => expect(v).toBeCloseTo((B[i] as number) / 4, 12));
  });

  test('a non-finite norm makes the clipped values NaN (TF1)', () => {
    const r = run(1, { useNorm: Infinity });
    for (const v of r.clipped.flat()) expect(Number.isNaN(v)).toBe(true);
  });

  test('a zero norm keeps zeros (no division by zero)', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const [[c], n] = tf.clipByGlobalNorm([tf.constant([0, 0])], 1);
      const [cv, nv] = new tf.Session({ graph: g }).run([c as tf.Tensor, n]);
      expect(Array.from(cv.data)).toEqual([0, 0]);
      expect(nv.item()).toBe(0);
    });
  });

  test('float32 session matches the float64 reference; clip norm as a placeholder', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const clip = tf.placeholder('float32', [], 'clip');
      const [[c], n] = tf.clipByGlobalNorm([tf.constant(A)], clip);
      const normA = Math.sqrt(A.flat().reduce((s, x) => s + x * x, 0));
      const [cv, nv] = new tf.Session({ graph: g }).run([c as tf.Tensor, n], { clip: 1.5 });
      expect(nv.item()).toBeCloseTo(normA, 5);
      Array.from(cv.data).forEach((v, i) =>
        expect(v).toBeCloseTo(((A.flat()[i] as number) * 1.5) / normA, 5),
      );
    });
  });

  test('globalNorm skips nulls; clipping gradients before applyGradients', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const W = new tf.Variable([3, 4], { name: 'W' });
      const other = new tf.Variable([1], { name: 'other' });
      const loss = tf.square(W); // gradient 2W = [6, 8], norm 10
      const opt = new tf.train.GradientDescentOptimizer(1);
      const gv = opt.computeGradients(loss);
      expect(gv[1]?.[0]).toBeNull();
      const [clipped, n] = tf.clipByGlobalNorm(
        gv.map(([grad]) => grad),
        5,
      );
      const train = opt.applyGradients(gv.map(([, v], i) => [clipped[i] ?? null, v] as tf.train.GradAndVar));
      const sess = float64Session(g);
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(n).item()).toBeCloseTo(10, 12);
      expect(sess.run(tf.globalNorm([null, gv[0]?.[0] as tf.Tensor])).item()).toBeCloseTo(10, 12);
      sess.run(train);
      const w = Array.from(sess.run(W).data);
      expect(w[0]).toBeCloseTo(3 - 3, 12);
      expect(w[1]).toBeCloseTo(4 - 4, 12);
      expect(Array.from(sess.run(other).data)).toEqual([1]);
    });
  });

  test('errors: not a list, integer tensors', () => {
    expect(() => tf.clipByGlobalNorm(tf.constant([1]) as unknown as tf.Tensor[], 1)).toThrow(
      /clipByGlobalNorm\(\): argument 'tList' must be a list of Tensors/,
    );
    expect(() => tf.globalNorm([tf.constant([1, 2], 'int32')])).toThrow(/has dtype int32, expected float32/);
  });
});

describe('TF1 call forms of clipByGlobalNorm / globalNorm', () => {
  test('positional (tList, clipNorm, useNorm, name) and keyword options', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const a = tf.constant([3, 4]); // norm 5
      const [c1, n1] = tf.clipByGlobalNorm([a], 1, 10, 'clip_pos');
      const [c2] = tf.clipByGlobalNorm([a], { clipNorm: 1, use_norm: 10 } as never);
      const n3 = tf.globalNorm([a], 'gn');
      expect(n3.op.name).toBe('gn/global_norm');
      expect(() => tf.clipByGlobalNorm([a], 1, { usenorm: 2 } as never)).toThrow(
        /unexpected keyword argument 'usenorm'/,
      );
      const sess = float64Session(g);
      const [v1, v2, vn, v3] = sess.run([c1?.[0] as tf.Tensor, c2?.[0] as tf.Tensor, n1, n3]);
      // use_norm = 10 replaces the computed norm 5: scale = 1 / max(10, 1).
      expect(Array.from((v1 as tf.NDArray).data)).toEqual([expect.closeTo(0.3, 12), expect.closeTo(0.4, 12)]);
      expect(Array.from((v2 as tf.NDArray).data)).toEqual([expect.closeTo(0.3, 12), expect.closeTo(0.4, 12)]);
      expect((vn as tf.NDArray).item()).toBe(10);
      expect((v3 as tf.NDArray).item()).toBe(5);
    });
  });
});
