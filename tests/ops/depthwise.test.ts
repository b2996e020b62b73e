import * as tf from '../../src';
import { NDArray } from '../../src';
import { describeCases, expectClose } from '../helpers/cases';
import { checkGradient, float64Session, randomArray } from '../helpers/gradcheck';
import { depthwiseCases, refDepthwise } from './cases/depthwise';

describeCases('depthwise convolution ops', depthwiseCases);

const run = (t: tf.Tensor, feeds?: Map<tf.Tensor, NDArray>): NDArray => new tf.Session().run(t, feeds);

describe('depthwise convolution: TF documentation numbers', () => {
  // TF's tf.nn.depthwise_conv2d docstring: x = [[1,2],[3,4],[5,6]] as (1,3,2,1), kernel [[1,2],[3,4]] as (2,1,1,2).
  const x = [
    [
      [[1], [2]],
      [[3], [4]],
      [[5], [6]],
    ],
  ];
  const k = [[[[1, 2]]], [[[3, 4]]]];

  test('VALID gives the docstring array', () => {
    tf.resetDefaultGraph();
    const y = tf.nn.depthwiseConv2d(x, k, [1, 1, 1, 1], 'VALID');
    expect(y.shape).toEqual([1, 2, 2, 2]);
    expect(run(y).toArray()).toEqual([
      [
        [
          [10, 14],
          [14, 20],
        ],
        [
          [18, 26],
          [22, 32],
        ],
      ],
    ]);
  });

  test('SAME pads the extra row after (hand-worked: last row is x·kernel[0] only)', () => {
    tf.resetDefaultGraph();
    const y = tf.nn.depthwiseConv2dNative(x, k, [1, 1, 1, 1], 'SAME');
    expect(run(y).toArray()).toEqual([
      [
        [
          [10, 14],
          [14, 20],
        ],
        [
          [18, 26],
          [22, 32],
        ],
        [
          [5, 10],
          [6, 12],
        ],
      ],
    ]);
  });

  test('channel order: output channel k·M + q is input channel k with filter[:, :, k, q]', () => {
    tf.resetDefaultGraph();
    // 1x1 filter on 2 channels with multiplier 3: out[..., 3k + q] = x[..., k] * f[0,0,k,q].
    const xs = [[[[1, 10]]]];
    const f = [
      [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ],
    ];
    expect(run(tf.nn.depthwiseConv2dNative(xs, f, 1, 'VALID')).toArray()).toEqual([
      [[[1, 2, 3, 40, 50, 60]]],
    ]);
  });
});

describe('depthwise convolution equals per-channel conv2d (block-diagonal filter)', () => {
  test.each([
    [[3, 3, 4, 1], 1, 'SAME'],
    [[3, 3, 4, 2], 2, 'SAME'],
    [[5, 5, 4, 3], 2, 'VALID'],
  ] as [number[], number, 'SAME' | 'VALID'][])('filter %j stride %d %s', (fShape, s, pad) => {
    const xv = randomArray([2, 11, 9, 4], 71);
    const fv = randomArray(fShape, 72);
    const [KH, KW, C, M] = fShape as [number, number, number, number];
    // Conv2D filter [KH, KW, C, C·M]: zero except [kh, kw, k, k·M + q] = f[kh, kw, k, q].
    const big = new Float64Array(KH * KW * C * C * M);
    for (let t = 0; t < KH * KW; t++)
      for (let k = 0; k < C; k++)
        for (let q = 0; q < M; q++)
          big[(t * C + k) * C * M + k * M + q] = fv.data[(t * C + k) * M + q] as number;
    const g = new tf.Graph();
    g.asDefault(() => {
      const dw = tf.nn.depthwiseConv2d(tf.constant(xv), tf.constant(fv), [1, s, s, 1], pad);
      const conv = tf.nn.conv2d(
        tf.constant(xv),
        tf.constant(new NDArray(big, [KH, KW, C, C * M], 'float32')),
        [1, s, s, 1],
        pad,
      );
      const [a, b] = float64Session(g).run([dw, conv]);
      expectClose(a as NDArray, b as NDArray, 1e-12, 'depthwise vs conv2d');
      const [a32] = new tf.Session({ graph: g }).run([dw]);
      expectClose(a32 as NDArray, b as NDArray, 1e-5, 'float32 depthwise vs float64 conv2d');
    });
  });
});

