import * as tf from '../../src';
import { NDArray } from '../../src';
import { float64Session, randomArray } from '../helpers/gradcheck';

function inGraph<T>(fn: (sess: tf.Session, g: tf.Graph) => T): T {
  const g = new tf.Graph();
  return g.asDefault(() => {
    tf.setRandomSeed(99);
    return fn(float64Session(g), g);
  });
}
type Arr3 = number[][][];
/** Reverses the first lens[b] steps of each row of a [batch, time, depth] array (plain JS). */
function reverseRows(x: Arr3, lens: number[] | null): Arr3 {
  return x.map((row, b) => {
    const L = lens ? lens[b]! : row.length;
    return row.map((_v, t) => (t < L ? row[L - 1 - t]! : row[t]!));
  });
}
const nd3 = (x: Arr3): NDArray =>
  new NDArray(Float64Array.from(x.flat(2)), [x.length, x[0]!.length, x[0]![0]!.length], 'float32');
function expectClose(a: NDArray, b: NDArray, tol = 1e-12): void {
  expect(a.shape).toEqual(b.shape);
  a.data.forEach((v, i) => {
    if (Math.abs((v as number) - (b.data[i] as number)) > tol)
      throw new Error(`element ${i}: ${v} vs ${b.data[i]}`);
  });
}
const leaves = (s: unknown): tf.Tensor[] => {
  if (s instanceof tf.Tensor) return [s];
  if (Array.isArray(s)) return s.flatMap(leaves);
  const o = s as { c: tf.Tensor; h: tf.Tensor };
  return [o.c, o.h];
};

const B = 3;
const T = 5;
const D = 2;
const xv = randomArray([B, T, D], 501);

