import * as tf from '../../src';
import { NDArray } from '../../src';
import { checkGradient, randomArray } from '../helpers/gradcheck';

/*
 * tf.TensorArray and the functional ops (tf.mapFn, tf.scan, tf.foldl, tf.foldr): TF1's docstring
 * examples, nested structures, a first dimension known only at run time, TensorArrays as whileLoop
 * variables, gradients (numeric checks, captured variables, backProp: false) and TF1's errors.
 */

function values(x: NDArray): number[] {
  return Array.from(x.data, Number);
}

function run(fetch: tf.Tensor, feeds: [tf.Tensor, NDArray][] = []): NDArray {
  const sess = new tf.Session({ graph: fetch.graph });
  return sess.run(fetch, new Map(feeds));
}

function inGraph<T>(fn: () => T): T {
  return new tf.Graph().asDefault(fn);
}

describe('TF1 docstring examples', () => {
  test('mapFn squares', () =>
    inGraph(() => {
      const elems = tf.constant([1, 2, 3, 4, 5, 6]);
      const squares = tf.mapFn((x: tf.Tensor) => tf.multiply(x, x), elems) as tf.Tensor;
      expect(squares.shape).toEqual([6]);
      expect(values(run(squares))).toEqual([1, 4, 9, 16, 25, 36]);
    }));

  test('mapFn over a pair with an output dtype (x[0] * x[1])', () =>
    inGraph(() => {
      const elems = [tf.constant([1, 2, 3], 'int32'), tf.constant([-1, 1, -1], 'int32')];
      const alternate = tf.mapFn(
        (x: tf.Tensor[]) => tf.multiply(x[0] as tf.Tensor, x[1] as tf.Tensor),
        elems,
        tf.int32,
      ) as tf.Tensor;
      expect(alternate.dtype).toBe('int32');
      expect(values(run(alternate))).toEqual([-1, 2, -3]);
    }));

  test('mapFn returning a pair, dtype a pair of dtypes', () =>
    inGraph(() => {
      const elems = tf.constant([1, 2, 3], 'int32');
      const [pos, neg] = tf.mapFn((x: tf.Tensor) => [x, tf.negative(x)], elems, {
        dtype: [tf.int32, tf.int32],
      }) as tf.Tensor[];
      expect(values(run(pos as tf.Tensor))).toEqual([1, 2, 3]);
      expect(values(run(neg as tf.Tensor))).toEqual([-1, -2, -3]);
    }));

  test('scan cumulative sum, reverse, and with an initializer', () =>
    inGraph(() => {
      const elems = tf.constant([1, 2, 3, 4, 5, 6]);
      const f = (a: tf.Tensor, x: tf.Tensor): tf.Tensor => tf.add(a, x);
      expect(values(run(tf.scan(f, elems) as tf.Tensor))).toEqual([1, 3, 6, 10, 15, 21]);
      expect(values(run(tf.scan(f, elems, { reverse: true }) as tf.Tensor))).toEqual([21, 20, 18, 15, 11, 6]);
      expect(values(run(tf.scan(f, elems, 10) as tf.Tensor))).toEqual([11, 13, 16, 20, 25, 31]);
      expect(values(run(tf.scan(f, elems, { initializer: 10, reverse: true }) as tf.Tensor))).toEqual([
        31, 30, 28, 25, 21, 16,
      ]);
    }));

  test('scan over a pair: x[0] - x[1] + a', () =>
    inGraph(() => {
      const elems = tf.constant([1, 2, 3, 4, 5, 6]);
      const sumOne = tf.scan(
        (a: tf.Tensor, x: tf.Tensor[]) => tf.add(tf.subtract(x[0] as tf.Tensor, x[1] as tf.Tensor), a),
        [tf.add(elems, 1), elems],
        tf.constant(0),
      ) as tf.Tensor;
      expect(values(run(sumOne))).toEqual([1, 2, 3, 4, 5, 6]);
    }));

  test('scan with a tuple initializer: Fibonacci numbers', () =>
    inGraph(() => {
      const elems = tf.constant([1, 0, 0, 0, 0, 0]);
      const [a, b] = tf.scan(
        (acc: tf.Tensor[]) => [acc[1] as tf.Tensor, tf.add(acc[0] as tf.Tensor, acc[1] as tf.Tensor)],
        elems,
        [tf.constant(0), tf.constant(1)],
      ) as tf.Tensor[];
      expect(values(run(a as tf.Tensor))).toEqual([1, 1, 2, 3, 5, 8]);
      expect(values(run(b as tf.Tensor))).toEqual([1, 2, 3, 5, 8, 13]);
    }));

  test('foldl and foldr sums; foldr visits the elements last to first', () =>
    inGraph(() => {
      const elems = tf.constant([1, 2, 3, 4, 5, 6]);
      const f = (a: tf.Tensor, x: tf.Tensor): tf.Tensor => tf.add(a, x);
      expect(values(run(tf.foldl(f, elems) as tf.Tensor))).toEqual([21]);
      expect(values(run(tf.foldr(f, elems) as tf.Tensor))).toEqual([21]);
      // a·10 + x: the digits in visiting order.
      const digits = (a: tf.Tensor, x: tf.Tensor): tf.Tensor => tf.add(tf.multiply(a, 10), x);
      expect(values(run(tf.foldl(digits, tf.constant([1, 2, 3])) as tf.Tensor))).toEqual([123]);
      expect(values(run(tf.foldr(digits, tf.constant([1, 2, 3])) as tf.Tensor))).toEqual([321]);
      expect(values(run(tf.foldl(digits, tf.constant([1, 2, 3]), 4) as tf.Tensor))).toEqual([4123]);
      expect(values(run(tf.foldr(digits, tf.constant([1, 2, 3]), 4) as tf.Tensor))).toEqual([4321]);
    }));

  test('a plain-number initializer takes the dtype of int32 elems (TF1: initializer=0 is an int)', () =>
    inGraph(() => {
      const s = tf.scan(
        (a: tf.Tensor, x: tf.Tensor) => tf.add(a, x),
        tf.constant([1, 2, 3], 'int32'),
        0,
      ) as tf.Tensor;
      expect(s.dtype).toBe('int32');
      expect(values(run(s))).toEqual([1, 3, 6]);
      const f = tf.foldl(
        (a: tf.Tensor, x: tf.Tensor) => tf.add(a, x),
        tf.constant([1, 2], 'float32'),
        1,
      ) as tf.Tensor;
      expect(f.dtype).toBe('float32');
    }));

  test('a plain JS number list stands for a numpy array (one tensor)', () =>
    inGraph(() => {
      expect(
        values(run(tf.scan((a: tf.Tensor, x: tf.Tensor) => tf.add(a, x), [1, 2, 3]) as tf.Tensor)),
      ).toEqual([1, 3, 6]);
    }));
});

