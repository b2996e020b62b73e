import * as tf from '../../src';
import { NDArray } from '../../src';
import {
  BasicLSTMCell,
  BasicRNNCell,
  dynamicRnn,
  GRUCell,
  LSTMStateTuple,
  MultiRNNCell,
  RNNCell,
  staticRnn,
} from '../../src/nn/rnn';
import { float64Session, randomArray } from '../helpers/gradcheck';

// ---------------------------------------------------------------- float64 reference math

type Mat = number[][];
const rows = (a: NDArray): Mat => a.toArray() as Mat;
const vec = (a: NDArray): number[] => Array.from(a.data, Number);
const sig = (v: number): number => 1 / (1 + Math.exp(-v));
function affine(x: Mat, W: Mat, b: number[]): Mat {
  return x.map((row) => b.map((bj, j) => row.reduce((s, v, k) => s + v * (W[k] as number[])[j]!, bj)));
}
const cat = (a: Mat, b: Mat): Mat => a.map((r, i) => [...r, ...(b[i] as number[])]);
const cols = (m: Mat, from: number, to: number): Mat => m.map((r) => r.slice(from, to));
const zip = (a: Mat, b: Mat, f: (x: number, y: number) => number): Mat =>
  a.map((r, i) => r.map((v, j) => f(v, (b[i] as number[])[j]!)));
const mapM = (a: Mat, f: (x: number) => number): Mat => a.map((r) => r.map(f));

/** TF1 GRUCell.call, from the cell's variable values. */
function refGru(x: Mat, h: Mat, v: Record<string, NDArray>, n: number): Mat {
  const gates = mapM(affine(cat(x, h), rows(v.gk!), vec(v.gb!)), sig);
  const r = cols(gates, 0, n);
  const u = cols(gates, n, 2 * n);
  const c = mapM(
    affine(
      cat(
        x,
        zip(r, h, (a, b) => a * b),
      ),
      rows(v.ck!),
      vec(v.cb!),
    ),
    Math.tanh,
  );
  return u.map((row, i) => row.map((uj, j) => uj * h[i]![j]! + (1 - uj) * c[i]![j]!));
}
/** TF1 BasicLSTMCell.call: gates i, j, f, o; forget bias added to f. */
function refLstm(
  x: Mat,
  c: Mat,
  h: Mat,
  v: Record<string, NDArray>,
  n: number,
  forgetBias: number,
): [Mat, Mat] {
  const z = affine(cat(x, h), rows(v.k!), vec(v.b!));
  const [i, j, f, o] = [0, 1, 2, 3].map((q) => cols(z, q * n, (q + 1) * n)) as [Mat, Mat, Mat, Mat];
  const newC = c.map((row, a) =>
    row.map((cv, b) => cv * sig(f[a]![b]! + forgetBias) + sig(i[a]![b]!) * Math.tanh(j[a]![b]!)),
  );
  const newH = newC.map((row, a) => row.map((cv, b) => Math.tanh(cv) * sig(o[a]![b]!)));
  return [newC, newH];
}
function expectMat(actual: NDArray, expected: Mat, tol = 1e-12): void {
  expect(actual.shape).toEqual([expected.length, expected[0]!.length]);
  const flat = expected.flat();
  actual.data.forEach((v, i) => {
    if (Math.abs((v as number) - flat[i]!) > tol) throw new Error(`element ${i}: ${v} vs ${flat[i]}`);
  });
}

function inGraph<T>(fn: (sess: tf.Session, g: tf.Graph) => T): T {
  const g = new tf.Graph();
  return g.asDefault(() => {
    tf.setRandomSeed(1234);
    return fn(float64Session(g), g);
  });
}

// ---------------------------------------------------------------- cells vs TF1 equations

