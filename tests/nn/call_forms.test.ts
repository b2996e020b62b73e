import * as tf from '../../src';

/**
 * tf.nn call forms (SPEC §2): TF1 r1.15 positional order, keyword options, deprecated aliases, and clear
 * errors. Expected values are computed here with plain JS loops or taken from TF1's documentation.
 */
function run<T extends tf.Tensor | tf.Tensor[]>(build: () => T): number[][] {
  const g = new tf.Graph();
  return g.asDefault(() => {
    const t = build();
    const sess = new tf.Session({ graph: g });
    const ts = Array.isArray(t) ? t : [t];
    if (tf.globalVariables().length > 0) sess.run(tf.globalVariablesInitializer());
    return (sess.run(ts) as tf.NDArray[]).map((a) => Array.from(a.data as Float32Array));
  });
}
const inGraph = <T>(f: () => T): T => new tf.Graph().asDefault(f);
const close = (a: number[], b: number[], tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) =>
    expect(Math.abs(x - (b[i] as number))).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i] as number))),
  );
};

/** softmax along `axis` of a [r, c] matrix, plain JS. */
function jsSoftmax(m: number[][], axis: 0 | 1): number[] {
  const [r, c] = [m.length, (m[0] as number[]).length];
  const out = m.map((row) => row.slice());
  if (axis === 1) {
    for (let i = 0; i < r; i++) {
      const row = m[i] as number[];
      const mx = Math.max(...row);
      const s = row.reduce((p, x) => p + Math.exp(x - mx), 0);
      for (let j = 0; j < c; j++) (out[i] as number[])[j] = Math.exp((row[j] as number) - mx) / s;
    }
  } else {
    for (let j = 0; j < c; j++) {
      const col = m.map((row) => row[j] as number);
      const mx = Math.max(...col);
      const s = col.reduce((p, x) => p + Math.exp(x - mx), 0);
      for (let i = 0; i < r; i++) (out[i] as number[])[j] = Math.exp((col[i] as number) - mx) / s;
    }
  }
  return out.flat();
}
const M = [
  [1, 2, 3],
  [0.5, -1, 4],
];

describe('softmax / logSoftmax', () => {
  test('positional axis, keyword axis and the deprecated dim all select the axis', () => {
    const [a, b, c, d] = run(() => [
      tf.nn.softmax(M, 0),
      tf.nn.softmax(M, { axis: 0 }),
      tf.nn.softmax(M, { dim: 0 }),
      tf.nn.softmax(M, null, 'sm', 0),
    ]);
    for (const r of [a, b, c, d]) close(r as number[], jsSoftmax(M, 0));
    const [e] = run(() => tf.nn.softmax(M));
    close(e as number[], jsSoftmax(M, 1));
    const [l] = run(() => tf.nn.logSoftmax(M, 0));
    close(
      l as number[],
      jsSoftmax(M, 0).map((p) => Math.log(p)),
    );
  });
  test('axis and dim together, unknown keys and wrong types are TypeErrors', () => {
    inGraph(() => {
      expect(() => tf.nn.softmax(M, { axis: 0, dim: 0 })).toThrow(/cannot specify both 'axis' and 'dim'/);
      expect(() => tf.nn.softmax(M, { axes: 0 } as never)).toThrow(/unexpected keyword argument 'axes'/);
      expect(() => tf.nn.softmax(M, 0.5 as never)).toThrow(TypeError);
      expect(tf.nn.softmax(M, 'probs').op.name).toBe('probs');
    });
  });
  test('ties at any magnitude, float32 extremes and -inf entries', () => {
    const [a, b, c, d, e] = run(() => [
      tf.nn.softmax([[1e20, 1e20]]),
      tf.nn.softmax([[3.4e38, 3.4e38, -3.4e38]]),
      tf.nn.softmax([[-Infinity, 0, 0]]),
      tf.nn.logSoftmax([[1e20, 1e20]]),
      tf.nn.softmax([[-1e20], [-1e20]], 0),
    ]);
    expect(a).toEqual([0.5, 0.5]);
    expect(b).toEqual([0.5, 0.5, 0]);
    expect(c).toEqual([0, 0.5, 0.5]);
    close(d as number[], [-Math.LN2, -Math.LN2]);
    expect(e).toEqual([0.5, 0.5]);
  });
});