describe('tf.nn.bidirectionalDynamicRnn', () => {
  for (const lens of [[5, 2, 0], [3, 5, 1], null] as const) {
    test(`equals a forward dynamicRnn and a backward one on time-reversed inputs (lengths ${JSON.stringify(lens)})`, () => {
      inGraph((sess) => {
        const x = tf.placeholder('float32', [B, T, D], 'x');
        const cellFw = new tf.nn.rnnCell.GRUCell(3);
        const cellBw = new tf.nn.rnnCell.LSTMCell(4, { usePeepholes: true });
        const sequenceLength = lens ? tf.constant([...lens], 'int32') : undefined;
        const [[outFw, outBw], [stFw, stBw]] = tf.nn.bidirectionalDynamicRnn(cellFw, cellBw, x, {
          sequenceLength,
          dtype: 'float32',
        });
        expect(outFw.shape).toEqual([B, T, 3]);
        expect(outBw.shape).toEqual([B, T, 4]);
        expect(stBw).toBeInstanceOf(tf.nn.rnnCell.LSTMStateTuple);
        expect(tf.globalVariables().map((v) => v.opName)).toEqual([
          'bidirectional_rnn/fw/gru_cell/gates/kernel',
          'bidirectional_rnn/fw/gru_cell/gates/bias',
          'bidirectional_rnn/fw/gru_cell/candidate/kernel',
          'bidirectional_rnn/fw/gru_cell/candidate/bias',
          'bidirectional_rnn/bw/lstm_cell/kernel',
          'bidirectional_rnn/bw/lstm_cell/bias',
          'bidirectional_rnn/bw/lstm_cell/w_f_diag',
          'bidirectional_rnn/bw/lstm_cell/w_i_diag',
          'bidirectional_rnn/bw/lstm_cell/w_o_diag',
        ]);
        // The same cells (same variables) run separately: forward on x, backward on x reversed in JS.
        const n = tf.globalVariables().length;
        const xr = tf.placeholder('float32', [B, T, D], 'xr');
        const [refFw, refStFw] = dynamicRnnOf(cellFw, x, sequenceLength, 'ref_fw');
        const [refBwRev, refStBw] = dynamicRnnOf(cellBw, xr, sequenceLength, 'ref_bw');
        expect(tf.globalVariables().length).toBe(n);
        sess.run(tf.globalVariablesInitializer());
        const xs = xv.toArray() as Arr3;
        const feeds = { x: xv, xr: nd3(reverseRows(xs, lens ? [...lens] : null)) };
        const got = sess.run([outFw, outBw, ...leaves(stFw), ...leaves(stBw)], feeds);
        const ref = sess.run([refFw, refBwRev, ...leaves(refStFw), ...leaves(refStBw)], feeds);
        expectClose(got[0]!, ref[0]!);
        // Backward outputs are the reference's reversed back (plain JS).
        expectClose(got[1]!, nd3(reverseRows(ref[1]!.toArray() as Arr3, lens ? [...lens] : null)));
        for (let i = 2; i < got.length; i++) expectClose(got[i]!, ref[i]!);
        // Past each length, both directions output zeros.
        if (lens) {
          const bw = got[1]!.toArray() as Arr3;
          lens.forEach((L, b) => {
            for (let t = L; t < T; t++) expect(bw[b]![t]!.every((v) => v === 0)).toBe(true);
          });
          // The backward output at step 0 is the backward cell's state after the whole sequence.
          const h = got[got.length - 1]!.toArray() as number[][];
          lens.forEach((L, b) => {
            if (L > 0) expect(bw[b]![0]).toEqual(h[b]);
          });
        }
      });
    });
  }

  test('timeMajor inputs; initial states; a named scope; positional TF1 call form', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [T, B, D], 'x');
      const cellFw = new tf.nn.rnnCell.BasicRNNCell(3);
      const cellBw = new tf.nn.rnnCell.BasicRNNCell(3);
      const h0 = tf.constant(randomArray([B, 3], 502));
      const lens = tf.constant([4, 5, 2], 'int32');
      const [[outFw, outBw], [, stBw]] = tf.nn.bidirectionalDynamicRnn(
        cellFw,
        cellBw,
        x,
        lens,
        h0,
        h0,
        null,
        null,
        false,
        true,
        'bi',
      );
      expect(cellBw.variables[0]?.opName).toBe('bi/bw/basic_rnn_cell/kernel');
      // Reference: the batch-major run on the transposed inputs, same cells.
      const [[rFw, rBw], [, rStBw]] = tf.nn.bidirectionalDynamicRnn(
        cellFw,
        cellBw,
        tf.transpose(x, [1, 0, 2]),
        {
          sequenceLength: lens,
          initialStateFw: h0,
          initialStateBw: h0,
          scope: 'bm',
        },
      );
      sess.run(tf.globalVariablesInitializer());
      const feeds = { x: randomArray([T, B, D], 503) };
      const [a, b, c, d, e, f] = sess.run(
        [
          outFw,
          outBw,
          stBw as tf.Tensor,
          tf.transpose(rFw, [1, 0, 2]),
          tf.transpose(rBw, [1, 0, 2]),
          rStBw as tf.Tensor,
        ],
        feeds,
      );
      expectClose(a!, d!);
      expectClose(b!, e!);
      expectClose(c!, f!);
    });
  });

  test('gradients through the bidirectional RNN (inputs and both cells) match central differences', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [2, 4, 3], 'x');
      const cellFw = new tf.nn.rnnCell.LSTMCell(3, { numProj: 2 });
      const cellBw = new tf.nn.rnnCell.GRUCell(2);
      const [[outFw, outBw], [stFw]] = tf.nn.bidirectionalDynamicRnn(cellFw, cellBw, x, {
        sequenceLength: [4, 2],
        dtype: 'float32',
      });
      const out = tf.concat([outFw, outBw], 2);
      const loss = tf.add(
        tf.reduceSum(tf.multiply(out, tf.constant(randomArray([2, 4, 4], 504)))),
        tf.reduceSum(tf.square((stFw as tf.nn.rnnCell.LSTMStateTuple).c)),
      );
      const wrt = [x, ...cellFw.variables, ...cellBw.variables] as tf.Tensor[];
      const grads = tf.gradients(loss, wrt) as tf.Tensor[];
      sess.run(tf.globalVariablesInitializer());
      const at = [randomArray([2, 4, 3], 505), ...sess.run(wrt.slice(1))];
      const dirs = at.map((v, i) => randomArray(v.shape, 600 + i));
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
      let symbolic = 0;
      sess
        .run(grads, feeds(0))
        .forEach((g, i) =>
          g.data.forEach((v, k) => (symbolic += (v as number) * (dirs[i]!.data[k] as number))),
        );
      const h = 1e-5;
      const numeric =
        ((sess.run(loss, feeds(h)).item() as number) - (sess.run(loss, feeds(-h)).item() as number)) /
        (2 * h);
      expect(Math.abs(symbolic)).toBeGreaterThan(1e-3);
      expect(Math.abs(symbolic - numeric)).toBeLessThan(1e-7 * Math.max(1, Math.abs(numeric)));
      // The gradient w.r.t. x of the backward direction reaches only the first `length` steps.
      const gx = sess.run(tf.gradients(tf.reduceSum(outBw), x)[0] as tf.Tensor, feeds(0)).toArray() as Arr3;
      expect(
        gx[1]!
          .slice(2)
          .flat()
          .every((v) => v === 0),
      ).toBe(true);
      expect(gx[1]![1]!.some((v) => v !== 0)).toBe(true);
    });
  });
});

