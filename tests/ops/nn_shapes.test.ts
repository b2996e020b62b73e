import * as tf from '../../src';
import { float64Session } from '../helpers/gradcheck';

/** Static shape inference of the window ops (TF1's SAME/VALID sizes) and TF1-worded errors. */
function built<T>(fn: () => T): T {
  return new tf.Graph().asDefault(fn);
}
const ph = (shape: (number | null)[] | undefined, dtype: tf.DType = 'float32') =>
  tf.placeholder(dtype, shape);

describe('output shapes', () => {
  test.each([
    // [input, filter, stride, padding, expected]
    [[null, 28, 28, 1], [5, 5, 1, 32], 1, 'SAME', [null, 28, 28, 32]],
    [[null, 14, 14, 32], [5, 5, 32, 64], 1, 'SAME', [null, 14, 14, 64]],
    [[null, 28, 28, 1], [5, 5, 1, 6], 1, 'VALID', [null, 24, 24, 6]],
    [[4, 28, 28, 1], [5, 5, 1, 6], 2, 'VALID', [4, 12, 12, 6]],
    [[2, 7, 5, 3], [3, 3, 3, 8], 2, 'SAME', [2, 4, 3, 8]],
    [[2, 7, 5, 3], [3, 3, 3, 8], 2, 'VALID', [2, 3, 2, 8]],
    [[null, null, null, 3], [3, 2, 3, 4], 2, 'SAME', [null, null, null, 4]],
  ] as const)('conv2d %j * %j stride %d %s → %j', (x, f, s, pad, expected) => {
    built(() => expect(tf.nn.conv2d(ph([...x]), ph([...f]), [1, s, s, 1], pad).shape).toEqual(expected));
  });

  test.each([
    [[null, 28, 28, 32], 2, 2, 'SAME', [null, 14, 14, 32]],
    [[null, 14, 14, 64], 2, 2, 'SAME', [null, 7, 7, 64]],
    [[null, 7, 7, 64], 2, 2, 'SAME', [null, 4, 4, 64]],
    [[null, 7, 7, 64], 2, 2, 'VALID', [null, 3, 3, 64]],
    [[2, 7, 5, 3], 3, 2, 'SAME', [2, 4, 3, 3]],
    [[2, 7, 5, 3], 3, 2, 'VALID', [2, 3, 2, 3]],
  ] as const)('pools %j window %d stride %d %s → %j', (x, k, s, pad, expected) => {
    built(() => {
      expect(tf.nn.maxPool(ph([...x]), [1, k, k, 1], [1, s, s, 1], pad).shape).toEqual(expected);
      expect(tf.nn.avgPool(ph([...x]), [k, k], s, pad).shape).toEqual(expected);
    });
  });

  test('unknown rank gives four dims; softmax, xent and bias keep what is known', () => {
    built(() => {
      expect(tf.nn.conv2d(ph(undefined), ph([3, 3, 2, 5]), 1, 'SAME').shape).toEqual([null, null, null, 5]);
      expect(tf.nn.softmax(ph([null, 10])).shape).toEqual([null, 10]);
      expect(tf.nn.biasAdd(ph([null, null]), ph([10])).shape).toEqual([null, 10]);
      const loss = tf.nn.softmaxCrossEntropyWithLogits({ labels: ph([null, 10]), logits: ph([null, 10]) });
      expect(loss.shape).toEqual([null]);
      expect(
        tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: ph([null], 'int32'), logits: ph([null, 10]) })
          .shape,
      ).toEqual([null]);
    });
  });

  test('gradients of a conv net with unknown batch keep the static shapes', () => {
    built(() => {
      const x = ph([null, 7, 5, 3]);
      const w = ph([3, 2, 3, 4]);
      const y = tf.nn.maxPool(tf.nn.relu(tf.nn.conv2d(x, w, 1, 'SAME')), 2, 2, 'SAME');
      const [dx, dw] = tf.gradients(y, [x, w]);
      expect(dx?.shape).toEqual([null, 7, 5, 3]);
      expect(dw?.shape).toEqual([3, 2, 3, 4]);
    });
  });
});

