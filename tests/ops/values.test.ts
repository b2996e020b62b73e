import * as tf from '../../src';

/**
 * SPEC §2 "Values and dtypes" and TF1's call forms of the math builders. Expected values come from TF1's
 * documentation or are computed here with plain JS.
 */
function run(build: () => tf.Tensor | tf.Tensor[], feeds?: Map<tf.Tensor, unknown>): tf.NDArray[] {
  const g = new tf.Graph();
  return g.asDefault(() => {
    const out = build();
    const sess = new tf.Session({ graph: g });
    const r = sess.run(Array.isArray(out) ? out : [out], feeds as never);
    return r as tf.NDArray[];
  });
}
const vals = (a: tf.NDArray | undefined): number[] => Array.from((a as tf.NDArray).data);

describe('dtype constants and aliases', () => {
  test('tf.float32 / tf.int32 / tf.bool equal the strings', () => {
    expect(tf.float32).toBe('float32');
    expect(tf.int32).toBe('int32');
    expect(tf.bool).toBe('bool');
  });

  test("cast accepts tf.int32, 'int' and 'float' (TF1 aliases), positional and keyword", () => {
    const [a, b, c, d] = run(() => {
      const x = tf.constant([1.7, -2.5, 3]);
      return [
        tf.cast(x, tf.int32),
        tf.cast(x, 'int'),
        tf.cast(tf.cast(x, 'int'), 'float', 'back'),
        tf.cast(x, { dtype: tf.bool }),
      ];
    });
    expect(a?.dtype).toBe('int32');
    expect(vals(a)).toEqual([1, -2, 3]); // truncation toward zero, as TF1
    expect(vals(b)).toEqual([1, -2, 3]);
    expect(c?.dtype).toBe('float32');
    expect(vals(c)).toEqual([1, -2, 3]);
    expect(vals(d)).toEqual([1, 1, 1]);
  });

  test('unsupported TF1 dtypes are a TypeError saying what is supported', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.constant([1]);
      expect(() => tf.cast(x, 'float64' as never)).toThrow(TypeError);
      expect(() => tf.cast(x, 'int64' as never)).toThrow(/tf\.float32.*tf\.int32.*tf\.bool/);
    });
  });
});

describe('plain values next to a tensor take its dtype', () => {
  test('int32 tensor times 0.5 is a TypeError (TF1), not zeros', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const i = tf.constant([1, 2, 3], 'int32');
      expect(() => tf.multiply(i, 0.5)).toThrow(TypeError);
      expect(() => tf.multiply(i, 0.5)).toThrow(/Expected int32, got 0\.5/);
      expect(() => tf.add(i, 2 ** 31)).toThrow(/Expected int32, got 2147483648/);
      expect(() => i.mul(0.5)).toThrow(TypeError);
      expect(() => tf.add(i, [1, 2.5, 3])).toThrow(TypeError);
      expect(() => tf.add(0.5, i)).toThrow(TypeError);
    });
  });

  test('an int32 tensor with an integral number stays int32; alone, numbers are float32', () => {
    const [a, b, c] = run(() => {
      const i = tf.constant([1, 2, 3], 'int32');
      return [tf.multiply(i, 2), tf.add(1, 2), tf.logicalNot(true)];
    });
    expect(a?.dtype).toBe('int32');
    expect(vals(a)).toEqual([2, 4, 6]);
    expect(b?.dtype).toBe('float32');
    expect(c?.dtype).toBe('bool');
    expect(vals(c)).toEqual([0]);
  });

  test('int32 feed values outside [-2**31, 2**31) or non-integer are errors, never wrapped', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const p = tf.placeholder(tf.int32, [2]);
      const y = tf.add(p, 1);
      const sess = new tf.Session({ graph: g });
      expect(() => sess.run(y, new Map([[p, [1, 2 ** 31]]]))).toThrow(/outside the int32 range/);
      expect(() => sess.run(y, new Map([[p, [-(2 ** 31) - 1, 0]]]))).toThrow(/outside the int32 range/);
      expect(() => sess.run(y, new Map([[p, [1.5, 0]]]))).toThrow(/int32 holds only integers/);
      expect(vals(sess.run(y, new Map([[p, [-(2 ** 31), 2 ** 31 - 2]]])))).toEqual([
        -(2 ** 31) + 1,
        2 ** 31 - 1,
      ]);
    });
  });
});

