import * as tf from '../../src';
import { NDArray } from '../../src';
import { float64Session, randomArray } from '../helpers/gradcheck';

// ---------------------------------------------------------------- float64 reference math (TF1 LSTMCell.call)

type Mat = number[][];
const rows = (a: NDArray): Mat => a.toArray() as Mat;
const vec = (a: NDArray): number[] => Array.from(a.data, Number);
const sig = (v: number): number => 1 / (1 + Math.exp(-v));
const clip = (v: number, c: number | null): number => (c === null ? v : Math.min(c, Math.max(-c, v)));
function affine(x: Mat, W: Mat, b: number[]): Mat {
  return x.map((row) => b.map((bj, j) => row.reduce((s, v, k) => s + v * (W[k] as number[])[j]!, bj)));
}
const matmul = (x: Mat, W: Mat): Mat => affine(x, W, new Array<number>(W[0]!.length).fill(0));
const cat = (a: Mat, b: Mat): Mat => a.map((r, i) => [...r, ...(b[i] as number[])]);
const cols = (m: Mat, from: number, to: number): Mat => m.map((r) => r.slice(from, to));

interface LstmRef {
  k: NDArray;
  b: NDArray;
  wf?: NDArray;
  wi?: NDArray;
  wo?: NDArray;
  p?: NDArray;
}
/** TF1 LSTMCell: gates i, j, f, o; peepholes; cell clip; projection and its clip. Returns [c', m']. */
function refLstmCell(
  x: Mat,
  c: Mat,
  m: Mat,
  v: LstmRef,
  n: number,
  o: { forgetBias?: number; cellClip?: number | null; projClip?: number | null } = {},
): [Mat, Mat] {
  const fb = o.forgetBias ?? 1;
  const z = affine(cat(x, m), rows(v.k), vec(v.b));
  const [I, J, F, O] = [0, 1, 2, 3].map((q) => cols(z, q * n, (q + 1) * n)) as [Mat, Mat, Mat, Mat];
  const wf = v.wf ? vec(v.wf) : null;
  const wi = v.wi ? vec(v.wi) : null;
  const wo = v.wo ? vec(v.wo) : null;
  const newC = c.map((row, a) =>
    row.map((cv, q) => {
      const f = F[a]![q]! + fb + (wf ? wf[q]! * cv : 0);
      const i = I[a]![q]! + (wi ? wi[q]! * cv : 0);
      return clip(sig(f) * cv + sig(i) * Math.tanh(J[a]![q]!), o.cellClip ?? null);
    }),
  );
  let newM = newC.map((row, a) =>
    row.map((cv, q) => sig(O[a]![q]! + (wo ? wo[q]! * cv : 0)) * Math.tanh(cv)),
  );
  if (v.p) newM = matmul(newM, rows(v.p)).map((r) => r.map((e) => clip(e, o.projClip ?? null)));
  return [newC, newM];
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
const described = (vars: tf.Variable[]): string[] =>
  vars.map((v) => `${v.opName} ${JSON.stringify(v.shape)}`);

/** Directional derivative check of `loss` w.r.t. `wrt` (placeholders or variables, all fed). */
function gradCheckFed(sess: tf.Session, loss: tf.Tensor, wrt: tf.Tensor[], at: NDArray[], tol = 1e-7): void {
  const grads = tf.gradients(loss, wrt) as tf.Tensor[];
  const dirs = at.map((v, i) => randomArray(v.shape, 900 + i));
  const feeds = (s: number) =>
    new Map<tf.Tensor, NDArray>(
      wrt.map((t, i) => [
        t,
        new NDArray(
          Float64Array.from(at[i]!.data, (a, k) => a + s * (dirs[i]!.data[k] as number)),
          at[i]!.shape,
          'float32',
        ),
      ]),
    );
  const g = sess.run(grads, feeds(0));
  let symbolic = 0;
  g.forEach((gi, i) => gi.data.forEach((v, k) => (symbolic += (v as number) * (dirs[i]!.data[k] as number))));
  const h = 1e-5;
  const numeric =
    ((sess.run(loss, feeds(h)).item() as number) - (sess.run(loss, feeds(-h)).item() as number)) / (2 * h);
  expect(Number.isFinite(symbolic)).toBe(true);
  expect(Math.abs(symbolic)).toBeGreaterThan(1e-6);
  expect(Math.abs(symbolic - numeric)).toBeLessThan(tol * Math.max(1, Math.abs(numeric)));
}

const xv = randomArray([3, 4], 11);
const cv = randomArray([3, 5], 12, -2, 2);
const hv = randomArray([3, 5], 13);

describe('tf.nn.rnnCell.LSTMCell: TF1 equations, variables and state', () => {
  test('default cell: lstm_cell/kernel and lstm_cell/bias, gates i, j, f, o with forget bias 1.0', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [3, 4], 'x');
      const c = tf.placeholder('float32', [3, 5], 'c');
      const h = tf.placeholder('float32', [3, 5], 'h');
      const cell = new tf.nn.rnnCell.LSTMCell(5);
      expect(cell.stateSize).toEqual(new tf.nn.rnnCell.LSTMStateTuple(5, 5));
      expect(cell.outputSize).toBe(5);
      const [out, state] = tf.variableScope('rnn', () =>
        cell.call(x, new tf.nn.rnnCell.LSTMStateTuple(c, h)),
      );
      expect(state).toBeInstanceOf(tf.nn.rnnCell.LSTMStateTuple);
      expect(described(cell.variables)).toEqual(['rnn/lstm_cell/kernel [9,20]', 'rnn/lstm_cell/bias [20]']);
      sess.run(tf.globalVariablesInitializer());
      expect(vec(sess.run(cell.variables[1] as tf.Tensor))).toEqual(new Array(20).fill(0));
      const k = sess.run(cell.variables[0] as tf.Tensor);
      const b = randomArray([20], 14);
      const s = state as tf.nn.rnnCell.LSTMStateTuple;
      const feeds = new Map<tf.Tensor, NDArray>([
        [x, xv],
        [c, cv],
        [h, hv],
        [cell.variables[1] as tf.Tensor, b],
      ]);
      const [o, newC, newH] = sess.run([out, s.c, s.h], feeds);
      const [refC, refM] = refLstmCell(rows(xv), rows(cv), rows(hv), { k, b }, 5);
      expectMat(newC, refC);
      expectMat(newH, refM);
      expectMat(o, refM);
    });
  });

  test('peepholes, cell clip, projection and projection clip (variable order, names, shapes)', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [3, 4], 'x');
      const c = tf.placeholder('float32', [3, 5], 'c');
      const m = tf.placeholder('float32', [3, 2], 'm');
      const cell = new tf.nn.rnnCell.LSTMCell(5, {
        usePeepholes: true,
        cellClip: 0.6,
        numProj: 2,
        projClip: 0.05,
        forgetBias: 0.5,
      });
      expect(cell.stateSize).toEqual(new tf.nn.rnnCell.LSTMStateTuple(5, 2));
      expect(cell.outputSize).toBe(2);
      const [out, state] = tf.variableScope('rnn', () =>
        cell.call(x, new tf.nn.rnnCell.LSTMStateTuple(c, m)),
      );
      expect(out.shape).toEqual([3, 2]);
      expect(described(cell.variables)).toEqual([
        'rnn/lstm_cell/kernel [6,20]',
        'rnn/lstm_cell/bias [20]',
        'rnn/lstm_cell/w_f_diag [5]',
        'rnn/lstm_cell/w_i_diag [5]',
        'rnn/lstm_cell/w_o_diag [5]',
        'rnn/lstm_cell/projection/kernel [5,2]',
      ]);
      expect(tf.trainableVariables().map((v) => v.opName)).toEqual(cell.variables.map((v) => v.opName));
      sess.run(tf.globalVariablesInitializer());
      // Random values for every variable (peepholes of both signs, non-zero biases), fed.
      const values = cell.variables.map((v, i) => randomArray(v.shape as number[], 40 + i, -1.5, 1.5));
      const mv = randomArray([3, 2], 15);
      const feeds = new Map<tf.Tensor, NDArray>([
        [x, xv],
        [c, cv],
        [m, mv],
        ...cell.variables.map((v, i): [tf.Tensor, NDArray] => [v, values[i]!]),
      ]);
      const s = state as tf.nn.rnnCell.LSTMStateTuple;
      const [o, newC, newM] = sess.run([out, s.c, s.h], feeds);
      const [k, b, wf, wi, wo, p] = values as [NDArray, NDArray, NDArray, NDArray, NDArray, NDArray];
      const opts = { forgetBias: 0.5, cellClip: 0.6, projClip: 0.05 };
      const [refC, refM] = refLstmCell(rows(xv), rows(cv), rows(mv), { k, b, wf, wi, wo, p }, 5, opts);
      expectMat(newC, refC);
      expectMat(newM, refM);
      expectMat(o, refM);
      // The clips took effect somewhere (so the test would see them missing).
      const unclipped = refLstmCell(rows(xv), rows(cv), rows(mv), { k, b, wf, wi, wo, p }, 5, {
        forgetBias: 0.5,
      });
      expect(refC.flat().some((v, i) => v !== unclipped[0].flat()[i])).toBe(true);
      expect(refM.flat().some((v) => Math.abs(v) === 0.05)).toBe(true);
      // Without the peepholes the numbers differ (the peephole terms are used).
      const noPeep = refLstmCell(rows(xv), rows(cv), rows(mv), { k, b, p }, 5, opts);
      expect(noPeep[0].flat().some((v, i) => Math.abs(v - refC.flat()[i]!) > 1e-3)).toBe(true);
    });
  });

  test('stateIsTuple false: the state is concat([c, m], 1) of width numUnits + numProj', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [3, 4], 'x');
      const sIn = tf.placeholder('float32', [3, 7], 's');
      const cell = new tf.nn.rnnCell.LSTMCell(5, { numProj: 2, stateIsTuple: false });
      expect(cell.stateSize).toBe(7);
      const [out, state] = tf.variableScope('rnn', () => cell.call(x, sIn));
      expect((state as tf.Tensor).shape).toEqual([3, 7]);
      sess.run(tf.globalVariablesInitializer());
      const [k, b, p] = sess.run(cell.variables);
      const sv = rows(randomArray([3, 7], 16));
      const [o, s] = sess.run([out, state as tf.Tensor], {
        x: xv,
        s: new NDArray(Float64Array.from(sv.flat()), [3, 7], 'float32'),
      });
      const [refC, refM] = refLstmCell(rows(xv), cols(sv, 0, 5), cols(sv, 5, 7), { k: k!, b: b!, p: p! }, 5);
      expectMat(o, refM);
      expectMat(s, cat(refC, refM));
    });
  });

  test('LSTMStateTuple: .c/.h, index access and destructuring; zeroState shapes', () => {
    inGraph(() => {
      const cell = new tf.nn.rnnCell.LSTMCell(4, { numProj: 3 });
      const z = cell.zeroState(2, 'float32') as tf.nn.rnnCell.LSTMStateTuple;
      expect(z).toBeInstanceOf(tf.nn.rnnCell.LSTMStateTuple);
      expect(z[0]).toBe(z.c);
      expect(z[1]).toBe(z.h);
      expect(z.length).toBe(2);
      const [c, h] = z;
      expect(c).toBe(z.c);
      expect(h).toBe(z.h);
      expect(z.c.shape).toEqual([2, 4]);
      expect(z.h.shape).toEqual([2, 3]);
      expect(z.c.op.name).toMatch(/^LSTMCellZeroState\//);
      expect(Object.keys(z).sort()).toEqual(['c', 'h']);
    });
  });

  test('dynamicRnn with LSTMCell(numProj): outputs [batch, time, numProj], final state = last step', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [2, 4, 3], 'x');
      const cell = new tf.nn.rnnCell.LSTMCell(5, { numProj: 2, usePeepholes: true });
      const [out, state] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
      expect(out.shape).toEqual([2, 4, 2]);
      expect(cell.variables[0]?.opName).toBe('rnn/lstm_cell/kernel');
      sess.run(tf.globalVariablesInitializer());
      const xs = randomArray([2, 4, 3], 17);
      const vals = sess.run(cell.variables);
      const [o, h] = sess.run([out, (state as tf.nn.rnnCell.LSTMStateTuple).h], { x: xs });
      // Unroll the reference over time.
      const X = xs.toArray() as number[][][];
      let C: Mat = [new Array(5).fill(0), new Array(5).fill(0)];
      let M: Mat = [new Array(2).fill(0), new Array(2).fill(0)];
      const [k, b, wf, wi, wo, p] = vals as [NDArray, NDArray, NDArray, NDArray, NDArray, NDArray];
      const steps: Mat[] = [];
      for (let t = 0; t < 4; t++) {
        [C, M] = refLstmCell([X[0]![t]!, X[1]![t]!], C, M, { k, b, wf, wi, wo, p }, 5);
        steps.push(M);
      }
      const O = o.toArray() as number[][][];
      for (let t = 0; t < 4; t++) {
        expect(Math.abs(O[0]![t]![1]! - steps[t]![0]![1]!)).toBeLessThan(1e-12);
        expect(Math.abs(O[1]![t]![0]! - steps[t]![1]![0]!)).toBeLessThan(1e-12);
      }
      expectMat(h, M);
    });
  });

  test('TF1 call forms: positional and keyword arguments; unsupported shards rejected', () => {
    inGraph(() => {
      const a = new tf.nn.rnnCell.LSTMCell(8, true, 3.0, null, 4);
      expect([a.usePeepholes, a.cellClip, a.numProj, a.forgetBias, a.stateIsTuple]).toEqual([
        true,
        3,
        4,
        1,
        true,
      ]);
      const b = new tf.nn.rnnCell.LSTMCell({ numUnits: 8, forgetBias: 0.0, name: 'my_lstm' });
      expect(b.forgetBias).toBe(0);
      tf.nn.dynamicRnn(b, tf.zeros([1, 2, 3]), { dtype: 'float32' });
      expect(b.variables[0]?.opName).toBe('rnn/my_lstm/kernel');
      expect(() => new tf.nn.rnnCell.LSTMCell(8, { numUnitShards: 2 })).toThrow(/numUnitShards/);
      expect(() => new tf.nn.rnnCell.LSTMCell(8, { notAnArg: 1 } as never)).toThrow(TypeError);
      expect(() => new tf.nn.rnnCell.LSTMCell(0)).toThrow(TypeError);
      // The initializer is used for the kernel, peepholes and projection.
      const c = new tf.nn.rnnCell.LSTMCell(2, {
        usePeepholes: true,
        numProj: 1,
        initializer: tf.constantInitializer(0.25),
      });
      tf.variableScope('init', () => c.call(tf.zeros([1, 3]), c.zeroState(1, 'float32')));
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      const values = sess.run(c.variables).map((v) => Array.from(v.data));
      expect(values[0]!.every((v) => v === 0.25)).toBe(true);
      expect(values[1]!.every((v) => v === 0)).toBe(true);
      for (const i of [2, 3, 4, 5]) expect(values[i]!.every((v) => v === 0.25)).toBe(true);
    });
  });

  test('gradients through one LSTMCell step (peepholes, clip, projection) match central differences', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [3, 4], 'x');
      const c = tf.placeholder('float32', [3, 5], 'c');
      const m = tf.placeholder('float32', [3, 2], 'm');
      const cell = new tf.nn.rnnCell.LSTMCell(5, { usePeepholes: true, cellClip: 0.8, numProj: 2 });
      const [out, state] = tf.variableScope('rnn', () =>
        cell.call(x, new tf.nn.rnnCell.LSTMStateTuple(c, m)),
      );
      const s = state as tf.nn.rnnCell.LSTMStateTuple;
      const u = tf.constant(randomArray([3, 2], 18));
      const w = tf.constant(randomArray([3, 5], 19));
      const loss = tf.add(tf.reduceSum(tf.multiply(out, u)), tf.reduceSum(tf.multiply(s.c, w)));
      sess.run(tf.globalVariablesInitializer());
      const wrt = [x, c, m, ...cell.variables];
      const at = [
        xv,
        cv,
        randomArray([3, 2], 20),
        ...cell.variables.map((v, i) => randomArray(v.shape as number[], 60 + i)),
      ];
      gradCheckFed(sess, loss, wrt, at);
    });
  });
});