describe('depthwise convolution: larger images (interior fast path and borders)', () => {
  test('32x29 image, 24 channels, 5x5 filter, stride 2 SAME, and 3x3 dilation 3', () => {
    const xv = randomArray([1, 32, 29, 24], 81);
    const f5 = randomArray([5, 5, 24, 1], 82);
    const f3 = randomArray([3, 3, 24, 2], 83);
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.constant(xv);
      const a = tf.nn.depthwiseConv2dNative(x, tf.constant(f5), [1, 2, 2, 1], 'SAME');
      const b = tf.nn.depthwiseConv2dNative(x, tf.constant(f3), 1, 'SAME', 'NHWC', [1, 3, 3, 1]);
      const [ra, rb] = new tf.Session({ graph: g }).run([a, b]);
      expectClose(ra as NDArray, refDepthwise(xv, f5, 2, [1, 1], 'SAME'), 1e-5, '5x5');
      expectClose(rb as NDArray, refDepthwise(xv, f3, 1, [3, 3], 'SAME'), 1e-5, 'dilated');
    });
  });
});

describe('depthwise convolution: second derivatives (TF registers gradients of both backprop ops)', () => {
  const sq = (t: tf.Tensor): tf.Tensor => tf.reduceSum(tf.square(t));
  const grad = (y: tf.Tensor, x: tf.Tensor): tf.Tensor => tf.gradients(y, x)[0] as tf.Tensor;
  const x = randomArray([2, 6, 5, 3], 91);
  const w = randomArray([3, 2, 3, 2], 92);
  test.each(['SAME', 'VALID'] as const)('%s stride 2: d/dx, d/dw of ∂Σy²/∂x and ∂Σy²/∂w', (pad) => {
    const dw = (a: tf.Tensor, b: tf.Tensor) => tf.nn.depthwiseConv2dNative(a, b, [1, 2, 2, 1], pad);
    checkGradient((a, b) => grad(sq(dw(a, b)), a), [x, w]);
    checkGradient((a, b) => grad(sq(dw(a, b)), b), [x, w]);
  });
  test('dilation 2 SAME', () => {
    const dw = (a: tf.Tensor, b: tf.Tensor) =>
      tf.nn.depthwiseConv2dNative(a, b, 1, 'SAME', { dilations: [1, 2, 2, 1] });
    checkGradient((a, b) => grad(sq(dw(a, b)), a), [x, w]);
    checkGradient((a, b) => grad(sq(dw(a, b)), b), [x, w]);
  });
});

describe('depthwise convolution: static shapes', () => {
  beforeEach(() => tf.resetDefaultGraph());
  test('unknown batch and spatial dims', () => {
    const x = tf.placeholder(tf.float32, [null, null, 20, 8]);
    const f = tf.placeholder(tf.float32, [3, 3, 8, 2]);
    expect(tf.nn.depthwiseConv2dNative(x, f, [1, 2, 2, 1], 'SAME').shape).toEqual([null, null, 10, 16]);
    expect(tf.nn.depthwiseConv2d(x, f, [1, 1, 1, 1], 'VALID', [2, 2]).shape).toEqual([null, null, 16, 16]);
  });
  test('unknown input depth takes the filter depth; unknown multiplier gives unknown channels', () => {
    const x = tf.placeholder(tf.float32, [1, 8, 8, null]);
    expect(tf.nn.depthwiseConv2dNative(x, tf.placeholder(tf.float32, [3, 3, 5, 2]), 1, 'SAME').shape).toEqual(
      [1, 8, 8, 10],
    );
    const y = tf.nn.depthwiseConv2dNative(x, tf.placeholder(tf.float32, [3, 3, null, null]), 1, 'VALID');
    expect(y.shape).toEqual([1, 6, 6, null]);
  });
  test('unknown rank', () => {
    const x = tf.placeholder(tf.float32);
    expect(tf.nn.depthwiseConv2dNative(x, tf.placeholder(tf.float32, [3, 3, 4, 1]), 1, 'SAME').shape).toEqual(
      [null, null, null, 4],
    );
  });
  test('backprop filter infers the multiplier from out_backprop', () => {
    const x = tf.placeholder(tf.float32, [2, 7, 5, 3]);
    const dy = tf.placeholder(tf.float32, [2, 7, 5, 6]);
    const sizes = tf.placeholder(tf.int32, [4]);
    expect(tf.nn.depthwiseConv2dNativeBackpropFilter(x, sizes, dy, 1, 'SAME').shape).toEqual([
      null,
      null,
      3,
      2,
    ]);
  });
});