describe('nested structures', () => {
  test('mapFn over a record, returning a record (dtype record)', () =>
    inGraph(() => {
      const elems = {
        a: tf.constant([
          [1, 2],
          [3, 4],
        ]),
        b: tf.constant([10, 20]),
      };
      const out = tf.mapFn(
        (x: { a: tf.Tensor; b: tf.Tensor }) => ({
          s: tf.add(tf.reduceSum(x.a), x.b),
          n: tf.cast(x.b, 'int32'),
        }),
        elems,
        { dtype: { s: tf.float32, n: tf.int32 } },
      ) as { s: tf.Tensor; n: tf.Tensor };
      expect(values(run(out.s))).toEqual([13, 27]);
      expect(values(run(out.n))).toEqual([10, 20]);
      expect(out.n.dtype).toBe('int32');
    }));

  test('foldl with a nested accumulator [sum, [product, count]]', () =>
    inGraph(() => {
      const [s, [p, c]] = tf.foldl(
        (acc: [tf.Tensor, [tf.Tensor, tf.Tensor]], x: tf.Tensor) => [
          tf.add(acc[0], x),
          [tf.multiply(acc[1][0], x), tf.add(acc[1][1], 1)],
        ],
        tf.constant([2, 3, 4]),
        [0, [1, tf.constant(0, 'int32')]],
      ) as [tf.Tensor, [tf.Tensor, tf.Tensor]];
      expect(values(run(s))).toEqual([9]);
      expect(values(run(p))).toEqual([24]);
      expect(values(run(c))).toEqual([3]);
    }));
});