describe('auto-packing: nested arrays holding Tensors become a Pack', () => {
  test('tf.identity([1, t, 2]) and tf.add([a, b], 1)', () => {
    const g = new tf.Graph();
    const [p, s] = g.asDefault(() => {
      const t = tf.constant(5);
      const a = tf.constant([1, 2]);
      const b = tf.constant([3, 4]);
      const packed = tf.identity([1, t, 2] as never);
      const sum = tf.add([a, b] as never, 1);
      expect(packed.shape).toEqual([3]);
      expect(sum.shape).toEqual([2, 2]);
      expect(g.getOperations().some((o) => o.type === 'Pack')).toBe(true);
      return new tf.Session({ graph: g }).run([packed, sum]);
    });
    expect(vals(p)).toEqual([1, 5, 2]);
    expect(vals(s)).toEqual([2, 3, 4, 5]);
  });

  test('plain elements take the dtype of the tensors in the list', () => {
    const [p] = run(() => tf.identity([tf.constant(3, 'int32'), 4] as never));
    expect(p?.dtype).toBe('int32');
    expect(vals(p)).toEqual([3, 4]);
    const g = new tf.Graph();
    g.asDefault(() => {
      expect(() => tf.identity([tf.constant(3, 'int32'), 0.5] as never)).toThrow(TypeError);
    });
  });
});

describe('Tensors in JS arithmetic throw (Symbol.toPrimitive)', () => {
  test('w * x + b and x < 14 are TypeErrors pointing at tf.add / tf.less', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const w = tf.constant(2);
      const x = tf.constant(3);
      const anyW = w as unknown as number;
      const anyX = x as unknown as number;
      expect(() => anyW * anyX).toThrow(TypeError);
      expect(() => anyW + anyX).toThrow(/tf\.add/);
      expect(() => anyX < 14).toThrow(/tf\.less/);
      // String conversion still works (error messages, logging).
      expect(`${x}`).toMatch(/^Tensor\("Const_1:0"/);
      expect(String(x)).toBe(x.toString());
    });
  });
});

describe('TF1 semantics of the math builders', () => {
  test('int32 divide / truediv is true division returning float32 (TF1 casts integers to float)', () => {
    const [a, b, c] = run(() => {
      const x = tf.constant([7, -7, 1], 'int32');
      const y = tf.constant([2, 2, 3], 'int32');
      return [tf.divide(x, y), tf.truediv(x, y, 'td'), x.div(y)];
    });
    for (const r of [a, b, c]) {
      expect(r?.dtype).toBe('float32');
      expect(vals(r)).toEqual([3.5, -3.5, Math.fround(1 / 3)]);
    }
  });

  test('int32 pow with a negative exponent fails at run time with TF1 message', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder(tf.int32, [2]);
      const y = tf.pow(x, tf.constant([2, -1], 'int32'));
      const z = x.pow(3);
      const sess = new tf.Session({ graph: g });
      expect(() => sess.run(y, new Map([[x, [2, 3]]]))).toThrow(
        'Integers to negative integer powers are not allowed',
      );
      expect(vals(sess.run(z, new Map([[x, [2, -3]]])))).toEqual([8, -27]);
      const ok = tf.pow(x, 2);
      expect(vals(sess.run(ok, new Map([[x, [2, -3]]])))).toEqual([4, 9]);
    });
    // float pow with negative exponent stays allowed
    const [f] = run(() => tf.pow(tf.constant([2, 4]), -1));
    expect(vals(f)).toEqual([0.5, 0.25]);
  });

  test("sign's gradient is a zeros tensor, not null", () => {
    const g = new tf.Graph();
    const [d] = g.asDefault(() => {
      const x = tf.constant([-2, 0.5, 3]);
      const [dx] = tf.gradients(tf.reduceSum(tf.sign(x)), [x]);
      expect(dx).not.toBeNull();
      return new tf.Session({ graph: g }).run([dx as tf.Tensor]);
    });
    expect(vals(d)).toEqual([0, 0, 0]);
  });

  test('one-argument where returns int32 [n, rank] coordinates (TF1 docs example)', () => {
    const [w, e] = run(() => [
      tf.where([
        [true, false],
        [false, true],
      ]),
      tf.where(tf.constant([false, false])),
    ]);
    expect(w?.dtype).toBe('int32');
    expect(w?.shape).toEqual([2, 2]);
    expect(vals(w)).toEqual([0, 0, 1, 1]);
    expect(e?.shape).toEqual([0, 1]);
  });

  test('where: x and y both or neither; v1 shape rules (batch select, no broadcasting)', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.constant([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const y = tf.zerosLike(x);
      expect(() => tf.where(tf.constant([true]), x)).toThrow(/x and y must both be given/);
      expect(() => tf.where(tf.constant([true, false]), x, y)).toThrow(/vector of size x\.shape\[0\]/);
      expect(() => tf.where(tf.constant([[true, false]]), x, y)).toThrow(/condition must have the shape/);
      expect(() => tf.where(tf.constant([true, false, true]), x, tf.constant([1, 2]))).toThrow(
        /x and y must have the same shape/,
      );
      expect(() => tf.where(tf.constant([1, 0, 1]), x, y)).toThrow(/must be a bool tensor/);
      const rows = tf.where([true, false, true], x, y, 'rows');
      expect(rows.op.name).toBe('rows');
      expect(vals(new tf.Session({ graph: g }).run(rows))).toEqual([1, 2, 0, 0, 5, 6]);
      const kw = tf.where(tf.greater(x, 2), { x, y: tf.negative(x) });
      expect(vals(new tf.Session({ graph: g }).run(kw))).toEqual([-1, -2, 3, 4, 5, 6]);
    });
  });

  test('clipByValue: bounds must be scalars or the shape of t (TF1)', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const t = tf.constant([
        [1, 5, 9],
        [-3, 4, 12],
      ]);
      expect(() => tf.clipByValue(t, [0, 0, 0], 10)).toThrow(
        /clip_value_min must be a scalar or have the shape/,
      );
      expect(() => tf.clipByValue(t, 0, [[10], [10]])).toThrow(/clip_value_max/);
      const same = tf.clipByValue(t, tf.zerosLike(t), 8, 'clipped');
      expect(same.op.name).toBe('clipped');
      const kw = tf.clipByValue(t, { clipValueMin: 2, clip_value_max: 6 } as never);
      const sess = new tf.Session({ graph: g });
      expect(vals(sess.run(same))).toEqual([1, 5, 8, 0, 4, 8]);
      expect(vals(sess.run(kw))).toEqual([2, 5, 6, 2, 4, 6]);
      // A bound of unknown static shape is checked at run time.
      const p = tf.placeholder(tf.float32);
      const r = tf.clipByValue(t, p, 10);
      expect(() => sess.run(r, new Map([[p, [0, 0, 0]]]))).toThrow(/clip_value_min must be a scalar/);
    });
  });
});

