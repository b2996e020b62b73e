// Literal TF1 call forms (issue 11): each row is a TF1 call transliterated as a TF1 user writes it
// (positional order, keyword options, deprecated aliases) with the value TF1 gives. Expected values come
// from TF1's documentation (docstring examples) or are computed here in plain JS; none from our output.
import * as tf from '../../src';

type Value = number | boolean | Value[];
interface Row {
  call: string;
  build: () => tf.Tensor | tf.Operation | (tf.Tensor | tf.Operation)[];
  /** Exact expected value(s), or a predicate over the fetched arrays. */
  want?: Value | Value[];
  check?: (got: Value[]) => void;
  close?: boolean;
  /** Expected error instead of a value. */
  throws?: RegExp;
  /** Runs to do before fetching (training steps). */
  steps?: number;
  train?: () => tf.Operation;
}

const x23 = (): tf.Tensor =>
  tf.constant([
    [1, 1, 1],
    [1, 1, 1],
  ]);
const m22 = (): tf.Tensor =>
  tf.constant([
    [1, 2],
    [3, 4],
  ]);
const pads = [
  [1, 1],
  [2, 2],
];
const t23 = (): tf.Tensor =>
  tf.constant([
    [1, 2, 3],
    [4, 5, 6],
  ]);
const t332 = [
  [
    [1, 1, 1],
    [2, 2, 2],
  ],
  [
    [3, 3, 3],
    [4, 4, 4],
  ],
  [
    [5, 5, 5],
    [6, 6, 6],
  ],
];
const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a: number[]): number => Math.sqrt(mean(a.map((v) => (v - mean(a)) ** 2)));
const flat = (v: Value): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);
const softmaxRef = (v: number[]): number[] => {
  const mx = Math.max(...v);
  const e = v.map((z) => Math.exp(z - mx));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((z) => z / s);
};