describe('cross-entropies', () => {
  const labels = [
    [0, 1, 0],
    [0.5, 0, 0.5],
  ];
  test('keyword-only in TF1: positional use names { labels, logits }', () => {
    inGraph(() => {
      expect(() => tf.nn.softmaxCrossEntropyWithLogits(labels as never, M as never)).toThrow(
        /must be called with keyword arguments: softmaxCrossEntropyWithLogits\(\{ labels, logits/,
      );
      expect(() => tf.nn.sparseSoftmaxCrossEntropyWithLogits([1, 2] as never, M as never)).toThrow(
        /keyword arguments.*labels, logits/,
      );
      expect(() => tf.nn.sigmoidCrossEntropyWithLogits(M as never, M as never)).toThrow(
        /keyword arguments.*labels, logits/,
      );
    });
  });
  test('dim / axis select the class axis (v1 and v2); V2 accepts TF1 positional order', () => {
    const lab0 = [
      [0, 1, 0.5],
      [1, 0, 0.5],
    ]; // distributions along axis 0
    const p0 = jsSoftmax(M, 0);
    const expected = [0, 1, 2].map(
      (j) => -(lab0[0]![j]! * Math.log(p0[j]!) + lab0[1]![j]! * Math.log(p0[3 + j]!)),
    );
    const rs = run(() => [
      tf.nn.softmaxCrossEntropyWithLogits({ labels: lab0, logits: M, dim: 0 }),
      tf.nn.softmaxCrossEntropyWithLogits({ labels: lab0, logits: M, axis: 0 }),
      tf.nn.softmaxCrossEntropyWithLogitsV2(lab0, M, 0),
      tf.nn.softmaxCrossEntropyWithLogitsV2({ labels: lab0, logits: M, dim: 0 }),
    ]);
    for (const r of rs) close(r, expected);
    inGraph(() =>
      expect(() => tf.nn.softmaxCrossEntropyWithLogits({ labels: lab0, logits: M, dim: 0, axis: 0 })).toThrow(
        /cannot specify both/,
      ),
    );
  });
  test('ties at 1e20: loss ln 2', () => {
    const [a, b] = run(() => [
      tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: [0], logits: [[1e20, 1e20]] }),
      tf.nn.softmaxCrossEntropyWithLogits({ labels: [[1, 0]], logits: [[1e20, 1e20]] }),
    ]);
    close(a as number[], [Math.LN2]);
    close(b as number[], [Math.LN2]);
  });
});

