// Dataset.shuffle: TF1's buffer algorithm (a permutation; an element can only come out once the buffer
// has reached it), seeded determinism (op seed, graph seed), reshuffling per epoch.
import * as tf from '../../src';
import { drain } from './helpers';

const N = 40;

/** The elements of `build()`'s dataset in a new graph and session (seed settings applied first). */
function order(build: () => tf.data.Dataset, graphSeed?: number): number[] {
  return new tf.Graph().asDefault(() => {
    if (graphSeed !== undefined) tf.setRandomSeed(graphSeed);
    const next = build().makeOneShotIterator().getNext() as tf.Tensor;
    return drain(new tf.Session(), next, (v) => (v as tf.NDArray).item() as number);
  });
}

const sorted = (xs: number[]): number[] => xs.slice().sort((a, b) => a - b);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test('a seeded shuffle is a permutation, the same in every new session', () => {
  const a = order(() => tf.data.Dataset.range(N).shuffle(N, 42));
  expect(sorted(a)).toEqual(range(N));
  expect(a).not.toEqual(range(N));
  expect(order(() => tf.data.Dataset.range(N).shuffle(N, 42))).toEqual(a);
  expect(order(() => tf.data.Dataset.range(N).shuffle(N, { seed: 43 }))).not.toEqual(a);
});

test('the graph seed alone makes the shuffle deterministic; no seed at all does not repeat', () => {
  const build = (): tf.data.Dataset => tf.data.Dataset.range(N).shuffle(N);
  const a = order(build, 7);
  expect(order(build, 7)).toEqual(a);
  expect(order(build, 8)).not.toEqual(a);
  // Unseeded: two runs agree only with probability 1/40!.
  expect(order(build)).not.toEqual(order(build));
});

test("TF1's buffer: output i is one of the first i + bufferSize inputs; bufferSize 1 keeps the order", () => {
  expect(order(() => tf.data.Dataset.range(N).shuffle(1, 3))).toEqual(range(N));
  for (const seed of [1, 2, 3, 4, 5]) {
    const out = order(() => tf.data.Dataset.range(N).shuffle(4, seed));
    expect(sorted(out)).toEqual(range(N));
    out.forEach((v, i) => expect(v).toBeLessThan(i + 4));
  }
});

test('the shuffle is roughly uniform: each value takes each first position about equally often', () => {
  // 600 seeds, 4 elements with a full buffer: each (value at position 0) count ~ 150.
  const counts = [0, 0, 0, 0];
  for (let seed = 0; seed < 600; seed++) {
    const first = order(() => tf.data.Dataset.range(4).shuffle(4, seed).take(1))[0] as number;
    counts[first] = (counts[first] as number) + 1;
  }
  for (const c of counts) {
    expect(c).toBeGreaterThan(100);
    expect(c).toBeLessThan(200);
  }
});

test('reshuffleEachIteration: each epoch of a repeat has a new order (default), or the same one', () => {
  const epochs = (reshuffle?: boolean): number[][] => {
    const all = order(() =>
      tf.data.Dataset.range(N)
        .shuffle(N, 11, reshuffle ?? null)
        .repeat(3),
    );
    expect(all).toHaveLength(3 * N);
    return [all.slice(0, N), all.slice(N, 2 * N), all.slice(2 * N)];
  };
  const [e1, e2, e3] = epochs();
  for (const e of [e1, e2, e3]) expect(sorted(e as number[])).toEqual(range(N));
  expect(e2).not.toEqual(e1);
  expect(e3).not.toEqual(e2);
  // Deterministic as a whole.
  expect(epochs()).toEqual([e1, e2, e3]);
  const [f1, f2, f3] = epochs(false);
  expect(f2).toEqual(f1);
  expect(f3).toEqual(f1);
});

test('re-initializing a seeded shuffle restarts its sequence of orders (TF1: a new dataset)', () =>
  new tf.Graph().asDefault(() => {
    const it = tf.data.Dataset.range(10).shuffle(10, 5).repeat(2).makeInitializableIterator();
    const next = it.getNext() as tf.Tensor;
    const sess = new tf.Session();
    sess.run(it.initializer);
    const first = drain(sess, next, (v) => (v as tf.NDArray).item() as number);
    sess.run(it.initializer);
    expect(drain(sess, next, (v) => (v as tf.NDArray).item() as number)).toEqual(first);
  }));

test('shuffle of tuples moves the components together; bad buffer sizes are rejected', () =>
  new tf.Graph().asDefault(() => {
    const xs = range(12);
    const ds = tf.data.Dataset.fromTensorSlices([
      tf.constant(xs),
      tf.constant(
        xs.map((x) => 100 + x),
        'int32',
      ),
    ]);
    const [a, b] = ds.shuffle(12, 9).makeOneShotIterator().getNext() as [tf.Tensor, tf.Tensor];
    const pairs = drain(new tf.Session(), [a, b], (v) => (v as tf.NDArray[]).map((x) => x.item() as number));
    expect(sorted(pairs.map((p) => p[0] as number))).toEqual(xs);
    for (const [x, y] of pairs) expect(y).toBe((x as number) + 100);
    expect(() => ds.shuffle(0)).toThrow(/buffer_size must be greater than zero/);
    const size = tf.placeholder('int32', []);
    const it = ds.shuffle(size).makeInitializableIterator();
    const sess = new tf.Session();
    expect(() => sess.run(it.initializer, { [size.name]: 0 })).toThrow(
      /buffer_size must be greater than zero/,
    );
    sess.run(it.initializer, { [size.name]: 3 });
  }));
