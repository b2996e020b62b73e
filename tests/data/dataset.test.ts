// tf.data.Dataset sources and transformations: element order and values against TF1's documented
// results (r1.15 docstrings) and plain-JS computations in the test.
import * as tf from '../../src';
import { elementsOf } from './helpers';

const inGraph = <T>(fn: () => T): T => new tf.Graph().asDefault(fn);
const jsRange = (a: number, b: number, s = 1): number[] => {
  const out: number[] = [];
  for (let i = a; s > 0 ? i < b : i > b; i += s) out.push(i);
  return out;
};

describe('sources', () => {
  test('range: TF1 docstring forms', () =>
    inGraph(() => {
      const D = tf.data.Dataset;
      expect(elementsOf(D.range(5))).toEqual([0, 1, 2, 3, 4]);
      expect(elementsOf(D.range(2, 5))).toEqual([2, 3, 4]);
      expect(elementsOf(D.range(1, 5, 2))).toEqual([1, 3]);
      expect(elementsOf(D.range(1, 5, -2))).toEqual([]);
      expect(elementsOf(D.range(5, 1))).toEqual([]);
      expect(elementsOf(D.range(5, 1, -2))).toEqual([5, 3]);
      expect(D.range(3).outputTypes).toBe('int32');
      expect(D.range(3).outputShapes).toEqual([]);
      expect(() => D.range(1, 5, 0)).toThrow(/step must be a non-zero integer/);
    }));

  test('fromTensorSlices: a tensor, a tuple and a dict slice along dimension 0', () =>
    inGraph(() => {
      const D = tf.data.Dataset;
      const m = [
        [1, 2],
        [3, 4],
        [5, 6],
      ];
      expect(elementsOf(D.fromTensorSlices(m))).toEqual(m);
      const t = D.fromTensorSlices([tf.constant(m), tf.constant([7, 8, 9], 'int32')]);
      expect(t.outputTypes).toEqual(['float32', 'int32']);
      expect(t.outputShapes).toEqual([[2], []]);
      expect(elementsOf(t)).toEqual([
        [[1, 2], 7],
        [[3, 4], 8],
        [[5, 6], 9],
      ]);
      const d = D.fromTensorSlices({ b: tf.constant([1, 2]), a: tf.constant([[1], [2]]) });
      expect(d.outputShapes).toEqual({ a: [1], b: [] });
      expect(elementsOf(d)).toEqual([
        { a: [1], b: 1 },
        { a: [2], b: 2 },
      ]);
      expect(() => D.fromTensorSlices([tf.constant([1, 2]), tf.constant([1, 2, 3])])).toThrow(
        /same size in dimension 0/,
      );
      expect(() => D.fromTensorSlices(tf.constant(3))).toThrow(/scalar/);
    }));

  test('fromTensorSlices of NDArrays and of unknown-size placeholders', () =>
    inGraph(() => {
      const xs = tf.ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
      expect(elementsOf(tf.data.Dataset.fromTensorSlices(xs))).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const p = tf.placeholder('float32', [null, 4]);
      expect(tf.data.Dataset.fromTensorSlices(p).outputShapes).toEqual([4]);
    }));

  test('fromTensors: one element', () =>
    inGraph(() => {
      const ds = tf.data.Dataset.fromTensors([tf.constant([1, 2, 3]), tf.constant(4)]);
      expect(ds.outputShapes).toEqual([[3], []]);
      expect(elementsOf(ds)).toEqual([[[1, 2, 3], 4]]);
    }));

  test('zip: tuples and dicts of datasets, ends with the shortest (TF1 docstring)', () =>
    inGraph(() => {
      const D = tf.data.Dataset;
      const a = D.range(1, 4);
      const b = D.range(4, 7);
      const c = D.range(7, 13).batch(2);
      expect(elementsOf(D.zip([a, b]))).toEqual([
        [1, 4],
        [2, 5],
        [3, 6],
      ]);
      expect(elementsOf(D.zip([a, [b, c]]))).toEqual([
        [1, [4, [7, 8]]],
        [2, [5, [9, 10]]],
        [3, [6, [11, 12]]],
      ]);
      expect(elementsOf(D.zip({ x: a, y: D.range(2) }))).toEqual([
        { x: 1, y: 0 },
        { x: 2, y: 1 },
      ]);
      expect(elementsOf(D.zip({ datasets: [a, b] }))).toHaveLength(3);
    }));
});