describe("cells match TF1 equations (computed here from the cells' own variables)", () => {
  const xv = randomArray([3, 4], 11);
  const hv = randomArray([3, 5], 12);
  const cv = randomArray([3, 5], 13);

  test("GRUCell: gates r then u, h' = u∘h + (1−u)∘c, variable shapes and initial biases", () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [3, 4], 'x');
      const h = tf.placeholder('float32', [3, 5], 'h');
      const cell = new GRUCell(5);
      expect(cell.stateSize).toBe(5);
      expect(cell.outputSize).toBe(5);
      const [out, state] = tf.variableScope('rnn', () => cell.call(x, h));
      expect(state).toBe(out);
      expect(cell.variables.map((v) => `${v.opName} ${JSON.stringify(v.shape)}`)).toEqual([
        'rnn/gru_cell/gates/kernel [9,10]',
        'rnn/gru_cell/gates/bias [10]',
        'rnn/gru_cell/candidate/kernel [9,5]',
        'rnn/gru_cell/candidate/bias [5]',
      ]);
      sess.run(tf.globalVariablesInitializer());
      const [gk, gb, ck, cb] = sess.run(cell.variables);
      expect(vec(gb!)).toEqual(new Array(10).fill(1));
      expect(vec(cb!)).toEqual(new Array(5).fill(0));
      const result = sess.run(out, { x: xv, h: hv });
      expectMat(result, refGru(rows(xv), rows(hv), { gk: gk!, gb: gb!, ck: ck!, cb: cb! }, 5));
    });
  });

  test('BasicLSTMCell: gates i, j, f, o with forget bias 1.0; LSTMStateTuple(c, h)', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [3, 4], 'x');
      const c = tf.placeholder('float32', [3, 5], 'c');
      const h = tf.placeholder('float32', [3, 5], 'h');
      const cell = new BasicLSTMCell(5);
      expect(cell.stateSize).toEqual(new LSTMStateTuple(5, 5));
      const [out, state] = tf.variableScope('rnn', () => cell.call(x, new LSTMStateTuple(c, h)));
      expect(state).toBeInstanceOf(LSTMStateTuple);
      expect(cell.variables.map((v) => `${v.opName} ${JSON.stringify(v.shape)}`)).toEqual([
        'rnn/basic_lstm_cell/kernel [9,20]',
        'rnn/basic_lstm_cell/bias [20]',
      ]);
      sess.run(tf.globalVariablesInitializer());
      // Non-zero biases so that the gate order is visible through them too.
      const bias = randomArray([20], 14);
      const [k] = sess.run(cell.variables);
      const s = state as LSTMStateTuple;
      const feeds = new Map<tf.Tensor, NDArray>([
        [x, xv],
        [c, cv],
        [h, hv],
        [cell.variables[1] as tf.Tensor, bias],
      ]);
      const [o, newC, newH] = sess.run([out, s.c, s.h], feeds);
      const [refC, refH] = refLstm(rows(xv), rows(cv), rows(hv), { k: k!, b: bias }, 5, 1.0);
      expectMat(newC, refC);
      expectMat(newH, refH);
      expectMat(o, refH);
    });
  });

  test('BasicRNNCell: tanh(W·[x, h] + b)', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [3, 4], 'x');
      const h = tf.placeholder('float32', [3, 5], 'h');
      const cell = new BasicRNNCell(5);
      const [out] = tf.variableScope('rnn', () => cell.call(x, h));
      expect(cell.variables.map((v) => v.opName)).toEqual([
        'rnn/basic_rnn_cell/kernel',
        'rnn/basic_rnn_cell/bias',
      ]);
      sess.run(tf.globalVariablesInitializer());
      const [k, b] = sess.run(cell.variables);
      expectMat(
        sess.run(out, { x: xv, h: hv }),
        mapM(affine(cat(rows(xv), rows(hv)), rows(k!), vec(b!)), Math.tanh),
      );
    });
  });

  test('MultiRNNCell: cells chained, state tuple, variables under multi_rnn_cell/cell_i', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [3, 4], 'x');
      const h = tf.placeholder('float32', [3, 5], 'h');
      const c = tf.placeholder('float32', [3, 5], 'c');
      const h2 = tf.placeholder('float32', [3, 5], 'h2');
      const cell = new MultiRNNCell([new GRUCell(5), new BasicLSTMCell(5, { forgetBias: 0.5 })]);
      expect(cell.stateSize).toEqual([5, new LSTMStateTuple(5, 5)]);
      const [out, state] = tf.variableScope('rnn', () => cell.call(x, [h, new LSTMStateTuple(c, h2)]));
      expect(cell.variables.map((v) => v.opName)).toEqual([
        'rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel',
        'rnn/multi_rnn_cell/cell_0/gru_cell/gates/bias',
        'rnn/multi_rnn_cell/cell_0/gru_cell/candidate/kernel',
        'rnn/multi_rnn_cell/cell_0/gru_cell/candidate/bias',
        'rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel',
        'rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias',
      ]);
      sess.run(tf.globalVariablesInitializer());
      const [gk, gb, ck, cb, k, b] = sess.run(cell.variables);
      const [s0, s1] = state as [tf.Tensor, LSTMStateTuple];
      const [o, a, lc] = sess.run([out, s0, s1.c], { x: xv, h: hv, c: cv, h2: hv });
      const h1 = refGru(rows(xv), rows(hv), { gk: gk!, gb: gb!, ck: ck!, cb: cb! }, 5);
      const [refC, refH] = refLstm(h1, rows(cv), rows(hv), { k: k!, b: b! }, 5, 0.5);
      expectMat(a, h1);
      expectMat(lc, refC);
      expectMat(o, refH);
    });
  });

  test('zeroState has the state structure; tensor batch sizes keep the static unit dim', () => {
    inGraph((sess) => {
      const lstm = new BasicLSTMCell(3);
      const z = lstm.zeroState(2, 'float32') as LSTMStateTuple;
      expect(z).toBeInstanceOf(LSTMStateTuple);
      expect(z.c.shape).toEqual([2, 3]);
      expect(z.c.op.name).toMatch(/^BasicLSTMCellZeroState\//);
      const b = tf.placeholder('int32', [], 'b');
      const multi = new MultiRNNCell([new GRUCell(4), lstm]);
      const zs = multi.zeroState(b) as [tf.Tensor, LSTMStateTuple];
      expect(zs[0].shape).toEqual([null, 4]);
      expect(sess.run(zs[1].h, { b: 5 }).shape).toEqual([5, 3]);
    });
  });

  test('inputs with an unknown depth are refused', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, null], 'x');
      expect(() => new GRUCell(3).call(x, tf.zeros([2, 3]))).toThrow(
        /Expected inputs.shape\[-1\] to be known, saw shape: \[2,\?\]/,
      );
    });
  });
});

