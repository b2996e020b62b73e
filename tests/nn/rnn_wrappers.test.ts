import * as tf from '../../src';
import { NDArray } from '../../src';
import { float64Session, randomArray } from '../helpers/gradcheck';

function inGraph<T>(fn: (sess: tf.Session, g: tf.Graph) => T): T {
  const g = new tf.Graph();
  return g.asDefault(() => {
    tf.setRandomSeed(7);
    return fn(float64Session(g), g);
  });
}
const flat = (a: NDArray): number[] => Array.from(a.data, Number);
type LSTMState = tf.nn.rnnCell.LSTMStateTuple;

describe('tf.nn.rnnCell.DropoutWrapper', () => {
  test('keep probabilities 1: the wrapped cell unchanged, its variable names kept (no wrapper scope)', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [4, 6, 3], 'x');
      const inner = new tf.nn.rnnCell.LSTMCell(5);
      const cell = new tf.nn.rnnCell.DropoutWrapper(inner, 1.0, 1.0, 1.0);
      expect(cell.stateSize).toEqual(inner.stateSize);
      expect(cell.outputSize).toBe(5);
      const [out, state] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
      expect(tf.globalVariables().map((v) => v.opName)).toEqual([
        'rnn/lstm_cell/kernel',
        'rnn/lstm_cell/bias',
      ]);
      expect(cell.variables).toEqual(inner.variables);
      const [ref, refState] = tf.nn.dynamicRnn(inner, x, { dtype: 'float32', scope: 'ref' });
      sess.run(tf.globalVariablesInitializer());
      const feeds = { x: randomArray([4, 6, 3], 1) };
      const [a, b, c, d] = sess.run([out, (state as LSTMState).h, ref, (refState as LSTMState).h], feeds);
      expect(flat(a!)).toEqual(flat(c!));
      expect(flat(b!)).toEqual(flat(d!));
      const z = cell.zeroState(2, 'float32') as LSTMState;
      expect(z.c.op.name).toMatch(/^DropoutWrapperZeroState\/LSTMCellZeroState\//);
    });
  });

  test('MultiRNNCell of DropoutWrappers: TF1 variable names multi_rnn_cell/cell_i/lstm_cell/…', () => {
    inGraph(() => {
      const cells = [0, 1].map(
        () => new tf.nn.rnnCell.DropoutWrapper(new tf.nn.rnnCell.BasicLSTMCell(4), { outputKeepProb: 0.5 }),
      );
      tf.nn.dynamicRnn(new tf.nn.rnnCell.MultiRNNCell(cells), tf.zeros([2, 3, 2]), { dtype: 'float32' });
      expect(tf.globalVariables().map((v) => v.opName)).toEqual([
        'rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel',
        'rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias',
        'rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel',
        'rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias',
      ]);
    });
  });

  test('output dropout: each output is 0 or output/keepProb, kept with probability keepProb, new masks per step; seeded runs repeat', () => {
    const run = (): [number[], number[]] =>
      inGraph((sess) => {
        const x = tf.placeholder('float32', [200, 4, 3], 'x');
        const inner = new tf.nn.rnnCell.GRUCell(10);
        const cell = new tf.nn.rnnCell.DropoutWrapper(inner, { outputKeepProb: 0.7, seed: 3 });
        const [out] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
        const [ref] = tf.nn.dynamicRnn(inner, x, { dtype: 'float32', scope: 'ref' });
        sess.run(tf.globalVariablesInitializer());
        const feeds = { x: randomArray([200, 4, 3], 2) };
        const [o, r] = sess.run([out, ref], feeds);
        return [flat(o!), flat(r!)];
      });
    const [o, r] = run();
    let kept = 0;
    o.forEach((v, i) => {
      if (v === 0) return;
      kept++;
      expect(Math.abs(v - r[i]! / 0.7)).toBeLessThan(1e-12);
    });
    const frac = kept / o.length; // 8000 draws: sd ≈ 0.005
    expect(Math.abs(frac - 0.7)).toBeLessThan(0.03);
    // Masks differ between time steps (dropout is drawn at every step).
    const stepMask = (t: number) =>
      Array.from({ length: 200 * 10 }, (_v, k) => o[Math.floor(k / 10) * 40 + t * 10 + (k % 10)] !== 0);
    expect(stepMask(0)).not.toEqual(stepMask(1));
    // The same seeds (graph and wrapper) give the same masks in a new graph.
    expect(run()[0]).toEqual(o);
  });

  test('a keep-probability placeholder: fed 1.0 it is the identity, fed 0.5 it drops', () => {
    inGraph((sess) => {
      const keepProb = tf.placeholder('float32', [], 'keep_prob');
      const x = tf.placeholder('float32', [50, 3], 'x');
      const inner = new tf.nn.rnnCell.BasicRNNCell(8);
      const cell = new tf.nn.rnnCell.DropoutWrapper(inner, {
        inputKeepProb: keepProb,
        outputKeepProb: keepProb,
      });
      const h = tf.zeros([50, 8]);
      const [out] = cell.call(x, h);
      const [ref] = inner.call(x, h);
      sess.run(tf.globalVariablesInitializer());
      const xv = randomArray([50, 3], 4);
      const [a, b] = sess.run([out, ref], { x: xv, keep_prob: 1.0 });
      expect(flat(a!)).toEqual(flat(b!));
      const c = flat(sess.run(out, { x: xv, keep_prob: 0.5 }));
      expect(c.filter((v) => v === 0).length).toBeGreaterThan(50);
    });
  });

  test("state dropout: an LSTM state's c is never dropped, h is (default filter); a custom filter drops c too", () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [100, 3], 'x');
      const inner = new tf.nn.rnnCell.LSTMCell(6);
      const s0 = inner.zeroState(100, 'float32');
      const [, ref] = tf.variableScope('rnn', () => inner.call(x, s0));
      const wrapped = new tf.nn.rnnCell.DropoutWrapper(inner, { stateKeepProb: 0.5, seed: 1 });
      const [out, st] = wrapped.call(x, s0);
      const all = new tf.nn.rnnCell.DropoutWrapper(inner, {
        stateKeepProb: 0.5,
        seed: 2,
        dropoutStateFilterVisitor: () => true,
      });
      const [, st2] = all.call(x, s0);
      sess.run(tf.globalVariablesInitializer());
      const r = ref as LSTMState;
      const [c, h, o, rc, rh, c2] = sess.run(
        [(st as LSTMState).c, (st as LSTMState).h, out, r.c, r.h, (st2 as LSTMState).c],
        { x: randomArray([100, 3], 5) },
      );
      expect(flat(c!)).toEqual(flat(rc!));
      expect(flat(o!)).toEqual(flat(rh!)); // the output is not dropped
      const hv = flat(h!);
      const rhv = flat(rh!);
      expect(hv.filter((v) => v === 0).length).toBeGreaterThan(200);
      hv.forEach((v, i) => v !== 0 && expect(Math.abs(v - rhv[i]! * 2)).toBeLessThan(1e-12));
      expect(flat(c2!).filter((v) => v === 0).length).toBeGreaterThan(200);
    });
  });

  test('variationalRecurrent: one mask per tensor, shared by every time step and every batch row', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [3, 5, 2], 'x');
      const inner = new tf.nn.rnnCell.GRUCell(40);
      const cell = new tf.nn.rnnCell.DropoutWrapper(inner, {
        outputKeepProb: 0.5,
        variationalRecurrent: true,
        dtype: 'float32',
        seed: 11,
      });
      const [out] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
      const [ref] = tf.nn.dynamicRnn(inner, x, { dtype: 'float32', scope: 'ref' });
      sess.run(tf.globalVariablesInitializer());
      const [o, r] = sess.run([out, ref], { x: randomArray([3, 5, 2], 6) });
      const O = o!.toArray() as number[][][];
      const R = r!.toArray() as number[][][];
      const mask = O[0]![0]!.map((v) => v !== 0);
      expect(mask.filter(Boolean).length).toBeGreaterThan(5);
      expect(mask.filter((m) => !m).length).toBeGreaterThan(5);
      O.forEach((row, b) =>
        row.forEach((step, t) =>
          step.forEach((v, j) => {
            expect(v !== 0).toBe(mask[j]);
            if (mask[j]) expect(Math.abs(v - R[b]![t]![j]! * 2)).toBeLessThan(1e-12);
          }),
        ),
      );
    });
  });

  test('errors: keep probabilities outside [0, 1], variational without dtype or inputSize, unknown options', () => {
    inGraph(() => {
      const cell = new tf.nn.rnnCell.GRUCell(2);
      expect(() => new tf.nn.rnnCell.DropoutWrapper(cell, { outputKeepProb: 1.5 })).toThrow(
        /Parameter output_keep_prob must be between 0 and 1: 1\.5/,
      );
      expect(() => new tf.nn.rnnCell.DropoutWrapper(cell, { variationalRecurrent: true })).toThrow(
        /When variational_recurrent=True, dtype must be provided/,
      );
      expect(
        () =>
          new tf.nn.rnnCell.DropoutWrapper(cell, {
            inputKeepProb: 0.5,
            variationalRecurrent: true,
            dtype: 'float32',
          }),
      ).toThrow(/input_size must be provided/);
      expect(() => new tf.nn.rnnCell.DropoutWrapper(cell, { keepProb: 0.5 } as never)).toThrow(TypeError);
      expect(() => new tf.nn.rnnCell.DropoutWrapper(3 as never)).toThrow(TypeError);
    });
  });
});