describe('conv2d / pooling call forms', () => {
  const x = Array.from({ length: 16 }, (_v, i) => ((i * 7) % 16) - 8); // [1,4,4,1]
  const x4 = tf.ndarray(Float32Array.from(x), [1, 4, 4, 1]);
  test('keyword ksize / strides / padding give the positional numbers', () => {
    const [a, b, c, d] = run(() => [
      tf.nn.maxPool(x4, [1, 2, 2, 1], [1, 2, 2, 1], 'VALID'),
      tf.nn.maxPool(x4, { ksize: 2, strides: [2], padding: 'VALID' }),
      tf.nn.maxPool({ input: x4, ksize: [2, 2], strides: 2, padding: 'VALID' } as never),
      tf.nn.avgPool(x4, { ksize: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: 'VALID' }),
    ]);
    // plain JS 2x2 max / mean
    const win = (f: (v: number[]) => number) =>
      [0, 2].flatMap((h) =>
        [0, 2].map((w) =>
          f([x[h * 4 + w]!, x[h * 4 + w + 1]!, x[(h + 1) * 4 + w]!, x[(h + 1) * 4 + w + 1]!]),
        ),
      );
    const mx = win((v) => Math.max(...v));
    expect(a).toEqual(mx);
    expect(b).toEqual(mx);
    expect(c).toEqual(mx);
    close(
      d as number[],
      win((v) => v.reduce((p, q) => p + q, 0) / 4),
    );
  });
  test('conv2d keyword form and the filters alias', () => {
    const f = [[[[1]], [[2]]]]; // [1,2,1,1]
    const [a, b] = run(() => [
      tf.nn.conv2d(x4, f, [1, 1, 1, 1], 'VALID'),
      tf.nn.conv2d(x4, { filters: f, strides: 1, padding: 'VALID', useCudnnOnGpu: false }),
    ]);
    const expected = [0, 1, 2, 3].flatMap((h) => [0, 1, 2].map((w) => x[h * 4 + w]! + 2 * x[h * 4 + w + 1]!));
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);
  });
  test('unsupported values are clear errors', () => {
    inGraph(() => {
      const f = tf.zeros([2, 2, 1, 1]);
      expect(() => tf.nn.conv2d(x4, f, 1, 'SAME', { dilations: 2 })).toThrow(/dilations other than 1/);
      expect(() =>
        tf.nn.conv2d(x4, f, 1, [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ] as never),
      ).toThrow(/argument 'padding' must be 'SAME' or 'VALID'/);
      expect(() => tf.nn.conv2d(x4, f, 1, 'SAME', { dataFormat: 'NCDHW' as never })).toThrow(TypeError);
      expect(() => tf.nn.conv2dBackpropInput([1, 4, 4, 1], f, x4, 1, 'SAME', { dataFormat: 'NCHW' })).toThrow(
        /not implemented/,
      );
      expect(() => tf.nn.maxPool(x4, [1, 1, 1, 3], [1, 1, 1, 3], 'VALID')).toThrow(/evenly divide/);
      expect(() => tf.nn.maxPool(x4, [1, 1, 1, 1], [1, 1, 1, 2], 'VALID')).toThrow(/batch and depth/);
      expect(() => tf.nn.avgPool(tf.zeros([1, 2, 2, 4]), [1, 1, 1, 2], [1, 1, 1, 2], 'VALID')).toThrow(
        /Non-spatial pooling/,
      );
      expect(() => tf.nn.maxPool(x4, { ksize: 2, strides: 2 } as never)).toThrow(
        /missing required argument 'padding'/,
      );
    });
  });
  test('depthwise max pooling (TF1 ksize = strides = [1,1,1,k]) and its gradient', () => {
    const v = [1, 5, 3, 2, -1, -4, 7, 7.5]; // [1,1,2,4]
    const [y, dx] = run(() => {
      const t = tf.constant(tf.ndarray(Float32Array.from(v), [1, 1, 2, 4]));
      const p = tf.nn.maxPool(t, [1, 1, 1, 2], [1, 1, 1, 2], 'VALID');
      return [p, tf.gradients(tf.reduceSum(p), t)[0] as tf.Tensor];
    });
    expect(y).toEqual([5, 3, -1, 7.5]);
    expect(dx).toEqual([0, 1, 1, 0, 1, 0, 0, 1]);
  });
});

describe('biasAdd NCHW', () => {
  test('bias along axis 1 and its gradient (sum over N, H, W)', () => {
    const x = Array.from({ length: 2 * 3 * 2 }, (_v, i) => i); // [2,3,2]
    const b = [10, 20, 30];
    const [y, db] = run(() => {
      const bias = tf.constant(b);
      const out = tf.nn.biasAdd(tf.ndarray(Float32Array.from(x), [2, 3, 2]), bias, { dataFormat: 'NCHW' });
      return [out, tf.gradients(tf.reduceSum(tf.multiply(out, out)), bias)[0] as tf.Tensor];
    });
    const expY = x.map((v, i) => v + b[Math.floor(i / 2) % 3]!);
    expect(y).toEqual(expY);
    const expDb = [0, 1, 2].map((c) =>
      expY.reduce((p, v, i) => (Math.floor(i / 2) % 3 === c ? p + 2 * v : p), 0),
    );
    expect(db).toEqual(expDb);
  });
});