// ---------------------------------------------------------------- staticRnn vs dynamicRnn

const cellsUnderTest: [string, () => RNNCell, string][] = [
  ['BasicRNNCell', () => new BasicRNNCell(4), 'rnn/basic_rnn_cell/kernel'],
  ['GRUCell', () => new GRUCell(4), 'rnn/gru_cell/gates/kernel'],
  ['BasicLSTMCell', () => new BasicLSTMCell(4), 'rnn/basic_lstm_cell/kernel'],
  [
    'MultiRNNCell(GRU, LSTM)',
    () => new MultiRNNCell([new GRUCell(4), new BasicLSTMCell(3)]),
    'rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel',
  ],
];

describe.each(cellsUnderTest)('staticRnn and dynamicRnn agree: %s', (_label, makeCell, firstVar) => {
  const T = 5;
  const xv = randomArray([3, T, 2], 21);
  for (const withLengths of [false, true]) {
    test(`same outputs, final state and gradients${withLengths ? ' with sequenceLength' : ''}`, () => {
      inGraph((sess) => {
        const x = tf.placeholder('float32', [null, T, 2], 'x');
        const cell = makeCell();
        const sequenceLength = withLengths ? tf.constant([5, 2, 0], 'int32') : undefined;
        const [dOut, dState] = dynamicRnn(cell, x, { dtype: 'float32', sequenceLength });
        expect(cell.variables[0]?.opName).toBe(firstVar);
        const nVars = tf.globalVariables().length;
        // The same cell object, unrolled: it reuses its variables (no new ones).
        const [sOuts, sState] = staticRnn(cell, tf.unstack(x, { axis: 1 }), {
          dtype: 'float32',
          sequenceLength,
        });
        expect(tf.globalVariables().length).toBe(nVars);
        const sOut = tf.stack(sOuts, 1);
        const dLeaves = flattenState(dState);
        const sLeaves = flattenState(sState);
        expect(dLeaves.length).toBe(sLeaves.length);

        const u = randomArray([3, T, (dOut.shape?.[2] as number) ?? 0], 22);
        const loss = (out: tf.Tensor, leaves: tf.Tensor[]) =>
          tf.add(
            tf.reduceSum(tf.multiply(out, tf.constant(u))),
            tf.addN(leaves.map((l) => tf.reduceSum(tf.square(l)))),
          );
        const wrt = [x, ...cell.variables];
        const dGrads = tf.gradients(loss(dOut, dLeaves), wrt) as tf.Tensor[];
        const sGrads = tf.gradients(loss(sOut, sLeaves), wrt) as tf.Tensor[];
        sess.run(tf.globalVariablesInitializer());
        const feeds = { x: xv };
        const [d, s] = sess.run(
          [
            [dOut, ...dLeaves, ...dGrads],
            [sOut, ...sLeaves, ...sGrads],
          ],
          feeds,
        );
        d.forEach((dv, i) => {
          const sv = s[i] as NDArray;
          expect(dv.shape).toEqual(sv.shape);
          dv.data.forEach((v, k) => {
            if (Math.abs((v as number) - (sv.data[k] as number)) > 1e-12)
              throw new Error(`value ${i}, element ${k}: ${v} vs ${sv.data[k]}`);
          });
        });
        if (withLengths) {
          // Outputs past a sequence's length are zero; row 2 (length 0) keeps its zero state.
          const out = sess.run(dOut, feeds).toArray() as number[][][];
          expect(
            out[1]!
              .slice(2)
              .flat()
              .every((v) => v === 0),
          ).toBe(true);
          expect(out[2]!.flat().every((v) => v === 0)).toBe(true);
          expect(out[1]![1]!.some((v) => v !== 0)).toBe(true);
        }
      });
    });
  }
});