describe('a first dimension known only at run time', () => {
  test('mapFn, scan, foldl and foldr on a placeholder [null, 3], fed 2 and then 4 rows', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 3]);
      const m = tf.mapFn((r: tf.Tensor) => tf.reduceSum(r), x) as tf.Tensor;
      const s = tf.scan((a: tf.Tensor, r: tf.Tensor) => tf.add(a, r), x) as tf.Tensor;
      const l = tf.foldl((a: tf.Tensor, r: tf.Tensor) => tf.subtract(a, r), x) as tf.Tensor;
      const r = tf.foldr((a: tf.Tensor, row: tf.Tensor) => tf.subtract(a, row), x) as tf.Tensor;
      expect(m.shape).toEqual([null]);
      expect(s.shape).toEqual([null, 3]);
      expect(l.shape).toEqual([3]);
      const sess = new tf.Session({ graph: x.graph });
      const two = tf.ndarray([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const four = tf.ndarray([
        [1, 1, 1],
        [2, 2, 2],
        [3, 3, 3],
        [4, 4, 4],
      ]);
      const [m2, s2, l2, r2] = sess.run([m, s, l, r], new Map([[x, two]])) as NDArray[];
      expect(values(m2 as NDArray)).toEqual([6, 15]);
      expect(values(s2 as NDArray)).toEqual([1, 2, 3, 5, 7, 9]);
      expect(values(l2 as NDArray)).toEqual([-3, -3, -3]);
      expect(values(r2 as NDArray)).toEqual([3, 3, 3]);
      const [m4, s4, l4, r4] = sess.run([m, s, l, r], new Map([[x, four]])) as NDArray[];
      expect(values(m4 as NDArray)).toEqual([3, 6, 9, 12]);
      expect((s4 as NDArray).shape).toEqual([4, 3]);
      expect(values(s4 as NDArray).slice(9)).toEqual([10, 10, 10]);
      expect(values(l4 as NDArray)).toEqual([-8, -8, -8]); // 1 - 2 - 3 - 4
      expect(values(r4 as NDArray)).toEqual([-2, -2, -2]); // 4 - 3 - 2 - 1
    }));

  test('mapFn on zero rows gives an empty result', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 3]);
      const m = tf.mapFn((r: tf.Tensor) => tf.multiply(r, 2), x) as tf.Tensor;
      const out = run(m, [[x, new NDArray(new Float32Array(0), [0, 3], 'float32')]]);
      expect(out.shape).toEqual([0, 3]);
    }));
});

