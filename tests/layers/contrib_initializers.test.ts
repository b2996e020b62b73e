// tf.contrib.layers.xavierInitializer / varianceScalingInitializer (TF1 contrib/layers initializers.py):
// the distributions' bounds and spreads from samples, the fans of conv kernels, use in getVariable and
// tf.layers, and TF1's errors.
import * as tf from '../../src';

function sample(init: (shape: number[]) => tf.Tensor, shape: number[]): Float32Array {
  return new tf.Graph().asDefault(() => new tf.Session().run(init(shape)).data as Float32Array);
}
const stats = (a: Float32Array) => {
  let s = 0;
  let s2 = 0;
  let m = 0;
  for (const v of a) {
    s += v;
    s2 += v * v;
    m = Math.max(m, Math.abs(v));
  }
  return { mean: s / a.length, std: Math.sqrt(s2 / a.length - (s / a.length) ** 2), maxAbs: m };
};

test('xavierInitializer() is uniform in ±sqrt(6 / (fan_in + fan_out)) (matrices and conv kernels)', () => {
  const limit = Math.sqrt(6 / (784 + 256));
  const a = stats(sample(tf.contrib.layers.xavierInitializer(), [784, 256]));
  expect(a.maxAbs).toBeLessThanOrEqual(limit);
  expect(a.maxAbs).toBeGreaterThan(limit * 0.999);
  expect(Math.abs(a.mean)).toBeLessThan(limit * 0.01);
  expect(a.std / (limit / Math.sqrt(3))).toBeCloseTo(1, 2);
  // conv kernel [5, 5, 32, 64]: fan_in = 25·32, fan_out = 25·64
  const k = stats(sample(tf.contrib.layers.xavierInitializerConv2d({ seed: 3 }), [5, 5, 32, 64]));
  const kLimit = Math.sqrt(6 / (25 * 32 + 25 * 64));
  expect(k.maxAbs).toBeLessThanOrEqual(kLimit);
  expect(k.maxAbs).toBeGreaterThan(kLimit * 0.99);
});

test('xavierInitializer(false) and varianceScalingInitializer(): truncated normal, stddev sqrt(1.3·factor/n)', () => {
  const n = (784 + 256) / 2;
  const sd = Math.sqrt(1.3 / n);
  const a = stats(sample(tf.contrib.layers.xavierInitializer(false, 1), [784, 256]));
  expect(a.maxAbs).toBeLessThanOrEqual(2 * sd * (1 + 1e-6));
  expect(a.std / (sd * 0.87962566103423978)).toBeCloseTo(1, 2);
  // default: factor 2, FAN_IN (He / MSRA)
  const he = stats(sample(tf.contrib.layers.varianceScalingInitializer(), [400, 300]));
  const heSd = Math.sqrt((1.3 * 2) / 400);
  expect(he.maxAbs).toBeLessThanOrEqual(2 * heSd * (1 + 1e-6));
  expect(he.std / (heSd * 0.87962566103423978)).toBeCloseTo(1, 1);
  const u = stats(sample(tf.contrib.layers.varianceScalingInitializer(1.0, 'FAN_OUT', true), [400, 300]));
  expect(u.maxAbs).toBeLessThanOrEqual(Math.sqrt(3 / 300));
  expect(u.maxAbs).toBeGreaterThan(Math.sqrt(3 / 300) * 0.999);
});

test('used as tf.getVariable / tf.layers initializers (called or uncalled); TF1 errors', () => {
  new tf.Graph().asDefault(() => {
    const W = tf.getVariable('W', [784, 10], { initializer: tf.contrib.layers.xavierInitializer() });
    const V = tf.getVariable('V', [784, 10], { initializer: tf.contrib.layers.xavierInitializer });
    const x = tf.placeholder('float32', [null, 784]);
    tf.layers.dense(x, 10, { kernelInitializer: tf.contrib.layers.xavierInitializer() });
    const sess = new tf.Session();
    sess.run(tf.globalVariablesInitializer());
    const limit = Math.sqrt(6 / 794);
    for (const v of [W, V, tf.trainableVariables().at(-2) as tf.Variable]) {
      expect(stats(sess.run(v).data as Float32Array).maxAbs).toBeLessThanOrEqual(limit);
    }
  });
  expect(() => tf.contrib.layers.varianceScalingInitializer(2, 'fan_in' as 'FAN_IN')).toThrow(TypeError);
  expect(() => tf.contrib.layers.xavierInitializer(true, null, 'int32')).toThrow(
    'Cannot create initializer for non-floating point type.',
  );
});