describe('tf.nn.rnnCell.ResidualWrapper', () => {
  test('output = inputs + cell output; state unchanged; residualFn; shape mismatch refused', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [3, 4], 'x');
      const inner = new tf.nn.rnnCell.GRUCell(4);
      const cell = new tf.nn.rnnCell.ResidualWrapper(inner);
      const h = tf.constant(randomArray([3, 4], 8));
      const [out, st] = tf.variableScope('rnn', () => cell.call(x, h));
      expect(cell.variables[0]?.opName).toBe('rnn/gru_cell/gates/kernel');
      const [ref] = tf.variableScope('rnn', () => inner.call(x, h));
      const custom = new tf.nn.rnnCell.ResidualWrapper(inner, (i: tf.Tensor, o: tf.Tensor) =>
        tf.subtract(o, i),
      );
      const [out2] = custom.call(x, h);
      sess.run(tf.globalVariablesInitializer());
      const xv = randomArray([3, 4], 9);
      const [a, s, r, b] = sess.run([out, st as tf.Tensor, ref, out2], { x: xv });
      const xs = flat(xv);
      flat(a!).forEach((v, i) => expect(Math.abs(v - (flat(r!)[i]! + xs[i]!))).toBeLessThan(1e-12));
      expect(flat(s!)).toEqual(flat(r!));
      flat(b!).forEach((v, i) => expect(Math.abs(v - (flat(r!)[i]! - xs[i]!))).toBeLessThan(1e-12));
      const bad = new tf.nn.rnnCell.ResidualWrapper(new tf.nn.rnnCell.GRUCell(5));
      expect(() => bad.call(x, tf.zeros([3, 5]))).toThrow(/Shapes \[3,4\] and \[3,5\] are incompatible/);
    });
  });
});

