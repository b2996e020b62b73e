// Training fed only by a tf.data iterator (no feed dict): linear regression reaches the least-squares
// solution computed in the test from the normal equations (float64, independent of the library).
import * as tf from '../../src';

/** Deterministic data: y = 2 x1 - 3 x2 + 0.5 + noise. */
function makeData(n: number): { xs: number[][]; ys: number[] } {
  let s = 12345;
  const rnd = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const x1 = rnd() * 2 - 1;
    const x2 = rnd() * 2 - 1;
    xs.push([x1, x2]);
    ys.push(2 * x1 - 3 * x2 + 0.5 + (rnd() - 0.5) * 0.4);
  }
  return { xs, ys };
}

/** Least squares [w1, w2, b] by the normal equations (3×3, Gaussian elimination). */
function leastSquares(xs: number[][], ys: number[]): number[] {
  const rows = xs.map((x) => [x[0] as number, x[1] as number, 1]);
  const A = [0, 1, 2].map((i) =>
    [0, 1, 2].map((j) => rows.reduce((s, r) => s + (r[i] as number) * (r[j] as number), 0)),
  );
  const c = [0, 1, 2].map((i) => rows.reduce((s, r, k) => s + (r[i] as number) * (ys[k] as number), 0));
  const M = A.map((r, i) => [...r, c[i] as number]);
  for (let p = 0; p < 3; p++) {
    const rowP = M[p] as number[];
    for (let r = p + 1; r < 3; r++) {
      const row = M[r] as number[];
      const f = (row[p] as number) / (rowP[p] as number);
      for (let k = p; k < 4; k++) row[k] = (row[k] as number) - f * (rowP[k] as number);
    }
  }
  const sol = [0, 0, 0];
  for (let p = 2; p >= 0; p--) {
    const row = M[p] as number[];
    let v = row[3] as number;
    for (let k = p + 1; k < 3; k++) v -= (row[k] as number) * (sol[k] as number);
    sol[p] = v / (row[p] as number);
  }
  return sol;
}

test('linear regression fed only by an iterator reaches the closed-form solution', () =>
  new tf.Graph().asDefault(() => {
    const N = 64;
    const { xs, ys } = makeData(N);
    const expected = leastSquares(xs, ys);
    // Full-batch gradient descent through the pipeline (shuffle only permutes rows inside each batch),
    // so the iterates converge to the exact least-squares solution.
    const ds = tf.data.Dataset.fromTensorSlices([tf.constant(xs), tf.constant(ys)])
      .shuffle(N, 1)
      .batch(N)
      .repeat();
    const [x, y] = ds.makeOneShotIterator().getNext() as tf.Tensor[];
    const W = new tf.Variable(tf.zeros([2, 1]), { name: 'W' });
    const b = new tf.Variable(0, { name: 'b' });
    const pred = tf.add(tf.reshape(tf.matmul(x as tf.Tensor, W), [-1]), b);
    const loss = tf.reduceMean(tf.square(tf.subtract(pred, y as tf.Tensor)));
    const train = new tf.train.GradientDescentOptimizer(0.5).minimize(loss);
    const sess = new tf.Session();
    sess.run(tf.globalVariablesInitializer());
    for (let i = 0; i < 300; i++) sess.run(train);
    const [w, bv] = sess.run([W, b]) as tf.NDArray[];
    const got = [...Array.from((w as tf.NDArray).data), (bv as tf.NDArray).item() as number];
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 4));
    // The noise makes the least-squares solution differ from the generating weights.
    expect(Math.abs((expected[0] as number) - 2)).toBeGreaterThan(1e-4);
  }));

test('minibatch SGD over shuffled epochs with an initializable iterator (fed once) fits the data', () =>
  new tf.Graph().asDefault(() => {
    const N = 96;
    const { xs, ys } = makeData(N);
    const expected = leastSquares(xs, ys);
    const xp = tf.placeholder('float32', [null, 2], 'xp');
    const yp = tf.placeholder('float32', [null], 'yp');
    const epochs = 60;
    const it = tf.data.Dataset.fromTensorSlices({ x: xp, y: yp })
      .shuffle(N, 3)
      .batch(16)
      .repeat(epochs)
      .makeInitializableIterator();
    const next = it.getNext() as Record<string, tf.Tensor>;
    const W = new tf.Variable(tf.zeros([2, 1]));
    const b = new tf.Variable(0);
    const pred = tf.add(tf.reshape(tf.matmul(next.x as tf.Tensor, W), [-1]), b);
    const loss = tf.reduceMean(tf.square(tf.subtract(pred, next.y as tf.Tensor)));
    const train = new tf.train.GradientDescentOptimizer(0.1).minimize(loss);
    const sess = new tf.Session();
    sess.run(tf.globalVariablesInitializer());
    sess.run(it.initializer, { xp: xs, yp: ys });
    let steps = 0;
    while (true) {
      try {
        sess.run(train);
        steps++;
      } catch (e) {
        if (e instanceof tf.errors.OutOfRangeError) break;
        throw e;
      }
    }
    expect(steps).toBe(epochs * Math.ceil(N / 16));
    const [w, bv] = sess.run([W, b]) as tf.NDArray[];
    const got = [...Array.from((w as tf.NDArray).data), (bv as tf.NDArray).item() as number];
    // SGD hovers around the solution within the noise level.
    got.forEach((v, i) => expect(Math.abs(v - (expected[i] as number))).toBeLessThan(0.05));
  }));