describe('TensorArray', () => {
  test('write / read / stack / size / gather, TF1 style (ta = ta.write(...))', () =>
    inGraph(() => {
      let ta = new tf.TensorArray(tf.float32, 3);
      ta = ta.write(0, [1, 2]);
      ta = ta.write(1, [3, 4]).write(2, [5, 6]);
      expect(ta.elementShape).toEqual([2]);
      expect(ta.read(1).shape).toEqual([2]);
      expect(values(run(ta.read(1)))).toEqual([3, 4]);
      expect(values(run(ta.stack()))).toEqual([1, 2, 3, 4, 5, 6]);
      expect(values(run(ta.gather([2, 0])))).toEqual([5, 6, 1, 2]);
      expect(values(run(ta.concat()))).toEqual([1, 2, 3, 4, 5, 6]);
      expect(values(run(ta.size()))).toEqual([3]);
      expect(values(run(ta.identity().stack()))).toEqual([1, 2, 3, 4, 5, 6]);
      expect(ta.close()).toBeInstanceOf(tf.Operation);
    }));

  test('positional TF1 arguments: TensorArray(dtype, size, dynamic_size, clear_after_read, ...)', () =>
    inGraph(() => {
      const ta = new tf.TensorArray('float32', 0, true, false);
      expect(ta.dynamicSize).toBe(true);
      expect(ta.clearAfterRead).toBe(false);
      const grown = ta.write(2, 7).write(0, 1).write(1, 4);
      expect(values(run(grown.stack()))).toEqual([1, 4, 7]);
      expect(values(run(grown.size()))).toEqual([3]);
    }));

  test('rebuilding from handle and a new flow (TF1 TensorArray(dtype, handle=, flow=))', () =>
    inGraph(() => {
      const ta = new tf.TensorArray('float32', { size: 2 }).unstack([
        [1, 2],
        [3, 4],
      ]);
      const again = new tf.TensorArray('float32', { handle: ta.handle, flow: tf.multiply(ta.flow, 10) });
      expect(values(run(again.read(1)))).toEqual([30, 40]);
    }));

  test('a TensorArray as a whileLoop variable (classic TF1 program), n known only at run time', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 2]);
      const n = tf.shape(x).at(0);
      const input = new tf.TensorArray(tf.float32, { size: n }).unstack(x);
      const [, out] = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, n),
        (i: tf.Tensor, acc: tf.TensorArray) => [tf.add(i, 1), acc.write(i, tf.square(input.read(i)))],
        [tf.constant(0, 'int32'), new tf.TensorArray(tf.float32, { size: n })],
      ) as unknown as [tf.Tensor, tf.TensorArray];
      expect(out).toBeInstanceOf(tf.TensorArray);
      const stacked = out.stack();
      expect(stacked.shape).toEqual([null, 2]); // element shape learnt from the body's write
      const xv = tf.ndarray([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(values(run(stacked, [[x, xv]]))).toEqual([1, 4, 9, 16, 25, 36]);
    }));

  test('dynamicSize TensorArray grown in a loop; a lone TensorArray loop variable comes back alone', () =>
    inGraph(() => {
      const [, ta] = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 5),
        (i: tf.Tensor, t: tf.TensorArray) => [
          tf.add(i, 1),
          t.write(i, tf.cast(tf.multiply(i, i), 'float32')),
        ],
        [tf.constant(0, 'int32'), new tf.TensorArray(tf.float32, { size: 0, dynamicSize: true })],
      ) as unknown as [tf.Tensor, tf.TensorArray];
      expect(values(run(ta.stack()))).toEqual([0, 1, 4, 9, 16]);
      const single = tf.whileLoop(
        (t: tf.TensorArray) => tf.less(t.size(), 3),
        (t: tf.TensorArray) => t.write(t.size(), 1.5),
        [new tf.TensorArray(tf.float32, { size: 0, dynamicSize: true, elementShape: [] })],
      ) as unknown as tf.TensorArray;
      expect(single).toBeInstanceOf(tf.TensorArray);
      expect(values(run(single.stack()))).toEqual([1.5, 1.5, 1.5]);
    }));
});

describe('TensorArray writes share storage safely', () => {
  test('two TensorArrays written from one (same indices, different values) keep their own elements', () =>
    inGraph(() => {
      const ta0 = new tf.TensorArray(tf.float32, 3).write(0, [1, 1]);
      const ta1 = ta0.write(1, [2, 2]).write(2, [3, 3]);
      const ta2 = ta0.write(2, [7, 7]).write(1, [6, 6]);
      const sess = new tf.Session({ graph: ta0.flow.graph });
      const [a, b, c] = sess.run([ta1.stack(), ta2.stack(), ta0.read(0)]) as NDArray[];
      expect(values(a as NDArray)).toEqual([1, 1, 2, 2, 3, 3]);
      expect(values(b as NDArray)).toEqual([1, 1, 6, 6, 7, 7]);
      expect(values(c as NDArray)).toEqual([1, 1]);
      expect(() => sess.run(ta0.read(1))).toThrow(/index 1 because it has not yet been written to/);
    }));

  test('dynamic TensorArrays branching after growth', () =>
    inGraph(() => {
      const ta0 = new tf.TensorArray(tf.float32, { size: 0, dynamicSize: true }).write(0, 1);
      const ta1 = ta0.write(1, 2).write(2, 3).write(3, 4);
      const ta2 = ta0.write(3, 9).write(1, 8);
      const sess = new tf.Session({ graph: ta0.flow.graph });
      const [a, b] = sess.run([ta1.stack(), ta2.gather([0, 1, 3])]) as NDArray[];
      expect(values(a as NDArray)).toEqual([1, 2, 3, 4]);
      expect(values(b as NDArray)).toEqual([1, 8, 9]);
      expect(() => sess.run(ta2.stack())).toThrow(/index 2 because it has not yet been written to/);
    }));

  test('numeric check: a recurrence through the TensorArray (element i reads element i-1)', () => {
    checkGradient(
      (x0, w) => {
        const [, out] = tf.whileLoop(
          (i: tf.Tensor) => tf.less(i, 5),
          (i: tf.Tensor, acc: tf.TensorArray) => [
            tf.add(i, 1),
            acc.write(i, tf.sin(tf.multiply(acc.read(tf.subtract(i, 1)), w))),
          ],
          [
            tf.constant(1, 'int32'),
            new tf.TensorArray(tf.float32, 5, { clearAfterRead: false }).write(0, x0),
          ],
        ) as unknown as [tf.Tensor, tf.TensorArray];
        return out.stack();
      },
      [randomArray([3], 41), randomArray([3], 42, 0.5, 1.5)],
    );
  });
});

