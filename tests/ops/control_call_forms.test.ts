// TF1 call forms of tf.cond and tf.whileLoop (issue 11): TF1's positional and keyword arguments give
// TF1's numbers or a clear error. Expected values come from TF1's documentation or plain JS loops.
import * as tf from '../../src';

function inGraph<T>(fn: (sess: tf.Session, g: tf.Graph) => T): T {
  const g = new tf.Graph();
  return g.asDefault(() => fn(new tf.Session({ graph: g }), g));
}
const num = (a: tf.NDArray): number => a.item() as number;

describe('tf.cond call forms', () => {
  test('a JS boolean or number predicate is a TypeError that says to use a bool Tensor or `if`', () => {
    inGraph(() => {
      const f = () => tf.constant(1);
      const g = () => tf.constant(2);
      expect(() => tf.cond(true as unknown as tf.Tensor, f, g)).toThrow(TypeError);
      expect(() => tf.cond(false as unknown as tf.Tensor, f, g)).toThrow(
        /pred must be a scalar bool Tensor, got the JS boolean false.*plain `if`.*tf\.less/s,
      );
      expect(() => tf.cond(1 as unknown as tf.Tensor, f, g)).toThrow(TypeError);
      expect(() => tf.cond(tf.constant(1), f, g)).toThrow(/pred must be a bool scalar, got float32/);
    });
  });

  test('positional, keyword and deprecated fn1/fn2 forms select the right branch', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [], 'x');
      const p = tf.less(x, 14);
      const t = () => tf.multiply(x, 2);
      const f = () => tf.subtract(x, 1);
      const forms = [
        tf.cond(p, t, f),
        tf.cond(p, t, f, false, 'named'),
        tf.cond(p, { trueFn: t, falseFn: f }),
        tf.cond(p, { true_fn: t, false_fn: f } as never),
        tf.cond(p, { fn1: t, fn2: f }),
        tf.cond(p, t, { falseFn: f, name: 'kw' } as never),
      ] as tf.Tensor[];
      expect(forms[1]?.name).toBe('named:0');
      expect(sess.run(forms, { x: 3 }).map(num)).toEqual([6, 6, 6, 6, 6, 6]);
      expect(sess.run(forms, { x: 20 }).map(num)).toEqual([19, 19, 19, 19, 19, 19]);
    });
  });

  test('unknown keywords, a missing branch and a branch given twice are TypeErrors', () => {
    inGraph(() => {
      const p = tf.constant(true);
      const t = () => tf.constant(1);
      expect(() => tf.cond(p, t, t, { bogus: 1 } as never)).toThrow(
        /cond\(\) got an unexpected keyword argument 'bogus'/,
      );
      expect(() => tf.cond(p, { trueFn: t } as never)).toThrow(/missing required argument 'falseFn'/);
      expect(() => tf.cond(p, t, t, { fn1: t } as never)).toThrow(/multiple values for argument 'trueFn'/);
      expect(() => tf.cond(p, t, t, 1 as never)).toThrow(/argument 'strict' must be a boolean/);
    });
  });

  test('strict=false unpacks singleton lists (TF1), strict=true keeps them', () => {
    inGraph((sess) => {
      const p = tf.constant(true);
      const loose = tf.cond(
        p,
        () => [tf.constant(5)],
        () => [tf.constant(7)],
      ) as unknown;
      expect(loose).toBeInstanceOf(tf.Tensor);
      expect(num(sess.run(loose as tf.Tensor))).toBe(5);
      // Non-strict: a singleton list and a bare tensor have the same structure after unpacking.
      const mixed = tf.cond(
        p,
        () => [tf.constant(5)] as unknown as tf.Tensor,
        () => tf.constant(7),
      );
      expect(num(sess.run(mixed))).toBe(5);
      const strict = tf.cond(
        p,
        () => [tf.constant(5)],
        () => [tf.constant(7)],
        true,
      ) as unknown;
      expect(Array.isArray(strict)).toBe(true);
      expect(num(sess.run((strict as tf.Tensor[])[0] as tf.Tensor))).toBe(5);
      expect(() =>
        tf.cond(
          p,
          () => [tf.constant(5)] as unknown as tf.Tensor,
          () => tf.constant(7),
          { strict: true },
        ),
      ).toThrow(/same nested structure/);
    });
  });
});

