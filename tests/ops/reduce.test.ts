import * as tf from '../../src';
import { describeCases, expectClose } from '../helpers/cases';
import { checkGradient, float64Session, randomArray } from '../helpers/gradcheck';
import { reduceCases, refReduce } from './cases/reduce';

describeCases('reductions', reduceCases);

/** Runs `fn` in a fresh graph and returns what it returns. */
function inGraph<T>(fn: () => T): T {
  return new tf.Graph().asDefault(fn);
}

describe('reduction shape inference and errors', () => {
  test('axis out of range names the op and the input shape (TF1 wording)', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, 3, 4]);
      expect(() => tf.reduceSum(x, 3)).toThrow(
        "Invalid reduction dimension 3 for input with 3 dimensions for 'Sum' (op: 'Sum') with input shapes: [2,3,4].",
      );
      expect(() => tf.reduceMean(x, [0, -4], 'avg')).toThrow(
        "Invalid reduction dimension -4 for input with 3 dimensions for 'avg' (op: 'Mean') with input shapes: [2,3,4].",
      );
      expect(() => tf.reduceMax(x, [1, -2])).toThrow(/Axes contains duplicate dimension: 1 for 'Max'/);
      expect(() => tf.reduceSum(x, 1.5)).toThrow(/reduceSum\(\): argument 'axis' must be an integer/);
    });
  });

  test('argmax axis out of range and bool inputs are rejected', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, 3]);
      expect(() => tf.argmax(x, 2)).toThrow(
        "Expected dimension in the range [-2, 2), but got 2 for 'ArgMax' (op: 'ArgMax')",
      );
      const b = tf.placeholder('bool', [2]);
      expect(() => tf.reduceSum(b)).toThrow(
        /Value for attr 'T' of bool is not in the list of allowed values: float32, int32/,
      );
      expect(() => tf.argmin(b)).toThrow(/attr 'T' of bool/);
    });
  });

  test('unknown dims and unknown rank', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 3, 4]);
      expect(tf.reduceSum(x, 0).shape).toEqual([3, 4]);
      expect(tf.reduceMean(x, [1, 2]).shape).toEqual([null]);
      expect(tf.reduceMax(x, -1, { keepDims: true }).shape).toEqual([null, 3, 1]);
      expect(tf.argmax(x, 2).shape).toEqual([null, 3]);
      const u = tf.placeholder('float32');
      expect(tf.reduceSum(u).shape).toEqual([]);
      expect(tf.reduceSum(u, 1).shape).toBeNull();
      expect(tf.reduceSum(u, undefined, { keepDims: true }).shape).toBeNull();
      expect(tf.argmax(u, 1).shape).toBeNull();
    });
  });

  test('default names, option forms and Tensor methods', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, 3], 'x');
      const names = [
        tf.reduceSum(x),
        tf.reduceMean(x),
        tf.reduceMax(x),
        tf.reduceMin(x),
        tf.reduceProd(x),
        tf.argmax(x),
        tf.argmin(x),
      ];
      expect(names.map((t) => t.op.name)).toEqual(['Sum', 'Mean', 'Max', 'Min', 'Prod', 'ArgMax', 'ArgMin']);
      const total = tf.reduceSum(x, 'total');
      expect(total.op.name).toBe('total');
      expect(total.shape).toEqual([]);
      const kept = tf.reduceSum(x, { keepDims: true, name: 'kept' });
      expect([kept.op.name, kept.shape]).toEqual(['kept', [1, 1]]);
      expect(tf.argmax(x, { name: 'am' }).shape).toEqual([3]); // TF1's default axis 0
      expect(tf.argmax(x, 1, 'am1').op.name).toBe('am1');
      expect(x.sum(1).shape).toEqual([2]);
      expect(x.mean(0, true).shape).toEqual([1, 3]);
      const sess = new tf.Session();
      const v = [
        [1, 2, 3],
        [4, 5, 6],
      ];
      const [s, m, mx, mn] = sess.run([x.sum(1), x.mean(), x.max(0), x.min()], { x: v });
      expect(s?.toArray()).toEqual([6, 15]);
      expect(m?.item()).toBe(3.5);
      expect(mx?.toArray()).toEqual([4, 5, 6]);
      expect(mn?.item()).toBe(1);
    });
  });

  test('argmax has no gradient (TF1 message)', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, 3]);
      expect(() => tf.gradients(tf.argmax(x, 1), x)).toThrow(
        "No gradient defined for operation 'ArgMax' (op type: ArgMax)",
      );
      expect(() => tf.gradients(tf.argmin(x, 1, 'pick'), x)).toThrow(
        "No gradient defined for operation 'pick' (op type: ArgMin)",
      );
    });
  });
});