describe('TF1 SAME padding puts the odd padding cell after the input', () => {
  test('4x4 ramp, 3x3 ones, stride 2, SAME → [[45, 39], [66, 50]]', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.constant(
        tf.ndarray(
          Float32Array.from({ length: 16 }, (_v, i) => i),
          [1, 4, 4, 1],
        ),
      );
      const w = tf.constant(tf.ndarray(new Float32Array(9).fill(1), [3, 3, 1, 1]));
      const y = new tf.Session({ graph: g }).run(tf.nn.conv2d(x, w, [1, 2, 2, 1], 'SAME'));
      expect(Array.from(y.data)).toEqual([45, 39, 66, 50]);
      const p = new tf.Session({ graph: g }).run(tf.nn.avgPool(x, [1, 3, 3, 1], [1, 2, 2, 1], 'SAME'));
      expect(Array.from(p.data)).toEqual([5, 6.5, 11, 12.5]);
    });
  });
});

describe('build-time errors (TF1 wording, op named)', () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      'channel mismatch',
      () => tf.nn.conv2d(ph([1, 4, 4, 3]), ph([2, 2, 2, 4]), 1, 'SAME', 'conv1'),
      /Depth of input \(3\) is not a multiple of input depth of filter \(2\) for 'conv1' \(op: 'Conv2D'\) with input shapes: \[1,4,4,3\], \[2,2,2,4\]/,
    ],
    [
      'input rank',
      () => tf.nn.conv2d(ph([4, 4, 3]), ph([2, 2, 3, 4]), 1, 'SAME'),
      /Shape must be rank 4 but is rank 3 for 'Conv2D'/,
    ],
    [
      'batch stride',
      () => tf.nn.conv2d(ph([1, 4, 4, 3]), ph([2, 2, 3, 4]), [2, 1, 1, 1], 'SAME'),
      /does not yet support strides in the batch and depth dimensions/,
    ],
    [
      'padding value',
      () => tf.nn.conv2d(ph([1, 4, 4, 3]), ph([2, 2, 3, 4]), 1, 'FULL' as 'SAME'),
      /conv2d\(\): argument 'padding' must be 'SAME' or 'VALID', got 'FULL'/,
    ],
    [
      'VALID window too big',
      () => tf.nn.conv2d(ph([1, 3, 4, 3]), ph([5, 2, 3, 4]), 1, 'VALID'),
      /Negative dimension size caused by subtracting 5 from 3/,
    ],
    [
      'dilations',
      () => tf.nn.conv2d(ph([1, 4, 4, 3]), ph([2, 2, 3, 4]), 1, 'SAME', { dilations: [1, 2, 2, 1] }),
      /Dilations other than 1/,
    ],
    [
      'int input',
      () => tf.nn.conv2d(ph([1, 4, 4, 3], 'int32'), ph([2, 2, 3, 4], 'int32'), 1, 'SAME'),
      /attr 'T' of int32/,
    ],
    [
      'pool over batch',
      () => tf.nn.maxPool(ph([1, 4, 4, 3]), [2, 2, 2, 1], 1, 'SAME'),
      /Pooling is not yet supported on the batch/,
    ],
    [
      'pool VALID too big',
      () => tf.nn.avgPool(ph([1, 2, 4, 3]), 3, 1, 'VALID'),
      /Negative dimension size caused by subtracting 3 from 2 for 'AvgPool'/,
    ],
    [
      'bias length',
      () => tf.nn.biasAdd(ph([2, 3]), ph([4])),
      /Dimensions must be equal, but are 3 and 4 for 'BiasAdd'/,
    ],
    ['bias rank', () => tf.nn.biasAdd(ph([2, 3]), ph([1, 3])), /Shape must be rank 1 but is rank 2/],
    ['value rank', () => tf.nn.biasAdd(ph([3]), ph([3])), /Shape must be at least rank 2 but is rank 1/],
    [
      'xent shapes',
      () => tf.nn.softmaxCrossEntropyWithLogits({ labels: ph([2, 4]), logits: ph([2, 3]) }),
      /logits and labels must be same size: logits_size=\[2,3\] labels_size=\[2,4\]/,
    ],
    [
      'sparse labels shape',
      () => tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: ph([4], 'int32'), logits: ph([2, 3]) }),
      /logits and labels must have the same first dimension/,
    ],
    [
      'sigmoid xent shapes',
      () => tf.nn.sigmoidCrossEntropyWithLogits({ labels: ph([2, 1]), logits: ph([2, 3]) }),
      /logits and labels must have the same shape \(\[2,3\] vs \[2,1\]\)/,
    ],
    ['softmax of a scalar', () => tf.nn.softmax(ph([])), /Shape must be at least rank 1 but is rank 0/],
    [
      'keepProb range',
      () => tf.nn.dropout(ph([2, 3]), 1.5),
      /keep_prob must be a scalar tensor or a float in the range \(0, 1\], got 1.5/,
    ],
    ['keepProb rank', () => tf.nn.dropout(ph([2, 3]), ph([1])), /Shape must be rank 0 but is rank 1/],
  ];
  test.each(cases)('%s', (_label, build, message) => {
    built(() => expect(build).toThrow(message));
  });
});