describe('gradients', () => {
  test('numeric check: TensorArray written in a whileLoop with a run-time length', () => {
    checkGradient(
      (x, w) => {
        const n = tf.shape(x).at(0);
        const input = new tf.TensorArray(tf.float32, n).unstack(x);
        const [, out] = tf.whileLoop(
          (i: tf.Tensor) => tf.less(i, n),
          (i: tf.Tensor, acc: tf.TensorArray) => [
            tf.add(i, 1),
            acc.write(i, tf.tanh(tf.multiply(input.read(i), w))),
          ],
          [tf.constant(0, 'int32'), new tf.TensorArray(tf.float32, { size: 0, dynamicSize: true })],
        ) as unknown as [tf.Tensor, tf.TensorArray];
        return out.stack();
      },
      [randomArray([5, 3], 11), randomArray([3], 12)],
    );
  });

  test('numeric check: scan over a record with an initializer and a captured tensor', () => {
    checkGradient(
      (a, b, w) =>
        tf.scan(
          (acc: tf.Tensor, x: { a: tf.Tensor; b: tf.Tensor }) =>
            tf.add(tf.multiply(acc, tf.sin(x.a)), tf.multiply(x.b, w)),
          { a, b },
          tf.onesLike(w),
        ) as tf.Tensor,
      [randomArray([4, 2], 21), randomArray([4, 2], 22), randomArray([2], 23)],
    );
  });

  test('numeric check: mapFn with two outputs and foldr', () => {
    checkGradient(
      (x) => {
        const [p, q] = tf.mapFn((r: tf.Tensor) => [tf.exp(r), tf.reduceSum(tf.square(r))], x, {
          dtype: [tf.float32, tf.float32],
        }) as tf.Tensor[];
        const f = tf.foldr(
          (acc: tf.Tensor, r: tf.Tensor) => tf.add(tf.multiply(acc, 0.5), r),
          x,
        ) as tf.Tensor;
        return tf.add(tf.reduceSum(p as tf.Tensor, 1), tf.add(q as tf.Tensor, tf.reduceSum(f)));
      },
      [randomArray([3, 2], 31)],
    );
  });

  test('gradient w.r.t. a Variable captured by fn equals the closed form', () =>
    inGraph(() => {
      const v = new tf.Variable([0.5, 2], { name: 'v' });
      const elems = tf.constant([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      // mapFn: y = Σ_i Σ_j x_ij·v_j → dy/dv = column sums; scan (cumulative products) checked below.
      const y = tf.reduceSum(tf.mapFn((r: tf.Tensor) => tf.multiply(r, v), elems) as tf.Tensor);
      const [g] = tf.gradients(y, [v]);
      const sess = new tf.Session({ graph: v.graph });
      sess.run(tf.globalVariablesInitializer());
      expect(values(sess.run(g as tf.Tensor))).toEqual([9, 12]);
      // foldl a ← a·v + x from a = 0: a = x0·v² + x1·v + x2, da/dv = 2·x0·v + x1.
      const f = tf.foldl((a: tf.Tensor, x: tf.Tensor) => tf.add(tf.multiply(a, v), x), elems, tf.zeros([2]));
      const [gf] = tf.gradients(tf.reduceSum(f as tf.Tensor), [v]);
      const got = values(sess.run(gf as tf.Tensor));
      expect(got[0]).toBeCloseTo(2 * 1 * 0.5 + 3, 5);
      expect(got[1]).toBeCloseTo(2 * 2 * 2 + 4, 5);
    }));

  test('backProp: false stops the gradient (null)', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [3]);
      const m = tf.mapFn((e: tf.Tensor) => tf.square(e), x, { backProp: false }) as tf.Tensor;
      expect(tf.gradients(tf.reduceSum(m), [x])[0]).toBeNull();
      const s = tf.scan((a: tf.Tensor, e: tf.Tensor) => tf.multiply(a, e), x, 1, 10, false) as tf.Tensor;
      expect(tf.gradients(tf.reduceSum(s), [x])[0]).toBeNull();
    }));
});

