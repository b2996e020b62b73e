// tf.nn.conv2dTranspose (TF1 nn_ops.conv2d_transpose) and tf.layers.conv2dTranspose / Conv2DTranspose
// (TF1 tf.layers.conv2d_transpose, Keras' Conv2DTranspose): values against a plain-JS scatter-form
// transposed convolution, gradients numerically, static shapes, names, variables and TF1's errors.
import * as tf from '../../src';
import { NDArray } from '../../src/ndarray';
import { checkGradient, randomArray } from '../helpers/gradcheck';

/**
 * Transposed conv by scattering: every input pixel adds x · W[:, :, :, ci] into the output window it
 * came from under the forward conv (TF1 SAME padding: pad_total = max((in−1)·s + k − out, 0), top half
 * floor).
 */
function refConvTranspose(x: NDArray, w: NDArray, out: number[], stride: number, padding: 'SAME' | 'VALID') {
  const [n, h, wd, ci] = x.shape as [number, number, number, number];
  const [kh, kw, co] = w.shape as [number, number, number, number];
  const [, oh, ow] = out as [number, number, number, number];
  const padTop = padding === 'VALID' ? 0 : Math.floor(Math.max((h - 1) * stride + kh - oh, 0) / 2);
  const padLeft = padding === 'VALID' ? 0 : Math.floor(Math.max((wd - 1) * stride + kw - ow, 0) / 2);
  const y = new Float64Array(n * oh * ow * co);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < wd; j++)
        for (let c = 0; c < ci; c++) {
          const xv = x.data[((b * h + i) * wd + j) * ci + c] as number;
          for (let p = 0; p < kh; p++)
            for (let q = 0; q < kw; q++) {
              const oy = i * stride + p - padTop;
              const ox = j * stride + q - padLeft;
              if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
              for (let d = 0; d < co; d++) {
                const at = ((b * oh + oy) * ow + ox) * co + d;
                y[at] = (y[at] as number) + xv * (w.data[((p * kw + q) * co + d) * ci + c] as number);
              }
            }
        }
  return y;
}

const cases: [string, number[], number[], number[], number, 'SAME' | 'VALID'][] = [
  // name, input, filter [kh, kw, out, in], output shape, stride, padding
  ['VALID k4 s2 (DCGAN 6→14)', [2, 3, 3, 3], [4, 4, 2, 3], [2, 8, 8, 2], 2, 'VALID'],
  ['VALID k2 s2 (DCGAN 14→28)', [1, 3, 2, 2], [2, 2, 1, 2], [1, 6, 4, 1], 2, 'VALID'],
  ['SAME k3 s2', [2, 3, 4, 2], [3, 3, 3, 2], [2, 6, 8, 3], 2, 'SAME'],
  ['SAME k3 s2, odd output', [1, 3, 3, 1], [3, 3, 2, 1], [1, 5, 5, 2], 2, 'SAME'],
  ['SAME k3 s1', [1, 4, 4, 2], [3, 3, 2, 2], [1, 4, 4, 2], 1, 'SAME'],
];

describe('tf.nn.conv2dTranspose', () => {
  test.each(cases)('%s equals the scatter-form reference', (_name, xs, ws, out, s, padding) => {
    const x = randomArray(xs, 3);
    const w = randomArray(ws, 4);
    new tf.Graph().asDefault(() => {
      const y = tf.nn.conv2dTranspose(tf.constant(x), tf.constant(w), out, [1, s, s, 1], padding);
      expect(y.shape).toEqual(out);
      const got = new tf.Session().run(y);
      const ref = refConvTranspose(x, w, out, s, padding);
      expect(got.shape).toEqual(out);
      got.data.forEach((v, i) => expect(v).toBeCloseTo(ref[i] as number, 4));
    });
  });

  test('gradients with respect to value and filter match numeric differences', () => {
    for (const [, xs, ws, out, s, padding] of cases.slice(0, 3)) {
      checkGradient(
        (x, w) => tf.nn.conv2dTranspose(x as tf.Tensor, w as tf.Tensor, out, s, padding),
        [randomArray(xs, 5), randomArray(ws, 6)],
      );
    }
  });

  test("TF1 call forms, the op name 'conv2d_transpose' and a stacked output shape with a run-time batch", () => {
    new tf.Graph().asDefault(() => {
      const x = tf.placeholder('float32', [null, 6, 6, 4]);
      const W = tf.ones([4, 4, 2, 4]);
      const outShape = tf.stack([tf.shape(x).at(0), 14, 14, 2]);
      const y = tf.nn.conv2dTranspose(x, W, outShape, { strides: [1, 2, 2, 1], padding: 'VALID' });
      expect(y.op.type).toBe('Conv2DBackpropInput');
      expect(y.op.name).toBe('conv2d_transpose');
      expect(y.shape).toEqual([null, 14, 14, 2]); // TF1 reads the stacked sizes at build time
      const y2 = tf.nn.conv2dTranspose({
        input: x,
        filters: W,
        outputShape: outShape,
        strides: 2,
        padding: 'VALID',
      });
      expect(y2.op.name).toBe('conv2d_transpose_1');
      expect(tf.nn.conv2dTranspose(x, W, [3, 12, 12, 2], 2, 'SAME', 'NHWC', 'up').op.name).toBe('up');
      // padding defaults to 'SAME'
      expect(tf.nn.conv2dTranspose(x, W, [3, 12, 12, 2], 2).shape).toEqual([3, 12, 12, 2]);
      const v = new tf.Session().run(
        y,
        new Map([[x, tf.ndarray(new Float32Array(5 * 144).fill(1), [5, 6, 6, 4])]]),
      );
      expect(v.shape).toEqual([5, 14, 14, 2]);
      expect(v.get(0, 0, 0, 0)).toBe(4); // one input pixel, four input channels of ones
    });
  });

  test("TF1's errors: channel mismatches, output_shape length, padding, NCHW", () => {
    new tf.Graph().asDefault(() => {
      const x = tf.placeholder('float32', [null, 6, 6, 4]);
      expect(() => tf.nn.conv2dTranspose(x, tf.ones([4, 4, 2, 3]), [1, 14, 14, 2], 2, 'VALID')).toThrow(
        "input channels does not match filter's input channels, 4 != 3",
      );
      expect(() => tf.nn.conv2dTranspose(x, tf.ones([4, 4, 2, 4]), [1, 14, 14, 5], 2, 'VALID')).toThrow(
        "output_shape does not match filter's output channels, 5 != 2",
      );
      expect(() => tf.nn.conv2dTranspose(x, tf.ones([4, 4, 2, 4]), [14, 14, 2], 2, 'VALID')).toThrow(
        'output_shape must have shape (4,), got (3)',
      );
      expect(() =>
        tf.nn.conv2dTranspose(x, tf.ones([4, 4, 2, 4]), [1, 14, 14, 2], 2, 'same' as 'SAME'),
      ).toThrow(TypeError);
      expect(() =>
        tf.nn.conv2dTranspose(x, tf.ones([4, 4, 2, 4]), [1, 14, 14, 2], 2, 'VALID', 'NCHW'),
      ).toThrow(/data_format 'NCHW' is not implemented/);
      // An output size the forward conv cannot map back onto the input is a shape error.
      expect(() => tf.nn.conv2dTranspose(x, tf.ones([4, 4, 2, 4]), [1, 20, 20, 2], 2, 'VALID')).toThrow(
        /Conv2D/,
      );
    });
  });
});