describe('tf.whileLoop call forms', () => {
  test("TF1's docstring example: one loop variable gives that tensor", () => {
    inGraph((sess) => {
      // i = tf.constant(0); c = lambda i: tf.less(i, 10); b = lambda i: tf.add(i, 1)
      const i = tf.constant(0);
      const r = tf.whileLoop(
        (i) => tf.less(i, 10),
        (i) => tf.add(i, 1),
        [i],
      );
      expect(r).toBeInstanceOf(tf.Tensor);
      expect(num(sess.run(r))).toBe(10);
      // returnSameStructure keeps the list.
      const same = tf.whileLoop(
        (i) => tf.less(i, 10),
        (i) => [tf.add(i, 1)],
        [i],
        { returnSameStructure: true },
      );
      expect(Array.isArray(same)).toBe(true);
      expect(num(sess.run(same[0]))).toBe(10);
    });
  });

  test("TF1's nested example: ijk_0 = (i, Pair(j, k)); cond and body get (i, p)", () => {
    inGraph((sess) => {
      const ijk0 = [tf.constant(0), { j: tf.constant(1), k: tf.constant(2) }] as const;
      const [iF, pF] = tf.whileLoop(
        (i) => tf.less(i, 10),
        (i, p) => [tf.add(i, 1), { j: tf.add(p.j, p.k), k: tf.subtract(p.j, p.k) }],
        ijk0,
      );
      let j = 1;
      let k = 2;
      for (let n = 0; n < 10; n++) [j, k] = [j + k, j - k];
      const [iv, jv, kv] = sess.run([iF, pF.j, pF.k]);
      expect(num(iv as tf.NDArray)).toBe(10);
      expect(num(jv as tf.NDArray)).toBe(j);
      expect(num(kv as tf.NDArray)).toBe(k);
    });
  });

  test('loop_vars=(i, (j, k)) with nested arrays, and shapeInvariants of the same structure', () => {
    inGraph((sess) => {
      const [i, [v, k]] = tf.whileLoop(
        (i, _jk) => tf.less(i, 3),
        (i, [v, k]) => [tf.add(i, 1), [tf.concat([v, tf.add(v, k)], 0), tf.multiply(k, 2)]],
        [tf.constant(0, 'int32'), [tf.constant([1]), tf.constant(1)]],
        [[], [[null], []]],
      );
      // v: [1] → [1,2] → [1,2,3,4] → [1..8] with k = 1, 2, 4.
      expect(v.shape).toEqual([null]);
      const [iv, vv, kv] = sess.run([i, v, k]);
      expect(num(iv as tf.NDArray)).toBe(3);
      expect(Array.from((vv as tf.NDArray).data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(num(kv as tf.NDArray)).toBe(8);
      expect(() =>
        tf.whileLoop(
          (i) => tf.less(i, 3),
          (i, jk) => [i, jk],
          [tf.constant(0), [tf.constant(1), tf.constant(1)]],
          [[], []],
        ),
      ).toThrow(/shapeInvariants must have the structure of loopVars \(\[\*, \[\*, \*\]\]\)/);
      expect(() =>
        tf.whileLoop(
          (i) => tf.less(i, 3),
          (i, jk) => [tf.add(i, 1), [jk[0], jk]],
          [tf.constant(0), [tf.constant(1), tf.constant(1)]],
        ),
      ).toThrow(/body must return the same structure as loopVars/);
    });
  });

  test('maximumIterations stops the loop (TF1), positionally and by keyword', () => {
    inGraph((sess) => {
      const c = (i: tf.Tensor) => tf.less(i, 100);
      const b = (i: tf.Tensor) => tf.add(i, 1);
      const byKw = tf.whileLoop(c, b, [tf.constant(0)], { maximumIterations: 7 });
      const bySnake = tf.whileLoop(c, b, [tf.constant(0)], { maximum_iterations: 7 } as never);
      const positional = tf.whileLoop(c, b, [tf.constant(0)], null, 10, true, false, 'loop', 5);
      const early = tf.whileLoop((i) => tf.less(i, 3), b, [tf.constant(0)], { maximumIterations: 50 });
      const maxPh = tf.placeholder('int32', [], 'm');
      const fed = tf.whileLoop(c, b, [tf.constant(0)], { maximumIterations: maxPh });
      const out = sess.run([byKw, bySnake, positional, early, fed], { m: 4 }).map(num);
      expect(out).toEqual([7, 7, 5, 3, 4]);
      expect(positional.name.startsWith('loop')).toBe(true);
      expect(() =>
        tf.whileLoop(c, b, [tf.constant(0)], { maximumIterations: tf.constant([1, 2], 'int32') }),
      ).toThrow(/maximumIterations must be an int32 scalar/);
    });
  });

  test('backProp=false: no gradient through the loop (TF1 gives None)', () => {
    inGraph((sess) => {
      const x = tf.placeholder('float32', [], 'x');
      const c = (i: tf.Tensor) => tf.less(i, 3);
      const b = (i: tf.Tensor, y: tf.Tensor) => [tf.add(i, 1), tf.multiply(y, x)];
      const [, yNo] = tf.whileLoop(c, b, [tf.constant(0, 'int32'), x], { backProp: false });
      const [, yYes] = tf.whileLoop(c, b, [tf.constant(0, 'int32'), x]);
      expect(tf.gradients(yNo, [x])).toEqual([null]);
      const [zero] = tf.gradients(yNo, [x], { unconnectedGradients: 'zero' });
      const [d] = tf.gradients(yYes, [x]);
      const [yv, zv, dv] = sess.run([yNo, zero as tf.Tensor, d as tf.Tensor], { x: 2 });
      expect(num(yv as tf.NDArray)).toBe(16); // x^4
      expect(num(zv as tf.NDArray)).toBe(0);
      expect(num(dv as tf.NDArray)).toBe(32); // d(x^4)/dx = 4x^3
    });
  });

  test('parallelIterations and swapMemory are accepted and checked; unknown keys are TypeErrors', () => {
    inGraph((sess) => {
      const c = (i: tf.Tensor) => tf.less(i, 4);
      const b = (i: tf.Tensor) => tf.add(i, 1);
      const r = tf.whileLoop(c, b, [tf.constant(0)], { parallelIterations: 1, swapMemory: true });
      expect(num(sess.run(r))).toBe(4);
      expect(() => tf.whileLoop(c, b, [tf.constant(0)], { parallelIterations: 0 })).toThrow(
        /argument 'parallelIterations' must be a positive integer/,
      );
      expect(() => tf.whileLoop(c, b, [tf.constant(0)], { swapMemory: 1 } as never)).toThrow(TypeError);
      expect(() => tf.whileLoop(c, b, [tf.constant(0)], { maxIterations: 3 } as never)).toThrow(
        /whileLoop\(\) got an unexpected keyword argument 'maxIterations'/,
      );
      expect(() => tf.whileLoop(c, b, tf.constant(0) as never)).toThrow(
        /argument 'loopVars' must be a list \(array\) of loop variables/,
      );
      expect(() => tf.whileLoop(c, b, [] as tf.Tensor[])).toThrow(/No loop variables provided/);
      expect(() => tf.whileLoop(c, b, { maximumIterations: 3 } as never)).toThrow(
        /missing required argument 'loopVars'/,
      );
    });
  });

  test('all-keyword form: whileLoop({ cond, body, loopVars })', () => {
    inGraph((sess) => {
      const r = tf.whileLoop({
        cond: (i: tf.Tensor) => tf.less(i, 6),
        body: (i: tf.Tensor) => tf.add(i, 2),
        loopVars: [tf.constant(0)],
      }) as tf.Tensor;
      expect(num(sess.run(r))).toBe(6);
    });
  });
});