describe('transformations', () => {
  test('batch: remainder kept unless dropRemainder; static batch dimension', () =>
    inGraph(() => {
      const ds = tf.data.Dataset.range(8);
      expect(elementsOf(ds.batch(3))).toEqual([
        [0, 1, 2],
        [3, 4, 5],
        [6, 7],
      ]);
      expect(elementsOf(ds.batch(3, true))).toEqual([
        [0, 1, 2],
        [3, 4, 5],
      ]);
      expect(elementsOf(ds.batch(4, { dropRemainder: true }))).toHaveLength(2);
      expect(ds.batch(3).outputShapes).toEqual([null]);
      expect(ds.batch(3, true).outputShapes).toEqual([3]);
      const pairs = tf.data.Dataset.fromTensorSlices([
        tf.constant([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        tf.constant([1, 2, 3]),
      ]);
      expect(elementsOf(pairs.batch(2))).toEqual([
        [
          [
            [1, 2],
            [3, 4],
          ],
          [1, 2],
        ],
        [[[5, 6]], [3]],
      ]);
      expect(() => ds.batch(0)).toThrow(/Batch size must be greater than zero/);
    }));

  test('batch refuses elements of different shapes (TF1 message)', () =>
    inGraph(() => {
      const ds = tf.data.Dataset.range(1, 4).map((n: tf.Tensor) => tf.fill(tf.reshape(n, [1]), 1));
      const next = ds.batch(2).makeOneShotIterator().getNext() as tf.Tensor;
      expect(() => new tf.Session().run(next)).toThrow(
        /Cannot batch tensors with different shapes in component 0/,
      );
    }));

  test('paddedBatch: pads each component to its padded shape (TF1 docstring-style)', () =>
    inGraph(() => {
      // Element n is [n, n, ..., n] of length n.
      const seqs = tf.data.Dataset.range(1, 5).map((n: tf.Tensor) => tf.fill(tf.reshape(n, [1]), n));
      expect(seqs.outputShapes).toEqual([null]);
      expect(elementsOf(seqs.paddedBatch(2, [null]))).toEqual([
        [
          [1, 0],
          [2, 2],
        ],
        [
          [3, 3, 3, 0],
          [4, 4, 4, 4],
        ],
      ]);
      expect(elementsOf(seqs.paddedBatch(3, [5], -1))).toEqual([
        [
          [1, -1, -1, -1, -1],
          [2, 2, -1, -1, -1],
          [3, 3, 3, -1, -1],
        ],
        [[4, 4, 4, 4, -1]],
      ]);
      expect(seqs.paddedBatch(2, [-1], { dropRemainder: true }).outputShapes).toEqual([2, null]);
      expect(elementsOf(seqs.paddedBatch(2, [-1], { dropRemainder: true }).take(1))).toEqual([
        [
          [1, 0],
          [2, 2],
        ],
      ]);
      // A 2-D component padded in both dims, with a scalar label beside it (dict element).
      const grids = tf.data.Dataset.range(1, 3).map((n: tf.Tensor) => ({
        g: tf.fill(tf.stack([n, tf.add(n, 1)]), 1),
        label: n,
      }));
      expect(elementsOf(grids.paddedBatch(2, { g: [null, null], label: [] }, { g: 9, label: 0 }))).toEqual([
        {
          g: [
            [
              [1, 1, 9],
              [9, 9, 9],
            ],
            [
              [1, 1, 1],
              [1, 1, 1],
            ],
          ],
          label: [1, 2],
        },
      ]);
      const run = seqs.paddedBatch(2, [3]).makeOneShotIterator().getNext() as tf.Tensor;
      const sess = new tf.Session();
      sess.run(run);
      expect(() => sess.run(run)).toThrow(/Attempted to pad to a smaller size than the input element/);
      expect(() => tf.data.Dataset.fromTensorSlices(tf.zeros([4, 3])).paddedBatch(2, [2])).toThrow(
        /not compatible with the corresponding input component shape/,
      );
      expect(() => seqs.paddedBatch(2, [[null]])).toThrow(TypeError);
    }));

  test('repeat, take, skip (and their -1 / null forms)', () =>
    inGraph(() => {
      const ds = tf.data.Dataset.range(3);
      expect(elementsOf(ds.repeat(2))).toEqual([0, 1, 2, 0, 1, 2]);
      expect(elementsOf(ds.repeat(0))).toEqual([]);
      expect(elementsOf(ds.repeat().take(7))).toEqual([0, 1, 2, 0, 1, 2, 0]);
      expect(elementsOf(ds.repeat(null).take(4))).toEqual([0, 1, 2, 0]);
      expect(elementsOf(ds.repeat(-1).take(4))).toEqual([0, 1, 2, 0]);
      expect(elementsOf(ds.take(-1))).toEqual([0, 1, 2]);
      expect(elementsOf(ds.skip(1))).toEqual([1, 2]);
      expect(elementsOf(ds.skip(5))).toEqual([]);
      expect(elementsOf(ds.skip(-1))).toEqual([]);
      expect(elementsOf(ds.skip(1).take(1))).toEqual([1]);
      expect(elementsOf(ds.batch(2).repeat(2))).toEqual([[0, 1], [2], [0, 1], [2]]);
      // An empty input ends an infinite repeat instead of looping forever.
      expect(elementsOf(ds.take(0).repeat())).toEqual([]);
      expect(elementsOf(ds.concatenate(tf.data.Dataset.range(10, 12)))).toEqual([0, 1, 2, 10, 11]);
    }));

  test('map: a graph function applied per element (single, tuple, dict)', () =>
    inGraph(() => {
      const D = tf.data.Dataset;
      expect(elementsOf(D.range(4).map((x: tf.Tensor) => tf.multiply(x, 2)))).toEqual([0, 2, 4, 6]);
      const xs = [1.5, -2, 4];
      const pairs = D.fromTensorSlices([tf.constant(xs), tf.constant([10, 20, 30])]);
      // A tuple element is passed as separate arguments (TF1's map_func(*element)).
      const swapped = pairs.map((x: tf.Tensor, y: tf.Tensor) => [tf.add(y, 1), tf.square(x)]);
      expect(swapped.outputTypes).toEqual(['float32', 'float32']);
      expect(elementsOf(swapped)).toEqual(xs.map((x, i) => [10 * (i + 1) + 1, x * x]));
      const dict = D.fromTensorSlices({ a: tf.constant(xs), b: tf.constant([1, 1, 0], 'int32') });
      const mapped = dict.map((d: Record<string, tf.Tensor>) => ({
        a2: tf.multiply(d.a as tf.Tensor, 2),
        b: d.b as tf.Tensor,
      }));
      expect(mapped.outputTypes).toEqual({ a2: 'float32', b: 'int32' });
      expect(elementsOf(mapped)).toEqual(xs.map((x, i) => ({ a2: 2 * x, b: [1, 1, 0][i] })));
      // Captured tensors of the enclosing graph are read by the function.
      const scale = tf.constant(3);
      expect(elementsOf(D.fromTensorSlices([1, 2]).map((x: tf.Tensor) => tf.multiply(x, scale)))).toEqual([
        3, 6,
      ]);
      // map over batches (a function over a whole batch), with num_parallel_calls (TF1 keeps the order).
      const sums = D.range(6)
        .batch(3)
        .map((b: tf.Tensor) => tf.reduceSum(b), 4);
      expect(elementsOf(sums)).toEqual([3, 12]);
      expect(elementsOf(D.range(3).map((x: tf.Tensor) => tf.add(x, 1), { numParallelCalls: -1 }))).toEqual([
        1, 2, 3,
      ]);
    }));

  test('map builds its function once, never calling it per element', () =>
    inGraph(() => {
      let calls = 0;
      const ds = tf.data.Dataset.range(10).map((x: tf.Tensor) => {
        calls++;
        return tf.add(x, 1);
      });
      expect(elementsOf(ds)).toEqual(jsRange(1, 11));
      expect(calls).toBe(1);
    }));

  test('map refuses to capture a variable (its value would be frozen at initialization)', () =>
    inGraph(() => {
      const v = new tf.Variable(2, { name: 'scale' });
      expect(() =>
        tf.data.Dataset.range(3).map((x: tf.Tensor) => tf.multiply(tf.cast(x, 'float32'), v)),
      ).toThrow(/reads variable 'scale'/);
    }));

  test('filter: keeps elements whose predicate is true', () =>
    inGraph(() => {
      const D = tf.data.Dataset;
      const even = D.range(10).filter((x: tf.Tensor) => {
        const half = tf.divide(tf.cast(x, 'float32'), 2);
        return tf.equal(half, tf.floor(half));
      });
      expect(elementsOf(even)).toEqual([0, 2, 4, 6, 8]);
      const pairs = D.fromTensorSlices([tf.constant([1, 5, 2, 7]), tf.constant([0, 1, 2, 3], 'int32')]);
      expect(elementsOf(pairs.filter((x: tf.Tensor) => tf.greater(x, 1.5)))).toEqual([
        [5, 1],
        [2, 2],
        [7, 3],
      ]);
      expect(() => D.range(3).filter((x: tf.Tensor) => x)).toThrow(/must return a scalar boolean tensor/);
    }));

  test('prefetch (argument validated) and cache keep values and order', () =>
    inGraph(() => {
      const ds = tf.data.Dataset.range(4);
      expect(elementsOf(ds.prefetch(2))).toEqual([0, 1, 2, 3]);
      expect(elementsOf(ds.prefetch(tf.data.experimental.AUTOTUNE))).toEqual([0, 1, 2, 3]);
      expect(() => ds.prefetch(-2)).toThrow(/buffer_size must be >= 0/);
      expect(() => ds.prefetch(1.5 as number)).toThrow(TypeError);
      expect(elementsOf(ds.cache().repeat(2))).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
      // A cached shuffle replays its first epoch.
      const shuffled = elementsOf(ds.shuffle(4, 1).cache().repeat(3)) as number[];
      expect(shuffled.slice(4, 8)).toEqual(shuffled.slice(0, 4));
      expect(shuffled.slice(8)).toEqual(shuffled.slice(0, 4));
      expect(() => ds.cache('/tmp/file')).toThrow(/not supported/);
    }));

  test('apply and the TF1 keyword call forms', () =>
    inGraph(() => {
      const ds = tf.data.Dataset.range(6);
      expect(elementsOf(ds.apply((d: tf.data.Dataset) => d.batch(4)))).toEqual([
        [0, 1, 2, 3],
        [4, 5],
      ]);
      expect(elementsOf(ds.batch({ batchSize: 4, dropRemainder: true }))).toEqual([[0, 1, 2, 3]]);
      expect(elementsOf(ds.take({ count: 2 }))).toEqual([0, 1]);
      expect(elementsOf(ds.skip({ count: 4 }))).toEqual([4, 5]);
      expect(elementsOf(ds.take(2).repeat({ count: 2 }))).toEqual([0, 1, 0, 1]);
      expect(elementsOf(ds.map({ mapFunc: (x: tf.Tensor) => tf.negative(x) }).take(2))).toEqual([0, -1]);
      expect(() => ds.batch(2, { drop_remainder: true, batchSize: 3 } as never)).toThrow(/multiple values/);
      expect(() => ds.batch(2, { notAnArgument: 1 } as never)).toThrow(
        /Dataset.batch\(\) got an unexpected keyword argument 'notAnArgument'/,
      );
      expect(() => ds.shuffle(2, { seed: 1.5 })).toThrow(TypeError);
      expect(() => ds.batch('2' as never)).toThrow(TypeError);
    }));
});
