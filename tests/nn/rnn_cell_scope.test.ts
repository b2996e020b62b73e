// TF1's `cell(inputs, state, scope=None)`: a scope given on the first call becomes the cell's own
// variable scope ('myrnn/kernel', not 'basic_rnn_cell/kernel'); a wrapper opens it around the wrapped
// cell ('dec/basic_lstm_cell/kernel'). The argument used to be dropped silently.
import * as tf from '../../src';

beforeEach(() => tf.resetDefaultGraph());

test('cell.call(x, state, scope): variables under the scope, shared by later calls; numbers unchanged', () => {
  const cell = new tf.nn.rnnCell.BasicRNNCell(2);
  const x = tf.constant([[1, -1, 0.5]]);
  const s0 = cell.zeroState(1, tf.float32);
  const [h1] = cell.call(x, s0, 'myrnn');
  const [h2] = cell.call(x, s0, { scope: 'myrnn' });
  expect(tf.globalVariables().map((v) => v.name)).toEqual(['myrnn/kernel:0', 'myrnn/bias:0']);
  expect(h1.name).toBe('myrnn/Tanh:0');
  const sess = new tf.Session();
  sess.run(tf.globalVariablesInitializer());
  const kernel = sess.run(cell.variables[0] as tf.Variable).toArray() as number[][];
  // h = tanh([x, 0]·K + 0), computed here.
  const expected = [0, 1].map((o) =>
    Math.tanh([1, -1, 0.5].reduce((a, v, i) => a + v * (kernel[i]?.[o] as number), 0)),
  );
  const [v1, v2] = sess.run([h1, h2]);
  expect(Array.from(v1?.data ?? [])).toEqual(Array.from(v2?.data ?? []));
  (Array.from(v1?.data ?? []) as number[]).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
  sess.close();
  expect(() => cell.call(x, s0, 3 as never)).toThrow(/argument 'scope' must be a scope name/);
  expect(() => cell.call(x, s0, { scop: 'x' } as never)).toThrow(/unexpected keyword argument 'scop'/);
});

test('a wrapper called with a scope puts the wrapped cell under it; without one nothing changes', () => {
  const d = new tf.nn.rnnCell.DropoutWrapper(new tf.nn.rnnCell.BasicLSTMCell(4), { outputKeepProb: 0.5 });
  d.call(tf.zeros([2, 3]), d.zeroState(2, tf.float32), 'dec');
  const plain = new tf.nn.rnnCell.GRUCell(3);
  plain.call(tf.zeros([2, 3]), plain.zeroState(2, tf.float32));
  expect(tf.globalVariables().map((v) => v.name)).toEqual([
    'dec/basic_lstm_cell/kernel:0',
    'dec/basic_lstm_cell/bias:0',
    'gru_cell/gates/kernel:0',
    'gru_cell/gates/bias:0',
    'gru_cell/candidate/kernel:0',
    'gru_cell/candidate/bias:0',
  ]);
});