describe('reduction gradients', () => {
  test('Max and Min divide the gradient equally among ties (TF1)', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, 3]);
      const [gMax] = tf.gradients(tf.reduceMax(x, 1), x);
      const [gMin] = tf.gradients(tf.reduceMin(x), x);
      const v = [
        [1, 3, 3],
        [2, 2, 1],
      ];
      const [a, b] = float64Session(x.graph).run(
        [gMax as tf.Tensor, gMin as tf.Tensor],
        new Map([[x, tf.ndarray(v)]]),
      );
      expect(a?.toArray()).toEqual([
        [0, 0.5, 0.5],
        [0.5, 0.5, 0],
      ]);
      expect(b?.toArray()).toEqual([
        [0.5, 0, 0],
        [0, 0, 0.5],
      ]);
    });
  });

  test('Prod gradient is exact with one or more zeros in a group', () => {
    const v = tf.ndarray(new Float64Array([0, 2, 3, 0, 0, 5, 4, 0.5, 2]), [3, 3], 'float32');
    checkGradient((x) => tf.reduceProd(x, 1), [v]);
    checkGradient((x) => tf.reduceProd(x, 0, { keepDims: true }), [v]);
    inGraph(() => {
      const x = tf.placeholder('float32', [3, 3]);
      const [g] = tf.gradients(tf.reduceProd(x, 1), x);
      expect(
        float64Session(x.graph)
          .run(g as tf.Tensor, new Map([[x, v]]))
          .toArray(),
      ).toEqual([
        [6, 0, 0],
        [0, 0, 0],
        [1, 8, 2],
      ]);
    });
  });

  test('Mean gradient uses run-time counts (unknown batch dim)', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 3]);
      const [g] = tf.gradients(tf.reduceMean(x), x);
      const sess = new tf.Session();
      const out = sess.run(g as tf.Tensor, new Map([[x, tf.ndarray(new Float32Array(12), [4, 3])]]));
      expect(out.shape).toEqual([4, 3]);
      for (const e of out.data) expect(e).toBeCloseTo(1 / 12, 7);
      const out2 = sess.run(g as tf.Tensor, new Map([[x, tf.ndarray(new Float32Array(6), [2, 3])]]));
      for (const e of out2.data) expect(e).toBeCloseTo(1 / 6, 7);
    });
  });
});