describe('dropout, l2Loss, embeddingLookup', () => {
  test('dropout: exactly one of keepProb / rate', () => {
    inGraph(() => {
      const x = tf.ones([4]);
      expect(() => tf.nn.dropout(x)).toThrow(/exactly one of keepProb and rate/);
      expect(() => tf.nn.dropout(x, 0.5, { rate: 0.5 })).toThrow(/cannot specify both/);
      expect(() => tf.nn.dropout(x, { rate: 1 })).toThrow(/range \[0, 1\)/);
      expect(tf.nn.dropout(x, { rate: 0 })).toBe(x);
    });
    const [y] = run(() => tf.nn.dropout(tf.ones([2000]), { rate: 0.75, seed: 3 }));
    const kept = (y as number[]).filter((v) => v !== 0);
    expect(kept.every((v) => v === 4)).toBe(true);
    expect(Math.abs(kept.length / 2000 - 0.25)).toBeLessThan(0.05);
    const [z] = run(() => tf.nn.dropout(tf.ones([8]), 0.5, [8], 7, 'drop'));
    expect((z as number[]).every((v) => v === 0 || v === 2)).toBe(true);
  });
  test('l2Loss(t, name)', () => {
    const t = inGraph(() => tf.nn.l2Loss([1, 2, 3], 'wd'));
    expect(t.op.name).toBe('wd');
    expect(run(() => tf.nn.l2Loss([1, 2, 3]))[0]).toEqual([7]);
  });
  test('embeddingLookup: sharded params under mod and div, maxNorm clipping', () => {
    // Table of 5 ids, row i = [i, 10 i]. mod: shard k holds ids k, k+2, …; div: [0,1,2] and [3,4].
    const row = (i: number) => [i, 10 * i];
    const ids = [4, 0, 3, 1];
    const [mod, div, clipped] = run(() => [
      tf.nn.embeddingLookup([tf.constant([row(0), row(2), row(4)]), tf.constant([row(1), row(3)])], ids),
      tf.nn.embeddingLookup(
        [tf.constant([row(0), row(1), row(2)]), tf.constant([row(3), row(4)])],
        ids,
        'div',
      ),
      tf.nn.embeddingLookup(
        tf.constant([
          [3, 4],
          [0.3, 0.4],
        ]),
        [0, 1],
        { maxNorm: 1 },
      ),
    ]);
    expect(mod).toEqual(ids.flatMap(row));
    expect(div).toEqual(ids.flatMap(row));
    close(clipped as number[], [0.6, 0.8, 0.3, 0.4]);
    inGraph(() =>
      expect(() =>
        tf.nn.embeddingLookup(
          [tf.constant([row(0), row(1)]), tf.constant([row(2), row(3)]), tf.constant([row(4)])],
          [0],
          'div',
        ),
      ).not.toThrow(),
    );
    inGraph(() =>
      expect(() => tf.nn.embeddingLookup([tf.zeros([1, 2]), tf.zeros([3, 2])], [0])).toThrow(
        /do not partition/,
      ),
    );
  });
});