describe('errors', () => {
  test('reading an element that was never written (TF1 message)', () =>
    inGraph(() => {
      const ta = new tf.TensorArray(tf.float32, 3).write(0, [4, 5]);
      expect(() => run(ta.stack())).toThrow(
        /Could not read from TensorArray index 1 because it has not yet been written to\./,
      );
      expect(() => run(ta.read(2))).toThrow(/index 2 because it has not yet been written to/);
    }));

  test('writing an element twice', () =>
    inGraph(() => {
      const ta = new tf.TensorArray(tf.float32, 2).write(0, 1).write(0, 2);
      expect(() => run(ta.stack())).toThrow(
        /Could not write to TensorArray index 0 because it has already been written to\./,
      );
    }));

  test('unstacking more rows than the size; writing or reading past the end', () =>
    inGraph(() => {
      const ta = new tf.TensorArray(tf.float32, 2);
      expect(() => run(ta.unstack([1, 2, 3]).read(0))).toThrow(
        /Tried to write to index 2 but array size is: 2/,
      );
      expect(() => run(ta.write(5, 1).read(5))).toThrow(/Tried to write to index 5 but array size is: 2/);
      expect(() => run(ta.unstack([1, 2]).read(3))).toThrow(
        /Tried to read from index 3 but array size is: 2/,
      );
    }));

  test('elements of different shapes; wrong dtype', () =>
    inGraph(() => {
      const ta = new tf.TensorArray(tf.float32, 2).write(0, [1, 2]);
      expect(() => ta.write(1, [1, 2, 3])).toThrow(/Inconsistent shapes: saw \[3\] but expected \[2\]/);
      expect(() => new tf.TensorArray(tf.float32, 2).write(0, tf.constant(1, 'int32'))).toThrow(
        /TensorArray dtype is float32 but Op is trying to write dtype int32/,
      );
      const loose = new tf.TensorArray(tf.float32, { size: 2, inferShape: false })
        .write(0, [1, 2])
        .write(1, [1, 2, 3]);
      expect(() => run(loose.stack())).toThrow(/value shape is \[3\].*elements already written/);
    }));

  test('a plain record of numbers is the options object, not an initializer', () =>
    inGraph(() => {
      expect(() => tf.foldl((a: tf.Tensor) => a, tf.constant([1, 2]), { sum: 0 } as never)).toThrow(
        /foldl\(\) got an unexpected keyword argument 'sum'/,
      );
    }));

  test('constructor misuse', () =>
    inGraph(() => {
      expect(() => new tf.TensorArray(tf.float32)).toThrow(/Size must be provided if handle is not provided/);
      expect(() => new tf.TensorArray(tf.float32, { size: 2, notAnArg: 1 } as never)).toThrow(TypeError);
      const ta = new tf.TensorArray(tf.float32, 2);
      expect(() => new tf.TensorArray(tf.float32, { handle: ta.handle })).toThrow(/flow must be provided/);
      expect(() => ta.grad()).toThrow(/not exposed/);
    }));

  test('functional ops: scalar elems, wrong structure or dtype from fn', () =>
    inGraph(() => {
      expect(() => tf.mapFn((x: tf.Tensor) => x, tf.constant(3))).toThrow(
        /elems must be a 1\+ dimensional Tensor, not a scalar/,
      );
      expect(() => tf.scan((a: tf.Tensor, x: tf.Tensor) => [a, x], tf.constant([1, 2]))).toThrow(
        /don't have the same nested structure/,
      );
      expect(() => tf.mapFn((x: tf.Tensor) => tf.cast(x, 'int32'), tf.constant([1.5, 2]))).toThrow(
        /returned a int32 tensor.*dtype float32/,
      );
      expect(() => tf.foldl((a: tf.Tensor) => tf.stack([a, a]), tf.constant([1, 2]))).toThrow(
        /enters the loop with shape \[\], but has shape \[2\] after one iteration/,
      );
      expect(() => tf.scan((a: tf.Tensor) => a, tf.constant([1, 2]), { notAnArg: 1 } as never)).toThrow(
        TypeError,
      );
    }));
});