const rows: Row[] = [
  // reduce_sum docstring: x = [[1, 1, 1], [1, 1, 1]]
  { call: 'reduce_sum(x)', build: () => tf.reduceSum(x23()), want: 6 },
  { call: 'reduce_sum(x, 0)', build: () => tf.reduceSum(x23(), 0), want: [2, 2, 2] },
  { call: 'reduce_sum(x, 1)', build: () => tf.reduceSum(x23(), 1), want: [3, 3] },
  {
    call: 'reduce_sum(x, 1, keepdims=True) positional',
    build: () => tf.reduceSum(x23(), 1, true),
    want: [[3], [3]],
  },
  {
    call: 'reduce_sum(x, axis=1, keepdims=True)',
    build: () => tf.reduceSum(x23(), { axis: 1, keepdims: true }),
    want: [[3], [3]],
  },
  { call: 'reduce_sum(x, [0, 1])', build: () => tf.reduceSum(x23(), [0, 1]), want: 6 },
  {
    call: 'reduce_sum(x, reduction_indices=1)',
    build: () => tf.reduceSum(x23(), { reductionIndices: 1 }),
    want: [3, 3],
  },
  {
    call: 'reduce_sum(x, keep_dims=True)',
    build: () => tf.reduceSum(x23(), { keep_dims: true } as never),
    want: [[6]],
  },
  {
    call: 'reduce_sum(x, axis=1, name="total")',
    build: () => tf.reduceSum(x23(), 1, false, 'total'),
    check: () => undefined,
  },
  // reduce_mean docstring: x = [[1., 1.], [2., 2.]]
  {
    call: 'reduce_mean(x)',
    build: () =>
      tf.reduceMean([
        [1, 1],
        [2, 2],
      ]),
    want: 1.5,
  },
  {
    call: 'reduce_mean(x, 0)',
    build: () =>
      tf.reduceMean(
        [
          [1, 1],
          [2, 2],
        ],
        0,
      ),
    want: [1.5, 1.5],
  },
  {
    call: 'reduce_mean(x, 1)',
    build: () =>
      tf.reduceMean(
        [
          [1, 1],
          [2, 2],
        ],
        1,
      ),
    want: [1, 2],
  },
  { call: 'reduce_max(m, 1)', build: () => tf.reduceMax(m22(), 1), want: [2, 4] },
  { call: 'reduce_min(m, axis=0)', build: () => tf.reduceMin(m22(), { axis: 0 }), want: [1, 2] },
  { call: 'reduce_prod(m, 1)', build: () => tf.reduceProd(m22(), 1), want: [2, 12] },
  {
    call: 'reduce_sum(x, keepdims=2) is a TypeError',
    build: () => tf.reduceSum(x23(), { keepdims: 2 } as never),
    throws: /keepdims/,
  },
  // argmax / argmin
  {
    call: 'argmax(m, 1)',
    build: () =>
      tf.argmax(
        [
          [1, 5, 3],
          [4, 2, 6],
        ],
        1,
      ),
    want: [1, 2],
  },
  {
    call: 'argmax(m, axis=0)',
    build: () =>
      tf.argmax(
        [
          [1, 5, 3],
          [4, 2, 6],
        ],
        { axis: 0 },
      ),
    want: [1, 0, 1],
  },
  {
    call: 'argmax(m, dimension=1)',
    build: () =>
      tf.argmax(
        [
          [1, 5, 3],
          [4, 2, 6],
        ],
        { dimension: 1 },
      ),
    want: [1, 2],
  },
  {
    call: 'argmin(m, 1)',
    build: () =>
      tf.argmin(
        [
          [1, 5, 3],
          [4, 2, 6],
        ],
        1,
      ),
    want: [0, 1],
  },
  // stack / unstack / concat (docstrings)
  {
    call: 'stack([x, y, z])',
    build: () =>
      tf.stack([
        [1, 4],
        [2, 5],
        [3, 6],
      ]),
    want: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
  },
  {
    call: 'stack([x, y, z], axis=1)',
    build: () => tf.stack([tf.constant([1, 4]), tf.constant([2, 5]), tf.constant([3, 6])], { axis: 1 }),
    want: [
      [1, 2, 3],
      [4, 5, 6],
    ],
  },
  {
    call: 'stack([x, y, z], 1) positional',
    build: () => tf.stack([tf.constant([1, 4]), tf.constant([2, 5]), tf.constant([3, 6])], 1),
    want: [
      [1, 2, 3],
      [4, 5, 6],
    ],
  },
  {
    call: 'unstack(t, 3, 1)',
    build: () => tf.unstack(t23(), 3, 1),
    want: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
  },
  {
    call: 'unstack(t, axis=1)',
    build: () => tf.unstack(t23(), { axis: 1 }),
    want: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
  },
  {
    call: 'concat([t1, t2], 0)',
    build: () =>
      tf.concat(
        [
          t23(),
          tf.constant([
            [7, 8, 9],
            [10, 11, 12],
          ]),
        ],
        0,
      ),
    want: [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
    ],
  },
  {
    call: 'concat([t1, t2], 1)',
    build: () =>
      tf.concat(
        [
          t23(),
          tf.constant([
            [7, 8, 9],
            [10, 11, 12],
          ]),
        ],
        1,
      ),
    want: [
      [1, 2, 3, 7, 8, 9],
      [4, 5, 6, 10, 11, 12],
    ],
  },
  // shape ops
  { call: 'expand_dims(t, 0)', build: () => tf.expandDims([1, 2], 0), want: [[1, 2]] },
  { call: 'expand_dims(t, axis=1)', build: () => tf.expandDims([1, 2], { axis: 1 }), want: [[1], [2]] },
  { call: 'squeeze(t, [0, 2])', build: () => tf.squeeze([[[1], [2]]], [0, 2]), want: [1, 2] },
  {
    call: 'reshape(t, [3, 3])',
    build: () => tf.reshape([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]),
    want: [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
  },
  { call: 'reshape(t, [-1])', build: () => tf.reshape(t23(), [-1]), want: [1, 2, 3, 4, 5, 6] },
  {
    call: 'transpose(x)',
    build: () => tf.transpose(t23()),
    want: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
  },
  {
    call: 'transpose(x, perm=[1, 0])',
    build: () => tf.transpose(t23(), { perm: [1, 0] }),
    want: [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
  },
  {
    call: 'split(value, [1, 2], 1)',
    build: () => tf.split(t23(), [1, 2], 1),
    want: [
      [[1], [4]],
      [
        [2, 3],
        [5, 6],
      ],
    ],
  },
  {
    call: 'split(value, 3, 1)',
    build: () => tf.split(t23(), 3, 1),
    want: [
      [[1], [4]],
      [[2], [5]],
      [[3], [6]],
    ],
  },
  {
    call: 'slice(t, [1, 0, 0], [1, 1, 3])',
    build: () => tf.slice(t332, [1, 0, 0], [1, 1, 3]),
    want: [[[3, 3, 3]]],
  },
  {
    call: 'slice(t, [1, 0, 0], [1, 2, 3])',
    build: () => tf.slice(t332, [1, 0, 0], [1, 2, 3]),
    want: [
      [
        [3, 3, 3],
        [4, 4, 4],
      ],
    ],
  },
  { call: 'gather(params, [3, 0])', build: () => tf.gather([10, 20, 30, 40], [3, 0]), want: [40, 10] },
  {
    call: 'gather(params, [1], axis=1)',
    build: () => tf.gather(t23(), [2, 0], { axis: 1 }),
    want: [
      [3, 1],
      [6, 4],
    ],
  },
  // pad docstring: t = [[1, 2, 3], [4, 5, 6]], paddings = [[1, 1], [2, 2]]
  {
    call: 'pad(t, paddings)',
    build: () => tf.pad(t23(), pads),
    want: [
      [0, 0, 0, 0, 0, 0, 0],
      [0, 0, 1, 2, 3, 0, 0],
      [0, 0, 4, 5, 6, 0, 0],
      [0, 0, 0, 0, 0, 0, 0],
    ],
  },
  {
    call: 'pad(t, paddings, "REFLECT")',
    build: () => tf.pad(t23(), pads, 'REFLECT'),
    want: [
      [6, 5, 4, 5, 6, 5, 4],
      [3, 2, 1, 2, 3, 2, 1],
      [6, 5, 4, 5, 6, 5, 4],
      [3, 2, 1, 2, 3, 2, 1],
    ],
  },
  {
    call: 'pad(t, paddings, "SYMMETRIC")',
    build: () => tf.pad(t23(), pads, 'SYMMETRIC'),
    want: [
      [2, 1, 1, 2, 3, 3, 2],
      [2, 1, 1, 2, 3, 3, 2],
      [5, 4, 4, 5, 6, 6, 5],
      [5, 4, 4, 5, 6, 6, 5],
    ],
  },
  {
    call: 'pad(t, paddings, constant_values=9)',
    build: () =>
      tf.pad(
        t23(),
        [
          [0, 0],
          [1, 0],
        ],
        { constantValues: 9 },
      ),
    want: [
      [9, 1, 2, 3],
      [9, 4, 5, 6],
    ],
  },
  {
    call: 'tile(t, [1, 2])',
    build: () => tf.tile(m22(), [1, 2]),
    want: [
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ],
  },
  // one_hot docstring
  {
    call: 'one_hot([0, 1, 2], 3)',
    build: () => tf.oneHot([0, 1, 2], 3),
    want: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
  },
  {
    call: 'one_hot(indices, 3, 5.0, 0.0, -1)',
    build: () => tf.oneHot([0, 2, -1, 1], 3, 5.0, 0.0, -1),
    want: [
      [5, 0, 0],
      [0, 0, 5],
      [0, 0, 0],
      [0, 5, 0],
    ],
  },
  {
    call: 'one_hot(indices, 3, on_value=5, off_value=0, axis=0)',
    build: () => tf.oneHot([0, 2, -1, 1], 3, { onValue: 5, offValue: 0, axis: 0 }),
    want: [
      [5, 0, 0, 0],
      [0, 0, 0, 5],
      [0, 5, 0, 0],
    ],
  },
  // range docstring
  { call: 'range(3, 18, 3)', build: () => tf.range(3, 18, 3), want: [3, 6, 9, 12, 15] },
  { call: 'range(3, 1, -0.5)', build: () => tf.range(3, 1, -0.5), want: [3, 2.5, 2, 1.5] },
  { call: 'range(5)', build: () => tf.range(5), want: [0, 1, 2, 3, 4] },
  {
    call: 'fill([2, 3], 9)',
    build: () => tf.fill([2, 3], 9),
    want: [
      [9, 9, 9],
      [9, 9, 9],
    ],
  },
  {
    call: 'zeros([2], tf.int32).dtype',
    build: () => tf.zeros([2], tf.int32),
    check: () => expect(tf.zeros([2], tf.int32).dtype).toBe('int32'),
  },
  // random ops: positional minval/maxval/mean/stddev
  {
    call: 'random_uniform([4000], -1, 1)',
    build: () => tf.randomUniform([4000], -1, 1, tf.float32, 1),
    check: ([v]) => {
      const a = flat(v as Value);
      expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
      expect(Math.min(...a)).toBeLessThan(-0.95);
      expect(Math.max(...a)).toBeLessThan(1);
      expect(Math.abs(mean(a))).toBeLessThan(0.05);
    },
  },
  {
    call: 'truncated_normal([4000], 0, 0.1)',
    build: () => tf.truncatedNormal([4000], 0, 0.1, tf.float32, 2),
    check: ([v]) => {
      const a = flat(v as Value);
      expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(0.2);
      expect(std(a)).toBeCloseTo(0.1 * 0.87962566, 2);
    },
  },
  {
    call: 'random_normal([4000], 5, 2)',
    build: () => tf.randomNormal([4000], 5, 2, tf.float32, 3),
    check: ([v]) => {
      const a = flat(v as Value);
      expect(mean(a)).toBeCloseTo(5, 0);
      expect(std(a)).toBeGreaterThan(1.9);
      expect(std(a)).toBeLessThan(2.1);
    },
  },
  // initializers (TF1 defaults)
  {
    call: 'random_uniform_initializer(-0.1, 0.1)',
    build: () => tf.getVariable('u', [4000], { initializer: tf.initializers.randomUniform(-0.1, 0.1, 4) }),
    check: ([v]) => {
      const a = flat(v as Value);
      expect(Math.min(...a)).toBeLessThan(-0.09);
      expect(Math.max(...a)).toBeGreaterThan(0.09);
      expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(0.1);
    },
  },
  {
    call: 'truncated_normal_initializer() (stddev 1.0)',
    build: () => tf.getVariable('t', [4000], { initializer: tf.initializers.truncatedNormal() }),
    check: ([v]) => expect(std(flat(v as Value))).toBeCloseTo(0.8796, 1),
  },
  {
    call: 'random_uniform_initializer() is [0, 1)',
    build: () => tf.getVariable('r', [4000], { initializer: tf.initializers.randomUniform() }),
    check: ([v]) => {
      const a = flat(v as Value);
      expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...a)).toBeGreaterThan(0.95);
    },
  },
  // nn
  {
    call: 'softmax(logits, 0)',
    build: () =>
      tf.nn.softmax(
        [
          [1, 2],
          [3, 5],
        ],
        0,
      ),
    close: true,
    check: ([v]) => {
      const c0 = softmaxRef([1, 3]);
      const c1 = softmaxRef([2, 5]);
      expect(flat(v as Value).map((q) => +q.toFixed(6))).toEqual(
        [c0[0], c1[0], c0[1], c1[1]].map((q) => +(q as number).toFixed(6)),
      );
    },
  },
  {
    call: 'softmax(logits, dim=0)',
    build: () =>
      tf.nn.softmax(
        [
          [1, 2],
          [3, 5],
        ],
        { dim: 0 },
      ),
    check: ([v]) => expect(flat(v as Value)[0]).toBeCloseTo(softmaxRef([1, 3])[0] as number, 6),
  },
  { call: 'softmax([[1e20, 1e20]])', build: () => tf.nn.softmax([[1e20, 1e20]]), want: [[0.5, 0.5]] },
  {
    call: 'softmax_cross_entropy_with_logits(labels, logits) positional',
    build: () => tf.nn.softmaxCrossEntropyWithLogits([[0, 1]] as never, [[1, 2]] as never),
    throws: /keyword arguments/,
  },
  {
    call: 'softmax_cross_entropy_with_logits(labels=, logits=)',
    build: () => tf.nn.softmaxCrossEntropyWithLogits({ labels: [[0, 1]], logits: [[1, 2]] }),
    check: ([v]) => expect(flat(v as Value)[0]).toBeCloseTo(-Math.log(softmaxRef([1, 2])[1] as number), 5),
  },
  {
    call: 'max_pool(x, ksize=, strides=, padding=)',
    build: () =>
      tf.nn.maxPool(tf.reshape(tf.range(16, undefined, undefined, tf.float32), [1, 4, 4, 1]), {
        ksize: [1, 2, 2, 1],
        strides: [1, 2, 2, 1],
        padding: 'VALID',
      }),
    want: [
      [
        [[5], [7]],
        [[13], [15]],
      ],
    ],
  },
  {
    call: 'conv2d(x, f, [1, 1, 1, 1], "VALID")',
    build: () => tf.nn.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1, 1]), [1, 1, 1, 1], 'VALID'),
    want: [
      [
        [[4], [4]],
        [[4], [4]],
      ],
    ],
  },
  { call: 'dropout(x, rate=0.0)', build: () => tf.nn.dropout([1, 2, 3], { rate: 0 }), want: [1, 2, 3] },
  {
    call: 'bias_add(value, bias, data_format="NCHW")',
    build: () => tf.nn.biasAdd(tf.zeros([1, 2, 1, 1]), [1, 2], 'NCHW'),
    want: [[[[1]], [[2]]]],
  },
  // schedules and optimizers
  {
    call: 'exponential_decay(0.1, 50, 100, 0.96, True)',
    build: () => tf.train.exponentialDecay(0.1, tf.constant(50), 100, 0.96, true),
    close: true,
    want: 0.1,
  },
  {
    call: 'exponential_decay(0.1, 50, 100, 0.96)',
    build: () => tf.train.exponentialDecay(0.1, tf.constant(50), 100, 0.96),
    close: true,
    want: 0.1 * Math.pow(0.96, 0.5),
  },
  {
    call: 'MomentumOptimizer(0.1, 0.9) two steps on v²',
    build: () => tf.getDefaultGraph().getTensorByName('v:0'),
    train: () => {
      const v = new tf.Variable(1.0, { name: 'v' });
      return new tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.square(v));
    },
    steps: 2,
    // accum = 2; v = 0.8; accum = 0.9·2 + 1.6 = 3.4; v = 0.8 − 0.34
    close: true,
    want: 0.46,
  },
  {
    call: 'AdamOptimizer(0.1) one step on v',
    build: () => tf.getDefaultGraph().getTensorByName('v:0'),
    train: () => {
      const v = new tf.Variable(1.0, { name: 'v' });
      return new tf.train.AdamOptimizer(0.1).minimize(v);
    },
    steps: 1,
    // lr_t = 0.1·sqrt(1−0.999)/(1−0.9); m = 0.1, v̂ = 0.001: step = lr_t·m/(sqrt(0.001)+1e-8) ≈ 0.1
    close: true,
    want: 1 - ((0.1 * Math.sqrt(0.001)) / 0.1) * (0.1 / (Math.sqrt(0.001) + 1e-8)),
  },
  {
    call: 'GradientDescentOptimizer(0.5, False, "sgd").get_name()',
    build: () => tf.constant(0),
    check: () => expect(new tf.train.GradientDescentOptimizer(0.5, false, 'sgd').getName()).toBe('sgd'),
  },
  // control flow and gradients
  {
    call: 'cond(x < y, lambda: x + z, lambda: y**2)',
    build: () =>
      tf.cond(
        tf.less(2.0, 5.0),
        () => tf.add(2.0, 10.0),
        () => tf.square(5.0),
      ),
    want: 12,
  },
  {
    call: 'cond(True, f, g) with a Python bool',
    build: () =>
      tf.cond(
        true as never,
        () => tf.constant(1),
        () => tf.constant(2),
      ),
    throws: /bool|Tensor/,
  },
  {
    call: 'while_loop(i < 10, i + 1, [i]) returns a tensor',
    build: () =>
      tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 10),
        (i: tf.Tensor) => tf.add(i, 1),
        [tf.constant(0)],
      ) as unknown as tf.Tensor,
    want: 10,
  },
  {
    call: 'gradients(a + b, [a, b], stop_gradients=[a, b])',
    build: () => {
      const a = tf.constant(0.0);
      const b = tf.multiply(2.0, a);
      return tf.gradients(tf.add(a, b), [a, b], { stopGradients: [a, b] }) as tf.Tensor[];
    },
    want: [1, 1],
  },
  {
    call: 'gradients(y, x, grad_ys) positional',
    build: () => {
      const x = tf.constant(3.0);
      return tf.gradients(tf.square(x), x, tf.constant(2.0)) as tf.Tensor[];
    },
    want: [12],
  },
  // values and dtypes
  {
    call: 'multiply(int32, 0.5) is a TypeError',
    build: () => tf.multiply(tf.constant(3, tf.int32), 0.5),
    throws: /0\.5/,
  },
  {
    call: 'divide(7, 2) on int32 is true division',
    build: () => tf.divide(tf.constant(7, tf.int32), tf.constant(2, tf.int32)),
    want: 3.5,
  },
  { call: 'placeholder("float") fed', build: () => tf.add(tf.placeholder('float', [], 'p'), 1), want: 3 },
  {
    call: 'where(cond) gives coordinates',
    build: () =>
      tf.where([
        [true, false],
        [false, true],
      ]),
    want: [
      [0, 0],
      [1, 1],
    ],
  },
  { call: 'x[:, 1]', build: () => t23().at(':', 1), want: [2, 5] },
  {
    call: 'x[::-1, 1:]',
    build: () => t23().at('::-1', '1:'),
    want: [
      [5, 6],
      [2, 3],
    ],
  },
  { call: 'tf.shape(x)[0]', build: () => tf.shape(t23()).at(0), want: 2 },
  {
    call: 'w * x + b on tensors is a TypeError',
    build: () => ((tf.constant(2) as unknown as number) * 3) as never,
    throws: /tf\.add|\.add|multiply/,
  },
];

describe('literal TF1 calls give TF1 values', () => {
  test('the table has at least 60 rows', () => expect(rows.length).toBeGreaterThanOrEqual(60));

  test.each(rows.map((r) => [r.call, r] as const))('%s', (_call, row) => {
    const g = new tf.Graph();
    g.asDefault(() => {
      if (row.throws) {
        expect(() => row.build()).toThrow(row.throws);
        return;
      }
      const trainOp = row.train?.();
      const built = row.build();
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      for (let i = 0; i < (row.steps ?? 0); i++) sess.run(trainOp as tf.Operation);
      const list = Array.isArray(built) ? built : [built];
      const feeds = g.getOperations().some((o) => o.name === 'p') ? { 'p:0': 2 } : undefined;
      const got = sess.run(list, feeds).map((v) => (v === null ? null : v.toArray())) as Value[];
      const value = Array.isArray(built) ? got : got[0];
      if (row.check) row.check(got);
      if (row.want !== undefined) {
        if (row.close) expect(flat(value as Value)[0]).toBeCloseTo(flat(row.want)[0] as number, 6);
        else expect(value).toEqual(row.want);
      }
      sess.close();
    });
  });
});