describe('RNN call forms', () => {
  const xv = [
    [
      [0.1, -0.2],
      [0.3, 0.5],
      [-0.4, 0.2],
    ],
  ]; // [1, 3, 2]
  /** Builds under a variable scope whose initializer has a fixed op seed: every graph gets the same weights. */
  function lstm(build: (x: tf.Tensor) => tf.Tensor[]): number[][] {
    return run(() => {
      tf.setRandomSeed(7);
      return tf.variableScope('v', { initializer: tf.initializers.randomUniform(-0.5, 0.5, 11) }, () =>
        build(tf.constant(xv)),
      );
    });
  }
  test('BasicLSTMCell positional forgetBias equals the keyword form; stateIsTuple false gives the same numbers', () => {
    const a = lstm((x) => {
      const [o, s] = tf.nn.dynamicRnn(new tf.nn.rnnCell.BasicLSTMCell(3, 0.5), x, null, null, 'float32');
      return [o, (s as tf.nn.rnnCell.LSTMStateTuple).c, (s as tf.nn.rnnCell.LSTMStateTuple).h];
    });
    const b = lstm((x) => {
      const [o, s] = tf.nn.dynamicRnn(new tf.nn.rnnCell.BasicLSTMCell(3, { forgetBias: 0.5 }), x, {
        dtype: 'float32',
        parallelIterations: 32,
        swapMemory: true,
      });
      return [o, (s as tf.nn.rnnCell.LSTMStateTuple).c, (s as tf.nn.rnnCell.LSTMStateTuple).h];
    });
    const c = lstm((x) => {
      const cell = new tf.nn.rnnCell.BasicLSTMCell(3, { forgetBias: 0.5, stateIsTuple: false });
      expect(cell.stateSize).toBe(6);
      const [o, s] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
      return [o, s as tf.Tensor];
    });
    expect(b).toEqual(a);
    expect(c[0]).toEqual(a[0]);
    // concat([c, h], 1)
    expect(c[1]).toEqual([...(a[1] as number[]), ...(a[2] as number[])]);
  });
  test('timeMajor gives the batch-major numbers transposed; staticRnn positional dtype', () => {
    const a = lstm((x) => [tf.nn.dynamicRnn(new tf.nn.rnnCell.GRUCell(2), x, { dtype: 'float32' })[0]]);
    const b = lstm((x) => [
      tf.transpose(
        tf.nn.dynamicRnn(new tf.nn.rnnCell.GRUCell(2), tf.transpose(x, [1, 0, 2]), {
          dtype: 'float32',
          timeMajor: true,
        })[0],
        [1, 0, 2],
      ),
    ]);
    const c = lstm(
      (x) => tf.nn.staticRnn(new tf.nn.rnnCell.GRUCell(2), tf.unstack(x, { axis: 1 }), null, 'float32')[0],
    );
    expect(b).toEqual(a);
    // staticRnn outputs per step, [1, 2] each: the same as the dynamic outputs' time slices
    expect(c.flat()).toEqual(a[0]);
  });
  test('MultiRNNCell stateIsTuple false concatenates the states', () => {
    const a = lstm((x) => {
      const cell = new tf.nn.rnnCell.MultiRNNCell([
        new tf.nn.rnnCell.GRUCell(2),
        new tf.nn.rnnCell.GRUCell(3),
      ]);
      const [o, s] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
      return [o, ...(s as tf.Tensor[])];
    });
    const b = lstm((x) => {
      const cell = new tf.nn.rnnCell.MultiRNNCell(
        [new tf.nn.rnnCell.GRUCell(2), new tf.nn.rnnCell.GRUCell(3)],
        false,
      );
      const [o, s] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
      return [o, s as tf.Tensor];
    });
    expect(b[0]).toEqual(a[0]);
    expect(b[1]).toEqual([...(a[1] as number[]), ...(a[2] as number[])]);
  });
  test('constructor and function errors', () => {
    inGraph(() => {
      expect(() => new tf.nn.rnnCell.GRUCell(3, { numProj: 2 } as never)).toThrow(
        /GRUCell\(\) got an unexpected keyword argument 'numProj'/,
      );
      expect(() => new tf.nn.rnnCell.BasicRNNCell(0)).toThrow(/numUnits' must be a positive integer/);
      expect(() => new tf.nn.rnnCell.BasicLSTMCell(2, { forget_bias: 'x' } as never)).toThrow(TypeError);
      expect(() =>
        tf.nn.dynamicRnn(new tf.nn.rnnCell.GRUCell(2), tf.zeros([1, 2, 2]), { timeMajr: true } as never),
      ).toThrow(/unexpected keyword argument 'timeMajr'/);
      expect(() =>
        tf.nn.dynamicRnn(new tf.nn.rnnCell.GRUCell(2), tf.zeros([1, 2, 2]), { timeMajor: 1 } as never),
      ).toThrow(/'timeMajor' must be a boolean/);
    });
  });
});