describe('run-time checks', () => {
  test('a channel mismatch hidden by unknown dims fails when run, naming the node', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = ph([null, null, null, null]);
      const w = ph([2, 2, 3, 4]);
      const y = tf.nn.conv2d(x, w, 1, 'SAME', 'conv');
      const feeds = new Map<tf.Tensor, tf.NDArray>([
        [x, tf.ndarray(new Float32Array(32), [1, 4, 4, 2])],
        [w, tf.ndarray(new Float32Array(48), [2, 2, 3, 4])],
      ]);
      expect(() => new tf.Session({ graph: g }).run(y, feeds)).toThrow(
        /Depth of input \(2\) is not a multiple of input depth of filter \(3\)[\s\S]*node conv/,
      );
    });
  });

  test('sparse labels outside [0, classes) are an InvalidArgumentError', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const labels = ph([3], 'int32');
      const logits = tf.constant([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ]);
      const loss = tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels, logits });
      const sess = new tf.Session({ graph: g });
      const run = (v: number[]) =>
        sess.run(loss, new Map([[labels, tf.ndarray(Int32Array.from(v), [3], 'int32')]]));
      expect(() => run([0, 3, 1])).toThrow(tf.InvalidArgumentError);
      expect(() => run([0, 3, 1])).toThrow(
        /Received a label value of 3 which is outside the valid range of \[0, 3\)\. {2}Label values: 0 3 1/,
      );
      expect(() => run([-1, 0, 1])).toThrow(/label value of -1/);
      expect(run([2, 0, 1]).shape).toEqual([3]);
    });
  });

  test('backprop-input sizes may be an int32 tensor known only at run time, or a tensor whose shape is used', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const sizes = ph([4], 'int32');
      const w = tf.constant(
        tf.ndarray(
          Float32Array.from({ length: 24 }, (_v, i) => i / 24),
          [2, 2, 3, 2],
        ),
      );
      const dy = tf.constant(
        tf.ndarray(
          Float32Array.from({ length: 24 }, (_v, i) => Math.sin(i)),
          [2, 2, 3, 2],
        ),
      );
      const a = tf.nn.conv2dBackpropInput(sizes, w, dy, [1, 2, 2, 1], 'SAME');
      expect(a.shape).toEqual([2, null, null, 3]);
      const like = ph([null, 4, 5, 3]);
      const b = tf.nn.conv2dBackpropInput(like, w, dy, [1, 2, 2, 1], 'SAME');
      expect(b.shape).toEqual([2, 4, 5, 3]);
      const c = tf.nn.conv2dBackpropInput([2, 4, 5, 3], w, dy, [1, 2, 2, 1], 'SAME');
      const sess = float64Session(g);
      const [va, vb, vc] = sess.run(
        [a, b, c],
        new Map<tf.Tensor, tf.NDArray>([
          [sizes, tf.ndarray(Int32Array.from([2, 4, 5, 3]), [4], 'int32')],
          [like, tf.ndarray(new Float32Array(120), [2, 4, 5, 3])],
        ]),
      );
      expect(va.shape).toEqual([2, 4, 5, 3]);
      expect(Array.from(va.data)).toEqual(Array.from(vc.data));
      expect(Array.from(vb.data)).toEqual(Array.from(vc.data));
      // 3 rows also pool to 2 with stride 2 SAME; 6 rows do not.
      const bad = () =>
        sess.run(a, new Map([[sizes, tf.ndarray(Int32Array.from([2, 6, 5, 3]), [4], 'int32')]]));
      expect(bad).toThrow(/Size of out_backprop doesn't match computed: actual = 2, computed = 3/);
    });
  });
});