describe('depthwise convolution: op names', () => {
  beforeEach(() => tf.resetDefaultGraph());
  test("TF1's names: depthwise, depthwise_1, separable_conv2d/depthwise + separable_conv2d", () => {
    const x = tf.placeholder(tf.float32, [1, 5, 5, 2]);
    const f = tf.zeros([3, 3, 2, 1]);
    expect(tf.nn.depthwiseConv2d(x, f, 1, 'SAME').op.name).toBe('depthwise');
    expect(tf.nn.depthwiseConv2d(x, f, 1, 'SAME').op.type).toBe('DepthwiseConv2dNative');
    expect(tf.nn.depthwiseConv2d(x, f, 1, 'SAME').op.name).toBe('depthwise_2');
    expect(tf.nn.depthwiseConv2d(x, f, 1, 'SAME', null, 'dw').op.name).toBe('dw');
    const s = tf.nn.separableConv2d(x, f, tf.zeros([1, 1, 2, 4]), 1, 'SAME');
    expect(s.op.name).toBe('separable_conv2d');
    expect(s.op.type).toBe('Conv2D');
    expect((s.op.inputs[0] as tf.Tensor).op.name).toBe('separable_conv2d/depthwise');
    expect(tf.nn.depthwiseConv2dNative(x, f, 1, 'SAME').op.name).toBe('DepthwiseConv2dNative');
  });
});

