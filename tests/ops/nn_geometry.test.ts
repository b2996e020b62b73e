import * as tf from '../../src';
import { InvalidArgumentError } from '../../src/errors';
import {
  conv2dGeometry,
  depthwiseConv2dGeometry,
  outputShape,
  poolGeometry,
  windowAxis,
  WindowOp,
} from '../../src/ops/nn_geometry';

/**
 * The one geometry module of the 2-D window ops (src/ops/nn_geometry.ts) against TF1's documented
 * rule (tf.nn "Convolution": SAME out = ceil(in / stride), pad_along = max((out − 1)·stride + k − in,
 * 0), pad_top = pad_along // 2; VALID out = ceil((in − k + 1) / stride)), written out by hand or found
 * by brute force over window positions here, never by calling the module's own helpers.
 */
const conv = (strides: number[], padding: string, extra: Record<string, unknown> = {}): WindowOp => ({
  type: 'Conv2D',
  attrs: { strides, padding, ...extra },
});
const pool = (ksize: number[], strides: number[], padding: string, extra: Record<string, unknown> = {}) => ({
  type: 'MaxPool',
  attrs: { ksize, strides, padding, ...extra },
});
const depthwise = (strides: number[], padding: string, dilations?: number[]): WindowOp => ({
  type: 'DepthwiseConv2dNative',
  attrs: { strides, padding, ...(dilations ? { dilations } : {}) },
});

describe('one spatial axis (TF1 SAME / VALID)', () => {
  test.each([
    // [in, k, stride, dilation, padding, out, padBefore, padAfter]
    [5, 3, 2, 1, 'SAME', 3, 1, 1], // odd size: (3−1)·2 + 3 − 5 = 2 → 1 / 1
    [4, 3, 2, 1, 'SAME', 2, 0, 1], // even size: (2−1)·2 + 3 − 4 = 1 → the odd cell goes after
    [28, 5, 1, 1, 'SAME', 28, 2, 2],
    [28, 5, 2, 1, 'SAME', 14, 1, 2], // 13·2 + 5 − 28 = 3
    [7, 2, 3, 1, 'SAME', 3, 0, 1], // ceil(7/3) = 3: 2·3 + 2 − 7 = 1
    [7, 3, 1, 2, 'SAME', 7, 2, 2], // dilated extent (3−1)·2 + 1 = 5: 6 + 5 − 7 = 4
    [7, 3, 2, 2, 'SAME', 4, 2, 2], // ceil(7/2) = 4: 3·2 + 5 − 7 = 4
    [5, 3, 2, 1, 'VALID', 2, 0, 0], // ceil((5 − 3 + 1) / 2) = 2
    [6, 3, 2, 1, 'VALID', 2, 0, 0], // ceil(4 / 2) = 2
    [7, 3, 1, 2, 'VALID', 3, 0, 0], // extent 5: 7 − 5 + 1 = 3
    [28, 5, 1, 1, 'VALID', 24, 0, 0],
  ] as const)(
    'in %d k %d stride %d dilation %d %s → out %d, pad %d / %d',
    (n, k, s, d, padding, out, a, b) => {
      const want = { out, padBefore: a, padAfter: b };
      expect(bruteForce(n, k, s, d, padding)).toEqual(want); // the hand calculation, double-checked
      expect(windowAxis(n, k, s, d, padding)).toEqual(want);
    },
  );

  test('every small size agrees with a brute-force search over window positions', () => {
    for (let n = 1; n <= 12; n++)
      for (let k = 1; k <= 5; k++)
        for (let s = 1; s <= 4; s++)
          for (let d = 1; d <= 3; d++)
            for (const padding of ['SAME', 'VALID'] as const) {
              if (padding === 'VALID' && (k - 1) * d + 1 > n) continue;
              expect([n, k, s, d, padding, windowAxis(n, k, s, d, padding)]).toEqual([
                n,
                k,
                s,
                d,
                padding,
                bruteForce(n, k, s, d, padding),
              ]);
            }
  });

  test("VALID windows larger than the input fail with TF1's message", () => {
    expect(() => windowAxis(2, 3, 1, 1, 'VALID')).toThrow(
      'Negative dimension size caused by subtracting 3 from 2',
    );
    expect(() => windowAxis(4, 3, 1, 2, 'VALID')).toThrow(
      'Negative dimension size caused by subtracting 5 from 4',
    );
    expect(() => windowAxis(4, 3, 0, 1, 'SAME')).toThrow('Stride must be > 0, but got 0');
  });
});

/**
 * SAME: the output count is ceil(in / stride) (TF1's definition); the padding is the least total P ≥ 0
 * for which that many strided windows of extent e fit in in + P cells, split floor(P / 2) before. VALID:
 * the number of window starts p·stride with p·stride + e ≤ in, no padding.
 */