function flattenState(s: unknown): tf.Tensor[] {
  if (s instanceof tf.Tensor) return [s];
  if (Array.isArray(s)) return s.flatMap(flattenState);
  const o = s as { c: tf.Tensor; h: tf.Tensor };
  return [o.c, o.h];
}

describe('dynamicRnn', () => {
  test("sequenceLength: the final state is the state at each sequence's last step", () => {
    inGraph((sess) => {
      const xv = randomArray([2, 6, 3], 31);
      const x = tf.placeholder('float32', [2, null, 3], 'x');
      const cell = new BasicLSTMCell(4);
      const [, state] = dynamicRnn(cell, x, { dtype: 'float32', sequenceLength: [6, 3] });
      // The same cell on the first 3 steps only, no lengths.
      const [, short] = tf.variableScope('short', () =>
        dynamicRnn(cell, tf.slice(x, [0, 0, 0], [2, 3, 3]), { dtype: 'float32' }),
      );
      sess.run(tf.globalVariablesInitializer());
      const s = state as LSTMStateTuple;
      const t = short as LSTMStateTuple;
      const [c, h, c3, h3] = sess.run([s.c, s.h, t.c, t.h], { x: xv });
      const row = (a: NDArray, r: number) => Array.from(a.data.slice(r * 4, r * 4 + 4));
      expect(row(c, 1)).toEqual(row(c3, 1));
      expect(row(h, 1)).toEqual(row(h3, 1));
      expect(row(h, 0)).not.toEqual(row(h3, 0));
    });
  });

  test('time may be unknown until run time; timeMajor; initialState', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [null, null, 2], 'x');
      const h0 = tf.placeholder('float32', [null, 3], 'h0');
      const cell = new GRUCell(3);
      const [out, state] = dynamicRnn(cell, x, { initialState: h0 });
      expect(out.shape).toEqual([null, null, 3]);
      const [outTM] = dynamicRnn(cell, tf.transpose(x, [1, 0, 2]), {
        initialState: h0,
        timeMajor: true,
        scope: 'tm',
      });
      sess.run(tf.globalVariablesInitializer());
      for (const T of [1, 4]) {
        const feeds = { x: randomArray([2, T, 2], 40 + T), h0: randomArray([2, 3], 50) };
        const [o, s, otm] = sess.run([out, state as tf.Tensor, outTM], feeds);
        expect(o.shape).toEqual([2, T, 3]);
        expect(otm.shape).toEqual([T, 2, 3]);
        // The last output is the final state (no sequenceLength).
        expect(Array.from(o.data).filter((_v, i) => Math.floor(i / 3) % T === T - 1)).toEqual(
          Array.from(s.data),
        );
      }
    });
  });

  test('variable sharing: a new cell in the same scope needs reuse (TF1 errors)', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [2, 3, 2], 'x');
      const [a] = dynamicRnn(new GRUCell(3), x, { dtype: 'float32' });
      expect(() => dynamicRnn(new GRUCell(3), x, { dtype: 'float32' })).toThrow(
        /^Variable rnn\/gru_cell\/gates\/kernel already exists, disallowed\. Did you mean to set reuse=True or reuse=tf\.AUTO_REUSE in VarScope\?/,
      );
      const [b] = tf.variableScope('rnn', { reuse: true }, (scope) =>
        dynamicRnn(new GRUCell(3), x, { dtype: 'float32', scope }),
      );
      expect(tf.globalVariables().map((v) => v.opName)).toEqual([
        'rnn/gru_cell/gates/kernel',
        'rnn/gru_cell/gates/bias',
        'rnn/gru_cell/candidate/kernel',
        'rnn/gru_cell/candidate/bias',
      ]);
      expect(() =>
        dynamicRnn(new GRUCell(3, { reuse: true }), x, { dtype: 'float32', scope: 'other' }),
      ).toThrow(
        /^Variable other\/gru_cell\/gates\/kernel does not exist, or was not created with tf\.get_variable\(\)/,
      );
      sess.run(tf.globalVariablesInitializer());
      const feeds = { x: randomArray([2, 3, 2], 60) };
      expect(Array.from(sess.run(b as tf.Tensor, feeds).data)).toEqual(Array.from(sess.run(a, feeds).data));
    });
  });

  test('weight gradients match central differences (variables fed as tensors)', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [2, 4, 3], 'x');
      const cell = new MultiRNNCell([new GRUCell(3), new BasicLSTMCell(2)]);
      const [out, state] = dynamicRnn(cell, x, { dtype: 'float32', sequenceLength: [4, 3] });
      const u = randomArray([2, 4, 2], 70);
      const loss = tf.add(
        tf.reduceSum(tf.multiply(out, tf.constant(u))),
        tf.reduceSum(flattenState(state)[0] as tf.Tensor),
      );
      const vars = cell.variables as tf.Tensor[];
      const grads = tf.gradients(loss, vars) as tf.Tensor[];
      sess.run(tf.globalVariablesInitializer());
      const values = sess.run(vars);
      const dirs = values.map((v, i) => randomArray(v.shape, 80 + i));
      const feeds = (sign: number, h: number) =>
        new Map<tf.Tensor, NDArray>([
          [x, randomArray([2, 4, 3], 71)],
          ...vars.map((v, i): [tf.Tensor, NDArray] => [
            v,
            new NDArray(
              values[i]!.data.map((a, k) => a + sign * h * (dirs[i]!.data[k] as number)) as Float64Array,
              values[i]!.shape,
              'float32',
            ),
          ]),
        ]);
      const g = sess.run(grads, feeds(0, 0));
      let symbolic = 0;
      g.forEach((gi, i) =>
        gi.data.forEach((v, k) => (symbolic += (v as number) * (dirs[i]!.data[k] as number))),
      );
      const h = 1e-5;
      const numeric =
        ((sess.run(loss, feeds(1, h)).item() as number) - (sess.run(loss, feeds(-1, h)).item() as number)) /
        (2 * h);
      expect(Math.abs(symbolic - numeric)).toBeLessThan(1e-7 * Math.max(1, Math.abs(numeric)));
    });
  });

  test('BPTT training: a GRU learns to recall the first element of a sequence', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      tf.setRandomSeed(5);
      const T = 5;
      const x = tf.placeholder('float32', [null, T, 1], 'x');
      const y = tf.placeholder('float32', [null, 1], 'y');
      const cell = new GRUCell(8);
      const [, state] = dynamicRnn(cell, x, { dtype: 'float32' });
      const W = tf.getVariable('out/W', { shape: [8, 1] });
      const b = tf.getVariable('out/b', { shape: [1], initializer: tf.initializers.zeros() });
      const pred = tf.add(tf.matmul(state as tf.Tensor, W), b);
      const loss = tf.reduceMean(tf.square(tf.subtract(pred, y)));
      const train = new tf.train.AdamOptimizer(0.05).minimize(loss);
      const sess = new tf.Session({ graph: g });
      sess.run(tf.globalVariablesInitializer());
      const batch = (seed: number) => {
        const xs = randomArray([32, T, 1], seed);
        const ys = new NDArray(
          Float32Array.from({ length: 32 }, (_v, i) => xs.data[i * T] as number),
          [32, 1],
          'float32',
        );
        return { x: xs, y: ys };
      };
      const test = batch(999);
      const before = sess.run(loss, test).item() as number;
      for (let step = 0; step < 150; step++) sess.run(train, batch(step + 1));
      const after = sess.run(loss, test).item() as number;
      expect(after).toBeLessThan(before * 0.2);
    });
  });
});
