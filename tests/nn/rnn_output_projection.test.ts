// tf.contrib.rnn.OutputProjectionWrapper(cell, output_size, activation=None, reuse=None), as in the
// classic time-series RNN: OutputProjectionWrapper(BasicRNNCell(n, activation=relu), output_size=1) under
// tf.nn.dynamic_rnn. Outputs checked against a float64 recurrence + projection.
import * as tf from '../../src';

beforeEach(() => tf.resetDefaultGraph());

test('OutputProjectionWrapper: TF1 variable names, [batch, time, output_size] outputs, projected values', () => {
  const X = tf.placeholder(tf.float32, [null, 3, 2]);
  const cell = new tf.contrib.rnn.OutputProjectionWrapper(
    new tf.contrib.rnn.BasicRNNCell(4, { activation: tf.nn.relu }),
    { outputSize: 1 },
  );
  expect(cell.outputSize).toBe(1);
  expect(cell.stateSize).toBe(4);
  const [outputs, states] = tf.nn.dynamicRnn(cell, X, { dtype: tf.float32 });
  expect(outputs.shape).toEqual([null, 3, 1]);
  expect(tf.globalVariables().map((v) => v.name)).toEqual([
    'rnn/output_projection_wrapper/basic_rnn_cell/kernel:0',
    'rnn/output_projection_wrapper/basic_rnn_cell/bias:0',
    'rnn/output_projection_wrapper/kernel:0',
    'rnn/output_projection_wrapper/bias:0',
  ]);
  const sess = new tf.Session();
  sess.run(tf.globalVariablesInitializer());
  const [K, b, P, pb] = tf.globalVariables().map((v) => Array.from(sess.run(v).data));
  // A non-zero RNN bias so that ReLU units are active.
  const bias = [0.5, -0.2, 0.3, 0.1];
  sess.run(tf.assign(tf.globalVariables()[1] as tf.Variable, bias));
  const x = [
    [
      [1, -1],
      [0.5, 2],
      [-1, 0],
    ],
  ];
  const [out, st] = sess.run([outputs, states as tf.Tensor], [[X, x]]);
  sess.close();
  expect(b).toEqual([0, 0, 0, 0]);
  expect(pb).toEqual([0]);
  let h = [0, 0, 0, 0];
  (x[0] as number[][]).forEach((xt, t) => {
    const z = [...xt, ...h];
    h = bias.map((bj, j) =>
      Math.max(
        0,
        z.reduce((s, v, i) => s + v * (K?.[i * 4 + j] as number), bj),
      ),
    );
    const y = h.reduce((s, v, i) => s + v * (P?.[i] as number), 0);
    expect(out?.get(0, t, 0)).toBeCloseTo(y, 5);
  });
  Array.from(st?.data ?? []).forEach((v, j) => expect(v).toBeCloseTo(h[j] as number, 5));
  expect(
    () => new tf.contrib.rnn.OutputProjectionWrapper(new tf.contrib.rnn.BasicRNNCell(2), { outputSize: 0 }),
  ).toThrow('Parameter output_size must be > 0: 0.');
});