describe('call forms of the math builders (TF1 positional and keyword)', () => {
  test('binary (x, y, name), unary (x, name), keyword options with snake_case', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const a = tf.constant([1, 2]);
      expect(tf.add(a, 1, 'plus').op.name).toBe('plus');
      expect(tf.add(a, 1, { name: 'plus2' }).op.name).toBe('plus2');
      expect(tf.add({ x: a, y: 2 } as never).op.type).toBe('Add');
      expect(tf.squaredDifference(a, { y: 3, name: 'sd' }).op.name).toBe('sd');
      expect(tf.negative(a, 'neg').op.name).toBe('neg');
      expect(tf.logicalAnd(true, false, { name: 'la' }).op.name).toBe('la');
      expect(tf.relu({ features: a }).op.type).toBe('Relu');
      expect(() => tf.add(a, 1, { nmae: 'x' } as never)).toThrow(/unexpected keyword argument 'nmae'/);
      expect(() => (tf.add as (...a: unknown[]) => tf.Tensor)(a, 1, 'n', 'extra')).toThrow(TypeError);
      expect(() => tf.add(a, { x: a, y: 1 } as never)).toThrow(/multiple values for argument 'x'/);
      expect(() => tf.negative('oops' as never)).toThrow(TypeError);
      expect(a.add(1, 'method').op.name).toBe('method');
    });
  });
});

describe('tf.elementwise: input names shadow mathjs constants', () => {
  test("inputs named e, pi, i, sum are the inputs, not mathjs's constants", () => {
    const [r1, r2] = run(() => {
      const e = tf.constant([1, 2]);
      const i = tf.constant([3, 4]);
      return [
        tf.elementwise('e * 2 + i * i', { e, i }),
        tf.elementwise('pi + sum', { pi: tf.constant([1, 1]), sum: tf.constant([0.5, 1]) }),
      ];
    });
    expect(vals(r1)).toEqual([11, 20]);
    expect(vals(r2)).toEqual([1.5, 2]);
  });

  test('the gradient of a formula over a shadowed name', () => {
    const g = new tf.Graph();
    const [d] = g.asDefault(() => {
      const e = tf.constant([1, 3]);
      const [de] = tf.gradients(tf.reduceSum(tf.elementwise('e ^ 2 * pi', { e })), [e]);
      return new tf.Session({ graph: g }).run([de as tf.Tensor]);
    });
    // d/de (e² · π) = 2eπ — `pi` not given as an input stays the constant.
    expect(vals(d)).toEqual([2 * Math.PI, 6 * Math.PI].map(Math.fround));
  });

  test('a name that cannot be a variable is rejected clearly', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      expect(() => tf.elementwise('true * 2', { true: tf.constant(1) })).toThrow(
        /input name 'true' cannot be used/,
      );
    });
  });
});

test("tf.constant('Hello, TensorFlow!') (TF1's helloworld, a tf.string tensor) is a clear UnimplementedError", () => {
  new tf.Graph().asDefault(() => {
    expect(() => tf.constant('Hello, TensorFlow!')).toThrow(tf.errors.UnimplementedError);
    expect(() => tf.constant('Hello, TensorFlow!')).toThrow(
      /constant\(\): string tensors \(TF1's tf.string dtype\) are not supported; got the value "Hello, TensorFlow!"/,
    );
    // Names and numeric values still bind as before.
    expect(tf.constant(3, 'int32', [2], 'three').op.name).toBe('three');
    expect(tf.constant([1, 2], { name: 'c' }).op.name).toBe('c');
  });
});