describe('depthwise convolution: errors', () => {
  beforeEach(() => tf.resetDefaultGraph());
  const x = () => tf.placeholder(tf.float32, [1, 8, 8, 3]);
  const f = () => tf.placeholder(tf.float32, [3, 3, 3, 2]);

  test('channel mismatch (TF shape function wording)', () => {
    expect(() =>
      tf.nn.depthwiseConv2dNative(x(), tf.placeholder(tf.float32, [3, 3, 4, 1]), 1, 'SAME'),
    ).toThrow(/Dimensions must be equal, but are 3 and 4.*DepthwiseConv2dNative/);
  });
  test('bad ranks', () => {
    expect(() => tf.nn.depthwiseConv2dNative(tf.placeholder(tf.float32, [8, 8, 3]), f(), 1, 'SAME')).toThrow(
      /Shape must be rank 4 but is rank 3/,
    );
    expect(() => tf.nn.depthwiseConv2dNative(x(), tf.placeholder(tf.float32, [3, 3, 3]), 1, 'SAME')).toThrow(
      /Shape must be rank 4 but is rank 3/,
    );
  });
  test('unequal strides are rejected as TF does', () => {
    expect(() => tf.nn.depthwiseConv2dNative(x(), f(), [1, 2, 1, 1], 'SAME')).toThrow(
      /only supports equal length strides in the row and column dimensions/,
    );
  });
  test('strides / dilations on batch or depth', () => {
    expect(() => tf.nn.depthwiseConv2dNative(x(), f(), [2, 1, 1, 1], 'SAME')).toThrow(
      /does not yet support strides in the batch and depth dimensions/,
    );
    expect(() => tf.nn.depthwiseConv2dNative(x(), f(), 1, 'SAME', 'NHWC', [1, 1, 1, 2])).toThrow(
      /does not yet support dilations in the batch and depth dimensions/,
    );
  });
  test("padding 'EXPLICIT' and other values are rejected, naming the value", () => {
    expect(() => tf.nn.depthwiseConv2dNative(x(), f(), 1, 'EXPLICIT' as 'SAME')).toThrow(/'EXPLICIT'/);
    expect(() => tf.nn.depthwiseConv2d(x(), f(), 1, 'same' as 'SAME')).toThrow(/padding.*'same'/);
  });
  test('VALID window larger than the input', () => {
    expect(() =>
      tf.nn.depthwiseConv2dNative(tf.placeholder(tf.float32, [1, 2, 8, 3]), f(), 1, 'VALID'),
    ).toThrow(/Negative dimension size caused by subtracting 3 from 2/);
    // Dilation widens the window: 3 taps at rate 4 span 9 rows.
    expect(() => tf.nn.depthwiseConv2d(x(), f(), 1, 'VALID', [4, 4])).toThrow(
      /Negative dimension size caused by subtracting 9 from 8/,
    );
  });
  test("rate and dilations together: TF1's error", () => {
    expect(() => tf.nn.depthwiseConv2d(x(), f(), 1, 'SAME', [2, 2], { dilations: [2, 2] })).toThrow(
      "Cannot specify both 'rate' and 'dilations'",
    );
    expect(() =>
      tf.nn.separableConv2d(x(), f(), tf.zeros([1, 1, 6, 2]), 1, 'SAME', 2, { dilations: 2 }),
    ).toThrow("Cannot specify both 'rate' and 'dilations'");
  });
  test('rate > 1 with strides > 1 (TF1 documents strides must then be 1)', () => {
    expect(() => tf.nn.depthwiseConv2d(x(), f(), [1, 2, 2, 1], 'SAME', [2, 2])).toThrow(
      /strides > 1 not supported in conjunction with dilation_rate > 1/,
    );
  });
  test('int32 input is rejected', () => {
    expect(() =>
      tf.nn.depthwiseConv2dNative(
        tf.placeholder(tf.int32, [1, 8, 8, 3]),
        tf.placeholder(tf.int32, [3, 3, 3, 1]),
        1,
        'SAME',
      ),
    ).toThrow(/Value for attr 'T' of int32 is not in the list of allowed values/);
  });
  test('backprop builders: NCHW is not implemented; wrong out_backprop size', () => {
    expect(() =>
      tf.nn.depthwiseConv2dNativeBackpropInput(
        [1, 3, 8, 8],
        f(),
        tf.placeholder(tf.float32, [1, 6, 8, 8]),
        1,
        'SAME',
        'NCHW',
      ),
    ).toThrow(/data_format 'NCHW' is not implemented/);
    expect(() =>
      tf.nn.depthwiseConv2dNativeBackpropInput(
        [1, 8, 8, 3],
        f(),
        tf.placeholder(tf.float32, [1, 8, 8, 5]),
        1,
        'SAME',
      ),
    ).toThrow(/Size of out_backprop doesn't match computed: actual = 5, computed = 6/);
  });
  test('separableConv2d: pointwise filter must be 1x1', () => {
    expect(() => tf.nn.separableConv2d(x(), f(), tf.zeros([3, 1, 6, 2]), 1, 'SAME')).toThrow(
      /Dimensions 3 and 1 are not compatible/,
    );
  });
  test('unknown keyword and wrong types are TypeErrors', () => {
    expect(() => tf.nn.depthwiseConv2d(x(), f(), 1, 'SAME', { useCudnnOnGpu: true } as never)).toThrow(
      TypeError,
    );
    expect(() => tf.nn.depthwiseConv2d(x(), f(), 1, 'SAME', [1, 2, 2, 1])).toThrow(TypeError);
  });
  test('channel mismatch at run time (shapes unknown when built)', () => {
    const xp = tf.placeholder(tf.float32);
    const y = tf.nn.depthwiseConv2dNative(xp, tf.ones([3, 3, 4, 1]), 1, 'SAME');
    expect(() => run(y, new Map([[xp, tf.ndarray(new Float32Array(2 * 2 * 3), [1, 2, 2, 3])]]))).toThrow(
      /Dimensions must be equal, but are 3 and 4/,
    );
  });
});