describe('tf.contrib.rnn aliases', () => {
  test('are the tf.nn implementations', () => {
    expect(tf.contrib.rnn.LSTMCell).toBe(tf.nn.rnnCell.LSTMCell);
    expect(tf.contrib.rnn.BasicLSTMCell).toBe(tf.nn.rnnCell.BasicLSTMCell);
    expect(tf.contrib.rnn.GRUCell).toBe(tf.nn.rnnCell.GRUCell);
    expect(tf.contrib.rnn.BasicRNNCell).toBe(tf.nn.rnnCell.BasicRNNCell);
    expect(tf.contrib.rnn.MultiRNNCell).toBe(tf.nn.rnnCell.MultiRNNCell);
    expect(tf.contrib.rnn.DropoutWrapper).toBe(tf.nn.rnnCell.DropoutWrapper);
    expect(tf.contrib.rnn.LSTMStateTuple).toBe(tf.nn.rnnCell.LSTMStateTuple);
    expect(tf.contrib.rnn.staticRnn).toBe(tf.nn.staticRnn);
    expect(tf.contrib.rnn.staticBidirectionalRnn).toBe(tf.nn.staticBidirectionalRnn);
  });
});

describe('DropoutWrapper inside dynamicRnn: gradients (issue 12)', () => {
  test('the gradient uses the masks drawn in the forward run (central differences, same seeds in fresh sessions)', () => {
    const g = new tf.Graph();
    const { x, loss, dx, init } = g.asDefault(() => {
      tf.setRandomSeed(11);
      const x = tf.placeholder('float32', [2, 3, 2], 'x');
      const cell = new tf.nn.rnnCell.DropoutWrapper(new tf.nn.rnnCell.BasicRNNCell(3), {
        inputKeepProb: 0.6,
        outputKeepProb: 0.5,
        seed: 4,
      });
      const [out] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
      const loss = tf.reduceSum(tf.square(out));
      const [dx] = tf.gradients(loss, [x]);
      return { x, loss, dx: dx as tf.Tensor, init: tf.globalVariablesInitializer() };
    });
    const xv = randomArray([2, 3, 2], 5);
    // A fresh session repeats the same initial weights and dropout masks (graph and op seeds).
    const lossAt = (v: NDArray): number => {
      const s = float64Session(g);
      s.run(init);
      return s.run(loss, { [x.name]: v }).data[0] as number;
    };
    const sess = float64Session(g);
    sess.run(init);
    const analytic = flat(sess.run(dx, { [x.name]: xv }));
    const h = 1e-6;
    const numeric = Array.from(xv.data, (_v, k) => {
      const plus = new NDArray(Float64Array.from(xv.data), xv.shape.slice(), 'float32');
      const minus = new NDArray(Float64Array.from(xv.data), xv.shape.slice(), 'float32');
      plus.data[k] = (plus.data[k] as number) + h;
      minus.data[k] = (minus.data[k] as number) - h;
      return (lossAt(plus) - lossAt(minus)) / (2 * h);
    });
    numeric.forEach((d, k) => expect(analytic[k]).toBeCloseTo(d, 5));
    expect(analytic.some((d) => d === 0)).toBe(true); // dropped inputs get no gradient
    expect(analytic.some((d) => d !== 0)).toBe(true);
  });
});
