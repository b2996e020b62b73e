/**
 * Session semantics through `sess.runAsync` (SPEC §4), for the browser page's every mode — WebGPU reads
 * back only asynchronously, so there the synchronous session test files cannot run and these are the
 * session checks: fetch structures, feeds cutting the graph, one computation per run, fed-and-fetched,
 * Variables persisting per session, and TF1's errors. Registered with the page's jest harness.
 */
import * as tf from '../../src';
import { NDArray } from '../../src';

export function asyncSessionTests(makeSession: (g: tf.Graph) => tf.Session): void {
  const inGraph = <T>(fn: () => T): { g: tf.Graph; v: T } => {
    const g = new tf.Graph();
    return { g, v: g.asDefault(fn) };
  };

  describe('session semantics through runAsync', () => {
    test('nested fetch structures, names and operations', async () => {
      const { g, v } = inGraph(() => {
        const a = tf.constant([1, 2], undefined, 'a');
        const b = tf.multiply(a, 3, 'b');
        return { a, b, op: tf.noOp('nothing') };
      });
      const sess = makeSession(g);
      const r = (await sess.runAsync({ x: [v.a, { y: v.b }], n: 'b:0', o: v.op })) as unknown as {
        x: [NDArray, { y: NDArray }];
        n: NDArray;
        o: null;
      };
      expect(r.x[0].toArray()).toEqual([1, 2]);
      expect(r.x[1].y.toArray()).toEqual([3, 6]);
      expect(r.n.toArray()).toEqual([3, 6]);
      expect(r.o).toBeNull();
      sess.close();
    });

    test('a feed cuts the graph; a fed and fetched tensor returns the fed value', async () => {
      const { g, v } = inGraph(() => {
        const x = tf.placeholder('float32', [2], 'x');
        const h = tf.add(x, 1, 'h');
        return { x, h, y: tf.multiply(h, 2) };
      });
      const sess = makeSession(g);
      // x is not fed: feeding h cuts it away.
      expect((await sess.runAsync(v.y, [[v.h, [10, 20]]])).toArray()).toEqual([20, 40]);
      const [h, y] = await sess.runAsync([v.h, v.y], [[v.h, [1, 2]]]);
      expect((h as NDArray).toArray()).toEqual([1, 2]);
      expect((y as NDArray).toArray()).toEqual([2, 4]);
      sess.close();
    });

    test('a random op read by two fetches gives one value per run', async () => {
      const { g, v } = inGraph(() => {
        const r = tf.randomUniform([4]);
        return { a: tf.add(r, 0), b: tf.multiply(r, 1) };
      });
      const sess = makeSession(g);
      const [a, b] = (await sess.runAsync([v.a, v.b])) as NDArray[];
      expect(Array.from((a as NDArray).data)).toEqual(Array.from((b as NDArray).data));
      const [c] = (await sess.runAsync([v.a])) as NDArray[];
      expect(Array.from((c as NDArray).data)).not.toEqual(Array.from((a as NDArray).data));
      sess.close();
    });

    test('Variables persist across runs and belong to their session', async () => {
      const { g, v } = inGraph(() => {
        const w = new tf.Variable(tf.constant([1, 1]), { name: 'w' });
        return { w, inc: w.assignAdd([1, 2]), init: tf.globalVariablesInitializer() };
      });
      const s1 = makeSession(g);
      const s2 = makeSession(g);
      await s1.runAsync(v.init);
      await s2.runAsync(v.init);
      await s1.runAsync(v.inc);
      await s1.runAsync(v.inc);
      expect((await s1.runAsync(v.w)).toArray()).toEqual([3, 5]);
      expect((await s2.runAsync(v.w)).toArray()).toEqual([1, 1]);
      s1.close();
      s2.close();
    });

    test("TF1's errors: missing feed, bad feed shape, uninitialized value, closed session", async () => {
      const { g, v } = inGraph(() => {
        const x = tf.placeholder('float32', [null, 3], 'x');
        const w = new tf.Variable(tf.ones([3, 1]), { name: 'W' });
        return { x, y: tf.matmul(x, w) };
      });
      const sess = makeSession(g);
      await expect(sess.runAsync(v.y)).rejects.toThrow(
        "You must feed a value for placeholder tensor 'x' with dtype float32 and shape [?,3]",
      );
      await expect(sess.runAsync(v.y, [[v.x, [[1, 2]]]])).rejects.toThrow(
        "Cannot feed value of shape [1,2] for Tensor 'x:0', which has shape [?,3]",
      );
      await expect(sess.runAsync(v.y, [[v.x, [[1, 2, 3]]]])).rejects.toThrow(
        'Attempting to use uninitialized value W',
      );
      sess.close();
      await expect(sess.runAsync(v.x, [[v.x, [[1, 2, 3]]]])).rejects.toThrow(
        'Attempted to use a closed Session.',
      );
    });

    test('a run-time broadcast mismatch is Incompatible shapes', async () => {
      const { g, v } = inGraph(() => {
        const a = tf.placeholder('float32', [null, 10], 'a');
        const b = tf.placeholder('float32', [null, 10], 'b');
        return { a, b, s: tf.add(a, b) };
      });
      const sess = makeSession(g);
      const feed: [tf.Tensor, NDArray][] = [
        [v.a, tf.ndarray(new Float32Array(100 * 10), [100, 10])],
        [v.b, tf.ndarray(new Float32Array(50 * 10), [50, 10])],
      ];
      await expect(sess.runAsync(v.s, feed)).rejects.toThrow('Incompatible shapes: [100,10] vs. [50,10]');
      sess.close();
    });
  });
}