describe('reduction kernels', () => {
  test('contiguous fast path and strided path agree with the reference on larger shapes', () => {
    const x = randomArray([7, 5, 6, 3], 41);
    const configs: (number | number[] | undefined)[] = [
      0,
      3,
      [1, 2],
      [0, 1],
      [2, 3],
      [0, 2],
      [1, 3],
      [0, 3],
      undefined,
      [0, 1, 3],
    ];
    inGraph(() => {
      const p = tf.placeholder('float32', [7, 5, 6, 3]);
      const sess = float64Session(p.graph);
      for (const axis of configs) {
        const [s, mx] = sess.run(
          [tf.reduceSum(p, axis), tf.reduceMax(p, axis, { keepDims: true })],
          new Map([[p, x]]),
        );
        expectClose(
          s as tf.NDArray,
          refReduce(x, axis, false, (v) => v.reduce((a, b) => a + b, 0)),
          1e-12,
          `Sum ${String(axis)}`,
        );
        expectClose(
          mx as tf.NDArray,
          refReduce(x, axis, true, (v) => Math.max(...v)),
          0,
          `Max ${String(axis)}`,
        );
      }
    });
  });

  test('size-1 and empty dims: identity values, NaN mean, argmax error', () => {
    inGraph(() => {
      const sess = new tf.Session();
      const e = tf.placeholder('float32', [0, 3]);
      const feed = new Map([[e, tf.ndarray(new Float32Array(0), [0, 3])]]);
      const [s, p, mx, mn, m] = sess.run(
        [
          tf.reduceSum(e, 0),
          tf.reduceProd(e, 0),
          tf.reduceMax(e, 0),
          tf.reduceMin(e, 0),
          tf.reduceMean(e, 0),
        ],
        feed,
      );
      expect(s?.toArray()).toEqual([0, 0, 0]);
      expect(p?.toArray()).toEqual([1, 1, 1]);
      expect(mx?.toArray()).toEqual([-Infinity, -Infinity, -Infinity]);
      expect(mn?.toArray()).toEqual([Infinity, Infinity, Infinity]);
      expect(Array.from(m?.data ?? []).every(Number.isNaN)).toBe(true);
      expect(sess.run(tf.reduceSum(e, 1), feed).shape).toEqual([0]);
      expect(() => tf.argmax(e, 0)).toThrow(/Reduction axis 0 is empty in shape \[0,3\]/);
      const d = tf.placeholder('float32', [null, 3]);
      expect(() =>
        sess.run(tf.argmax(d, 0), new Map([[d, tf.ndarray(new Float32Array(0), [0, 3])]])),
      ).toThrow(/Reduction axis 0 is empty in shape \[0,3\]/);
      const one = tf.constant([[[1.5], [2.5]]]);
      expect(sess.run(tf.reduceSum(one, [0, 2])).toArray()).toEqual([1.5, 2.5]);
      expect(sess.run(tf.reduceMean(one, [])).shape).toEqual([1, 2, 1]);
    });
  });

  test('NaN propagates through Max/Min; int32 sums and products wrap like int32', () => {
    inGraph(() => {
      const sess = new tf.Session();
      const x = tf.constant([1, NaN, 3]);
      expect(Number.isNaN(sess.run(tf.reduceMax(x)).item())).toBe(true);
      expect(Number.isNaN(sess.run(tf.reduceMin(x)).item())).toBe(true);
      const big = tf.constant([2147483647, 1], 'int32');
      expect(sess.run(tf.reduceSum(big)).item()).toBe(-2147483648);
      expect(sess.run(tf.reduceProd(tf.constant([65536, 65536, 3], 'int32'))).item()).toBe(0);
      expect(sess.run(tf.reduceMax(tf.constant([-5, -9], 'int32'))).item()).toBe(-5);
    });
  });
});

describe("TF1's deprecated tf.arg_min / tf.arg_max (gen_math_ops: input, dimension, output_type, name)", () => {
  test('argMin(distance, 0) as in the classic nearest-neighbour example; argMax by keyword', () => {
    inGraph(() => {
      const sess = new tf.Session();
      const distance = tf.constant([4, 1.5, 3, 1.5]);
      const pred = tf.argMin(distance, 0);
      expect(pred.op.type).toBe('ArgMin');
      expect(pred.dtype).toBe('int32');
      expect(sess.run(pred).item()).toBe(1); // first of the tied minima
      const m = tf.constant([
        [1, 9, 3],
        [7, 2, 8],
      ]);
      expect(sess.run(tf.argMax(m, { dimension: 1 })).toArray()).toEqual([1, 2]);
      expect(sess.run(tf.argMax(m, 0, 'int32', 'am')).toArray()).toEqual([1, 0, 1]);
      expect(tf.argMin(m, -1, { name: 'closest' }).op.name).toBe('closest');
    });
  });

  test('dimension is required and int64 output is rejected clearly', () => {
    inGraph(() => {
      const x = tf.constant([1, 2]);
      expect(() => (tf.argMin as (x: unknown) => unknown)(x)).toThrow(
        /argMin\(\) missing required argument 'dimension'/,
      );
      expect(() => tf.argMax(x, 0, 'int64' as 'int32')).toThrow(TypeError);
      expect(() => tf.argMax(x, { axis: 0 } as never)).toThrow(TypeError);
    });
  });
});