describe('tf.layers.conv2dTranspose', () => {
  test("the DCGAN generator's layers: TF1 variable names, kernel [kh, kw, filters, in], Keras output sizes", () => {
    new tf.Graph().asDefault(() => {
      const noise = tf.placeholder('float32', [null, 6, 6, 8]);
      const [a, b] = tf.variableScope('Generator', () => {
        const a = tf.layers.conv2dTranspose(noise, 4, 4, { strides: 2 });
        const b = tf.layers.conv2dTranspose(a, 1, 2, { strides: 2 });
        return [a, b];
      });
      expect(a.shape).toEqual([null, 14, 14, 4]); // 6·2 + max(4 − 2, 0)
      expect(b.shape).toEqual([null, 28, 28, 1]);
      const vars = tf.trainableVariables().map((v) => [v.name, v.shape]);
      expect(vars).toEqual([
        ['Generator/conv2d_transpose/kernel:0', [4, 4, 4, 8]],
        ['Generator/conv2d_transpose/bias:0', [4]],
        ['Generator/conv2d_transpose_1/kernel:0', [2, 2, 1, 4]],
        ['Generator/conv2d_transpose_1/bias:0', [1]],
      ]);
      const same = tf.layers.conv2dTranspose(noise, 3, [3, 3], [2, 2], 'same', { name: 'up' });
      expect(same.shape).toEqual([null, 12, 12, 3]);
      expect(tf.trainableVariables().at(-2)?.name).toBe('up/kernel:0');
    });
  });

  test('computes conv2d_transpose(x, kernel) + bias with its own variables, also for unknown spatial sizes', () => {
    new tf.Graph().asDefault(() => {
      const x = tf.placeholder('float32', [null, null, null, 2]);
      const y = tf.layers.conv2dTranspose(x, 3, 3, 2, 'valid', {
        activation: tf.nn.relu,
        biasInitializer: tf.constantInitializer(0.25),
      });
      expect(y.shape).toEqual([null, null, null, 3]);
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      const [kernelVar] = tf.trainableVariables();
      const xv = randomArray([2, 3, 4, 2], 9);
      const got = sess.run(y, new Map([[x, xv]]));
      expect(got.shape).toEqual([2, 7, 9, 3]); // 3·2 + 1, 4·2 + 1
      const k = sess.run(kernelVar as tf.Variable);
      const ref = refConvTranspose(xv, k, [2, 7, 9, 3], 2, 'VALID');
      got.data.forEach((v, i) => expect(v).toBeCloseTo(Math.max(0, (ref[i] as number) + 0.25), 4));
    });
  });

  test('reuse through variableScope and the Conv2DTranspose class share the variables', () => {
    new tf.Graph().asDefault(() => {
      const x = tf.placeholder('float32', [null, 4, 4, 2]);
      const gen = (reuse: boolean) =>
        tf.variableScope('G', { reuse }, () => tf.layers.conv2dTranspose(x, 3, 2, { strides: 2 }));
      gen(false);
      gen(true);
      expect(tf.trainableVariables().map((v) => v.name)).toEqual([
        'G/conv2d_transpose/kernel:0',
        'G/conv2d_transpose/bias:0',
      ]);
      const layer = new tf.layers.Conv2DTranspose(5, 3, { strides: 2, padding: 'same', useBias: false });
      expect(layer.apply(x).shape).toEqual([null, 8, 8, 5]);
      layer.apply(x);
      expect(layer.variables.map((v) => v.name)).toEqual(['conv2d_transpose/kernel:0']);
      expect(layer.kernel?.shape).toEqual([3, 3, 5, 2]);
      expect(() => tf.layers.conv2dTranspose(x, 3, 2, { dataFormat: 'channels_first' })).toThrow(
        /channels_last/,
      );
    });
  });
});