describe('tf.nn.staticBidirectionalRnn', () => {
  for (const lens of [[5, 2, 0], null] as const) {
    test(`outputs are concat([fw, bw], 1) per step and equal the dynamic version (lengths ${JSON.stringify(lens)})`, () => {
      inGraph((sess) => {
        const x = tf.placeholder('float32', [B, T, D], 'x');
        const cellFw = new tf.nn.rnnCell.BasicLSTMCell(3);
        const cellBw = new tf.nn.rnnCell.GRUCell(2);
        const sequenceLength = lens ? tf.constant([...lens], 'int32') : null;
        const [outputs, stFw, stBw] = tf.nn.staticBidirectionalRnn(
          cellFw,
          cellBw,
          tf.unstack(x, { axis: 1 }),
          { dtype: 'float32', sequenceLength },
        );
        expect(outputs.length).toBe(T);
        expect(outputs[0]!.shape).toEqual([B, 5]);
        expect(cellFw.variables[0]?.opName).toBe('bidirectional_rnn/fw/basic_lstm_cell/kernel');
        expect(cellBw.variables[0]?.opName).toBe('bidirectional_rnn/bw/gru_cell/gates/kernel');
        const n = tf.globalVariables().length;
        const [[dFw, dBw], [dStFw, dStBw]] = tf.nn.bidirectionalDynamicRnn(cellFw, cellBw, x, {
          sequenceLength: sequenceLength ?? undefined,
          dtype: 'float32',
          scope: 'dyn',
        });
        expect(tf.globalVariables().length).toBe(n);
        sess.run(tf.globalVariablesInitializer());
        const feeds = { x: xv };
        const [s, d] = sess.run(
          [
            [tf.stack(outputs, 1), ...leaves(stFw), ...leaves(stBw)],
            [tf.concat([dFw, dBw], 2), ...leaves(dStFw), ...leaves(dStBw)],
          ],
          feeds,
        );
        s!.forEach((v, i) => expectClose(v, d![i]!));
      });
    });
  }

  test('keyword call form and errors', () => {
    inGraph(() => {
      const cell = new tf.nn.rnnCell.BasicRNNCell(2);
      expect(() =>
        tf.nn.staticBidirectionalRnn({ cellFw: cell, cellBw: cell, inputs: [], dtype: 'float32' }),
      ).toThrow(/inputs must not be empty/);
      expect(() => tf.nn.bidirectionalDynamicRnn(cell, 3 as never, tf.zeros([1, 2, 2]))).toThrow(TypeError);
    });
  });
});

function dynamicRnnOf(
  cell: tf.nn.rnnCell.RNNCell,
  x: tf.Tensor,
  sequenceLength: tf.Tensor | undefined,
  scope: string,
): [tf.Tensor, unknown] {
  return tf.nn.dynamicRnn(cell, x, { sequenceLength, dtype: 'float32', scope });
}