function bruteForce(n: number, k: number, s: number, d: number, padding: 'SAME' | 'VALID') {
  const e = (k - 1) * d + 1;
  if (padding === 'VALID') {
    let out = 0;
    while (out * s + e <= n) out++;
    return { out, padBefore: 0, padAfter: 0 };
  }
  let out = 0;
  while (out * s < n) out++;
  let total = 0;
  while ((out - 1) * s + e > n + total) total++;
  return { out, padBefore: Math.floor(total / 2), padAfter: total - Math.floor(total / 2) };
}

describe('full records', () => {
  test('Conv2D NHWC, SAME stride 2 on odd and even sizes', () => {
    const g = conv2dGeometry([2, 5, 4, 3], [3, 3, 3, 8], conv([1, 2, 2, 1], 'SAME'));
    expect(g).toEqual({
      dataFormat: 'NHWC',
      batch: 2,
      inH: 5,
      inW: 4,
      inC: 3,
      fH: 3,
      fW: 3,
      outH: 3,
      outW: 2,
      outC: 8,
      strideH: 2,
      strideW: 2,
      dilH: 1,
      dilW: 1,
      padTop: 1,
      padBottom: 1,
      padLeft: 0,
      padRight: 1,
    });
    expect(outputShape(g)).toEqual([2, 3, 2, 8]);
  });

  test('Conv2D VALID with unequal strides', () => {
    const g = conv2dGeometry([1, 9, 8, 2], [3, 2, 2, 5], conv([1, 2, 3, 1], 'VALID'));
    // rows: ceil((9 − 3 + 1) / 2) = 4; columns: ceil((8 − 2 + 1) / 3) = 3
    expect(outputShape(g)).toEqual([1, 4, 3, 5]);
    expect([g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([0, 0, 0, 0]);
  });

  test('NCHW layout: sizes and window attrs are read in NCHW order, the output shape is NCHW', () => {
    const g = poolGeometry([2, 3, 5, 4], pool([1, 1, 3, 3], [1, 1, 2, 2], 'SAME', { data_format: 'NCHW' }));
    expect([g.dataFormat, g.batch, g.inC, g.inH, g.inW]).toEqual(['NCHW', 2, 3, 5, 4]);
    expect([g.outH, g.outW, g.outC]).toEqual([3, 2, 3]);
    expect([g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([1, 1, 0, 1]);
    expect(outputShape(g)).toEqual([2, 3, 3, 2]);
    const c = conv2dGeometry(
      [1, 3, 7, 7],
      [3, 3, 3, 4],
      conv([1, 1, 2, 2], 'VALID', { data_format: 'NCHW' }),
    );
    expect(outputShape(c)).toEqual([1, 4, 3, 3]);
  });

  test('depthwise: dilation 2 SAME, channel multiplier', () => {
    const g = depthwiseConv2dGeometry(
      [1, 7, 6, 4],
      [3, 3, 4, 2],
      depthwise([1, 1, 1, 1], 'SAME', [1, 2, 2, 1]),
    );
    // extent (3 − 1)·2 + 1 = 5; pad rows (7 − 1) + 5 − 7 = 4 → 2/2, columns (6 − 1) + 5 − 6 = 4
    expect([g.outH, g.outW, g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([7, 6, 2, 2, 2, 2]);
    expect([g.dilH, g.dilW, g.mult, g.outC]).toEqual([2, 2, 2, 8]);
    const v = depthwiseConv2dGeometry(
      [1, 7, 6, 4],
      [3, 3, 4, 1],
      depthwise([1, 2, 2, 1], 'VALID', [1, 1, 1, 1]),
    );
    // ceil((7 − 3 + 1) / 2) = 3, ceil((6 − 3 + 1) / 2) = 2
    expect(outputShape(v)).toEqual([1, 3, 2, 4]);
  });

  test('pooling keeps the channels; ksize is the window', () => {
    const g = poolGeometry([4, 7, 5, 3], pool([1, 3, 2, 1], [1, 2, 2, 1], 'SAME'));
    // rows ceil(7/2) = 4, pad 3·2 + 3 − 7 = 2 → 1/1; columns ceil(5/2) = 3, 2·2 + 2 − 5 = 1 → 0/1
    expect([g.fH, g.fW, g.outH, g.outW, g.outC]).toEqual([3, 2, 4, 3, 3]);
    expect([g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([1, 1, 0, 1]);
  });

  test('static shapes: unknown sizes give unknown outputs; SAME needs no filter size', () => {
    const g = conv2dGeometry([null, 5, null, 3], [3, 3, 3, null], conv([1, 2, 2, 1], 'SAME'));
    expect(outputShape(g)).toEqual([null, 3, null, null]);
    expect([g.padTop, g.padLeft]).toEqual([1, null]);
    const u = conv2dGeometry([1, 5, 5, 3], [null, 3, 3, 4], conv([1, 1, 1, 1], 'SAME'));
    expect(outputShape(u)).toEqual([1, 5, 5, 4]);
    const v = conv2dGeometry([1, 5, 5, 3], [null, 3, 3, 4], conv([1, 1, 1, 1], 'VALID'));
    expect(outputShape(v)).toEqual([1, null, 3, 4]);
  });
});

describe("attr checks (TF1's messages, from this one place)", () => {
  const fails = (f: () => unknown, message: string) => expect(f).toThrow(message);
  test('strides, ksize, padding, dilations, depths', () => {
    fails(
      () => conv2dGeometry([1, 5, 5, 3], [3, 3, 3, 4], conv([1, 2, 2], 'SAME')),
      'Sliding window strides field must specify 4 dimensions',
    );
    fails(
      () => conv2dGeometry([1, 5, 5, 3], [3, 3, 3, 4], conv([2, 1, 1, 1], 'SAME')),
      'Current implementation does not yet support strides in the batch and depth dimensions.',
    );
    fails(
      () => poolGeometry([1, 5, 5, 3], pool([1, 2, 2, 2], [1, 1, 1, 1], 'SAME')),
      'Pooling is not yet supported on the batch or depth dimension.',
    );
    fails(
      () => conv2dGeometry([1, 5, 5, 3], [3, 3, 3, 4], conv([1, 1, 1, 1], 'FULL')),
      `Value for attr 'padding' of "FULL" is not in the list of allowed values: "SAME", "VALID"`,
    );
    fails(
      () =>
        conv2dGeometry([1, 5, 5, 3], [3, 3, 3, 4], conv([1, 1, 1, 1], 'SAME', { dilations: [1, 2, 2, 1] })),
      'Dilations other than 1 are not supported by Conv2D, got [1,2,2,1]',
    );
    fails(
      () => conv2dGeometry([1, 5, 5, 6], [3, 3, 4, 4], conv([1, 1, 1, 1], 'SAME')),
      'Depth of input (6) is not a multiple of input depth of filter (4)',
    );
    fails(
      () => depthwiseConv2dGeometry([1, 5, 5, 3], [3, 3, 3, 1], depthwise([1, 2, 1, 1], 'SAME')),
      'Current implementation only supports equal length strides in the row and column dimensions.',
    );
    fails(
      () =>
        depthwiseConv2dGeometry([1, 5, 5, 3], [3, 3, 3, 1], depthwise([1, 1, 1, 1], 'SAME', [1, 1, 1, 2])),
      'Current implementation does not yet support dilations in the batch and depth dimensions.',
    );
    fails(
      () => depthwiseConv2dGeometry([1, 5, 5, 3], [3, 3, 2, 1], depthwise([1, 1, 1, 1], 'SAME')),
      'Dimensions must be equal, but are 3 and 2',
    );
  });

  test("a shape function's fail gets the message; kernels get an InvalidArgumentError naming the op", () => {
    const seen: string[] = [];
    const op: WindowOp = {
      type: 'AvgPool',
      attrs: { ksize: [1, 3, 3, 1], strides: [1, 1, 1, 1], padding: 'VALID' },
      fail: (m) => {
        seen.push(m);
        throw new Error('stop');
      },
    };
    expect(() => poolGeometry([1, 2, 2, 1], op)).toThrow('stop');
    expect(seen).toEqual(['Negative dimension size caused by subtracting 3 from 2']);
    const kernelCtx = { op: { type: 'AvgPool' }, attrs: op.attrs };
    expect(() => poolGeometry([1, 2, 2, 1], kernelCtx)).toThrow(InvalidArgumentError);
    expect(() => poolGeometry([1, 2, 2, 1], kernelCtx)).toThrow(
      'AvgPool: Negative dimension size caused by subtracting 3 from 2',
    );
  });

  test('the ops report the same message with their name at build time', () => {
    new tf.Graph().asDefault(() => {
      const x = tf.placeholder('float32', [1, 2, 2, 1]);
      expect(() => tf.nn.maxPool(x, [1, 3, 3, 1], [1, 1, 1, 1], 'VALID', { name: 'pool' })).toThrow(
        /Negative dimension size caused by subtracting 3 from 2 for 'pool' \(op: 'MaxPool'\)/,
      );
      const y = tf.nn.conv2d(
        tf.placeholder('float32', [2, 5, 4, 3]),
        tf.zeros([3, 3, 3, 8]),
        [1, 2, 2, 1],
        'SAME',
      );
      expect(y.shape).toEqual([2, 3, 2, 8]);
    });
  });
});
