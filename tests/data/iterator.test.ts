// tf.data iterators: TF1's run semantics (one element per run, shared by all outputs of one getNext),
// the end of sequence as tf.errors.OutOfRangeError, initialization with fed placeholders, per-session
// state, reinitializable iterators.
import * as tf from '../../src';
import { drain, toJs } from './helpers';

const inGraph = <T>(fn: () => T): T => new tf.Graph().asDefault(fn);

describe('iterators', () => {
  test('the classic TF1 input loop ends with tf.errors.OutOfRangeError', () =>
    inGraph(() => {
      const next = tf.data.Dataset.range(3).makeOneShotIterator().getNext() as tf.Tensor;
      expect(next.op.type).toBe('IteratorGetNext');
      expect(next.name).toBe('IteratorGetNext:0');
      const sess = new tf.Session();
      const seen: number[] = [];
      while (true) {
        try {
          seen.push(sess.run(next).item() as number);
        } catch (e) {
          if (e instanceof tf.errors.OutOfRangeError) break;
          throw e;
        }
      }
      expect(seen).toEqual([0, 1, 2]);
      // Past the end it keeps raising, with TF1's message; the class is also exported at top level.
      let err: unknown;
      try {
        sess.run(next);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(tf.OutOfRangeError);
      expect(err).toBeInstanceOf(tf.errors.TensorGraphError);
      expect((err as Error).message).toMatch(/^End of sequence/);
      expect((err as Error).message).toMatch(/IteratorGetNext/);
    }));

  test('one run advances once: the outputs of one getNext share an element', () =>
    inGraph(() => {
      const ds = tf.data.Dataset.fromTensorSlices([tf.constant([1, 2, 3, 4]), tf.constant([10, 20, 30, 40])]);
      const [x, y] = ds.makeOneShotIterator().getNext() as [tf.Tensor, tf.Tensor];
      const sess = new tf.Session();
      const sum = tf.add(x, y);
      expect(toJs(sess.run([x, y, sum, x]))).toEqual([1, 10, 11, 1]);
      expect(toJs(sess.run([sum]))).toEqual([22]);
      expect(toJs(sess.run({ a: y, b: x }))).toEqual({ a: 30, b: 3 });
    }));

  test('two getNext ops on one iterator each take an element in a run', () =>
    inGraph(() => {
      const it = tf.data.Dataset.range(10).makeOneShotIterator();
      const a = it.getNext() as tf.Tensor;
      const b = it.getNext('second') as tf.Tensor;
      expect(b.op.name).toBe('second');
      const sess = new tf.Session();
      const [va, vb] = toJs(sess.run([a, b])) as number[];
      expect([va, vb].sort()).toEqual([0, 1]);
      expect(toJs(sess.run(a))).toBe(2);
    }));

  test('an initializable iterator is re-initialized with different placeholder feeds', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [null], 'x');
      const n = tf.placeholder('int32', [], 'n');
      const ds = tf.data.Dataset.fromTensorSlices(x)
        .map((v: tf.Tensor) => tf.multiply(v, 10))
        .batch(n);
      const it = ds.makeInitializableIterator();
      expect(it.initializer.type).toBe('MakeIterator');
      const next = it.getNext() as tf.Tensor;
      const sess = new tf.Session();
      expect(() => sess.run(next)).toThrow(tf.errors.FailedPreconditionError);
      expect(() => sess.run(next)).toThrow(/iterator has not been initialized/);
      sess.run(it.initializer, { x: [1, 2, 3], n: 2 });
      expect(drain(sess, next, toJs)).toEqual([[10, 20], [30]]);
      sess.run(it.initializer, { 'x:0': [4, 5, 6, 7, 8], 'n:0': 3 });
      expect(toJs(sess.run(next))).toEqual([40, 50, 60]);
      // Re-initializing mid-way restarts from the beginning with the new feeds.
      sess.run(it.initializer, { x: [9], n: 1 });
      expect(drain(sess, next, toJs)).toEqual([[90]]);
      // Feeds are validated by the initializer's run, before anything executes.
      expect(() => sess.run(it.initializer)).toThrow(/You must feed a value for placeholder tensor 'x'/);
      expect(() => sess.run(it.initializer, { x: [1], n: 0 })).toThrow(
        /Batch size must be greater than zero/,
      );
    }));

  test('a one-shot iterator refuses placeholders; an uninitialized iterator has no initializer', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [null]);
      expect(() => tf.data.Dataset.fromTensorSlices(x).makeOneShotIterator()).toThrow(
        /cannot capture a placeholder .*makeInitializableIterator/,
      );
      const it = tf.data.Dataset.range(2).makeOneShotIterator();
      expect(() => it.initializer).toThrow(/one-shot iterator has no initializer/);
      expect(() => tf.data.Dataset.range(2).makeInitializableIterator('shared')).toThrow(/sharedName/);
    }));

  test('iterator state belongs to the session: two sessions iterate independently', () =>
    inGraph(() => {
      const one = tf.data.Dataset.range(5).makeOneShotIterator().getNext() as tf.Tensor;
      const it = tf.data.Dataset.range(100, 105).makeInitializableIterator();
      const two = it.getNext() as tf.Tensor;
      const s1 = new tf.Session();
      const s2 = new tf.Session();
      s1.run(it.initializer);
      s2.run(it.initializer);
      expect([s1.run(one).item(), s1.run(one).item(), s2.run(one).item()]).toEqual([0, 1, 0]);
      expect([s1.run(two).item(), s1.run(two).item(), s2.run(two).item(), s1.run(two).item()]).toEqual([
        100, 101, 100, 102,
      ]);
      s1.close();
      expect(s2.run(one).item()).toBe(1);
      // A new session on the same graph starts over.
      expect(new tf.Session().run(one).item()).toBe(0);
    }));

  test('a failed run does not rewind the iterator (TF1: the element was consumed)', () =>
    inGraph(() => {
      const it = tf.data.Dataset.range(5).makeOneShotIterator();
      const next = it.getNext() as tf.Tensor;
      const p = tf.placeholder('float32', [null, null]);
      // Fails at run time after getNext ran: a matmul with an incompatible fed operand.
      const bad = tf.matmul(tf.reshape(tf.cast(next, 'float32'), [1, 1]), p);
      const sess = new tf.Session();
      expect(sess.run(next).item()).toBe(0);
      expect(() =>
        sess.run(bad, {
          [p.name]: [
            [1, 1],
            [1, 1],
          ],
        }),
      ).toThrow(/[Dd]imensions|[Ii]ncompatible/);
      expect(sess.run(next).item()).toBe(2);
    }));

  test('Iterator.fromStructure + makeInitializer switches between datasets (reinitializable)', () =>
    inGraph(() => {
      const train = tf.data.Dataset.range(100).map((x: tf.Tensor) => [x, tf.cast(x, 'float32')]);
      const valid = tf.data.Dataset.range(50, 52).map((x: tf.Tensor) => [x, tf.constant(-1)]);
      const it = tf.data.Iterator.fromStructure(train.outputTypes, train.outputShapes);
      expect(it.outputTypes).toEqual(['int32', 'float32']);
      expect(it.outputShapes).toEqual([[], []]);
      const [a, b] = it.getNext() as [tf.Tensor, tf.Tensor];
      const trainInit = it.makeInitializer(train);
      const validInit = it.makeInitializer(valid, 'valid_init');
      expect(validInit.name).toBe('valid_init');
      expect(() => it.initializer).toThrow(/makeInitializer/);
      const sess = new tf.Session();
      sess.run(trainInit);
      expect(toJs(sess.run([a, b]))).toEqual([0, 0]);
      expect(toJs(sess.run([a, b]))).toEqual([1, 1]);
      sess.run(validInit);
      expect(drain(sess, [a, b], toJs)).toEqual([
        [50, -1],
        [51, -1],
      ]);
      sess.run(trainInit);
      expect(toJs(sess.run(a))).toBe(0);
      expect(() => it.makeInitializer(tf.data.Dataset.range(3))).toThrow(TypeError);
      const typed = tf.data.Iterator.fromStructure({ x: 'float32', y: 'int32' }, { x: [null, 2], y: [null] });
      expect(typed.outputShapes).toEqual({ x: [null, 2], y: [null] });
      const ok = tf.data.Dataset.fromTensorSlices({ x: tf.zeros([4, 2]), y: tf.zeros([4], 'int32') }).batch(
        2,
      );
      typed.makeInitializer(ok);
      const wrong = tf.data.Dataset.fromTensorSlices({
        x: tf.zeros([4, 3]),
        y: tf.zeros([4], 'int32'),
      }).batch(2);
      expect(() => typed.makeInitializer(wrong)).toThrow(/compatible/);
    }));

  test('an iterator graph round-trips through graph JSON (dataset and map function as plain data)', () => {
    const g = new tf.Graph();
    const json = g.asDefault(() => {
      const scale = tf.constant(3);
      const ds = tf.data.Dataset.range(5)
        .map((x: tf.Tensor) => tf.multiply(tf.cast(x, 'float32'), scale))
        .filter((x: tf.Tensor) => tf.greater(x, 2))
        .batch(2);
      const it = ds.makeInitializableIterator();
      tf.identity(it.getNext() as tf.Tensor, 'out');
      return JSON.stringify(g.toJSON());
    });
    const g2 = new tf.Graph();
    g2.asDefault(() => tf.importGraphDef(JSON.parse(json) as tf.GraphJSON));
    const sess = new tf.Session({ graph: g2 });
    sess.run('MakeIterator');
    expect(drain(sess, g2.getTensorByName('out:0'), toJs)).toEqual([
      [3, 6],
      [9, 12],
    ]);
  });

  test('tf.data.makeOneShotIterator / makeInitializableIterator functions and keyword forms', () =>
    inGraph(() => {
      const ds = tf.data.Dataset.range(2);
      const sess = new tf.Session();
      const a = tf.data.makeOneShotIterator(ds).getNext() as tf.Tensor;
      const it = tf.data.makeInitializableIterator({ dataset: ds, sharedName: null });
      const b = it.getNext({ name: 'b_next' }) as tf.Tensor;
      sess.run(it.initializer);
      expect(toJs(sess.run([a, b]))).toEqual([0, 0]);
      expect(b.op.name).toBe('b_next');
      expect(() => tf.data.makeOneShotIterator(3 as never)).toThrow(TypeError);
      expect(() => it.getNext({ nam: 'x' } as never)).toThrow(/unexpected keyword argument 'nam'/);
    }));

  test('random ops inside map draw per element, seeded', () => {
    const run = (): number[] =>
      inGraph(() => {
        tf.setRandomSeed(5);
        const ds = tf.data.Dataset.range(4).map((x: tf.Tensor) =>
          tf.add(tf.cast(x, 'float32'), tf.randomUniform([], 0, 0.5, 'float32', 3)),
        );
        const next = ds.makeOneShotIterator().getNext() as tf.Tensor;
        return drain(new tf.Session(), next, (v) => (v as tf.NDArray).item() as number);
      });
    const a = run();
    expect(a).toEqual(run());
    a.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(i);
      expect(v).toBeLessThan(i + 0.5);
    });
    expect(new Set(a.map((v, i) => v - i)).size).toBe(4);
  });

  test('the iterator also works in a GPU-backend session (pipeline on the host)', () =>
    inGraph(() => {
      const ds = tf.data.Dataset.fromTensorSlices(
        tf.constant([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      ).batch(2);
      const next = ds.makeOneShotIterator().getNext() as tf.Tensor;
      const y = tf.multiply(next, 2);
      let sess: tf.Session;
      try {
        sess = new tf.Session({ backend: 'gpu' });
      } catch (e) {
        console.log(`GPU backend unavailable, skipped: ${(e as Error).message}`);
        return;
      }
      const out = drain(sess, y, toJs);
      expect(out).toEqual([
        [
          [2, 4],
          [6, 8],
        ],
        [[10, 12]],
      ]);
    }));
});
