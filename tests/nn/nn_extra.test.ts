import * as tf from '../../src';
import { NDArray } from '../../src';
import { checkGradient, randomArray } from '../helpers/gradcheck';

/**
 * tf.nn additions (issue 16) beyond the case table: TF1 call forms and errors, the candidate samplers
 * (determinism, uniqueness, TF1's expected-count formula, the log-uniform distribution), and nceLoss /
 * sampledSoftmaxLoss recomputed in plain JS from the candidates fetched in the same run.
 */
const inGraph = <T>(f: () => T): T => new tf.Graph().asDefault(f);
function run(build: () => tf.Tensor | tf.Tensor[]): NDArray[] {
  return inGraph(() => {
    const t = build();
    const sess = new tf.Session();
    return sess.run(Array.isArray(t) ? t : [t]) as NDArray[];
  });
}
const arr = (a: NDArray): number[] => Array.from(a.data as ArrayLike<number>);
function close(a: number[], b: number[], tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => {
    const e = b[i] as number;
    if (Math.abs(x - e) > tol * Math.max(1, Math.abs(e)))
      throw new Error(`element ${i}: got ${x}, expected ${e}`);
  });
}
const FLT_MAX = 3.4028234663852886e38;

describe('activations: call forms and defaults', () => {
  const x = [[-2, -0.5, 0, 1.5]];
  test('leakyRelu: default alpha 0.2, positional and keyword alpha, int features cast to float32', () => {
    const [a, b, c, d] = run(() => [
      tf.nn.leakyRelu(x),
      tf.nn.leakyRelu(x, 0.1),
      tf.nn.leakyRelu({ features: x, alpha: 0.3, name: 'lr' } as never),
      tf.nn.leakyRelu(tf.constant([[-2, 3]], 'int32')),
    ]);
    close(arr(a!), [-0.4, -0.1, 0, 1.5]);
    close(arr(b!), [-0.2, -0.05, 0, 1.5]);
    close(arr(c!), [-0.6, -0.15, 0, 1.5]);
    expect(d!.dtype).toBe('float32');
    close(arr(d!), [-0.4, 3]);
  });
  test('leakyRelu rejects an unknown option and a non-number alpha', () => {
    inGraph(() => {
      expect(() => tf.nn.leakyRelu(x, { alpa: 0.1 } as never)).toThrow(TypeError);
      expect(() => tf.nn.leakyRelu(x, { alpha: 'a' } as never)).toThrow(TypeError);
      expect(() => tf.nn.leakyRelu(x, NaN)).toThrow(TypeError);
    });
  });
  test('selu and swish match their TF1 formulas; op types and names', () => {
    inGraph(() => {
      const s = tf.nn.selu(x, 'my_selu');
      expect(s.op.type).toBe('Selu');
      expect(s.op.name).toBe('my_selu');
      expect(tf.nn.swish(x).op.type).toBe('Swish');
      expect(tf.nn.leakyRelu(x).op.type).toBe('LeakyRelu');
    });
    const [s, w] = run(() => [tf.nn.selu(x), tf.nn.swish(x)]);
    const L = 1.0507009873554805;
    const A = 1.6732632423543772;
    close(
      arr(s!),
      [-2, -0.5, 0, 1.5].map((v) => (v > 0 ? L * v : L * A * Math.expm1(v))),
    );
    close(
      arr(w!),
      [-2, -0.5, 0, 1.5].map((v) => v / (1 + Math.exp(-v))),
    );
  });
});

describe('moments / batchNormalization / fusedBatchNorm call forms', () => {
  const x = [
    [1, 2],
    [3, 6],
    [5, 1],
  ];
  test('moments: positional (x, axes, shift, name, keep_dims) and keyword keepdims / keepDims', () => {
    const [m, v, mk, vk, m2] = run(() => [
      ...tf.nn.moments(x, [0]),
      ...tf.nn.moments(x, [0], null, 'mom', true),
      tf.nn.moments(x, { axes: [1], keepdims: true })[0],
    ]);
    close(arr(m!), [3, 3]);
    close(arr(v!), [8 / 3, 14 / 3]);
    expect(mk!.shape).toEqual([1, 2]);
    expect(vk!.shape).toEqual([1, 2]);
    expect(m2!.shape).toEqual([3, 1]);
    close(arr(m2!), [1.5, 4.5, 3]);
    inGraph(() => {
      expect(() => tf.nn.moments(x, [0], { keepDims: true, keepdims: false })).toThrow(/keep_dims/);
      expect(() => tf.nn.moments(x, [2])).toThrow(/out of range/);
    });
  });
  test('moments gives no gradient difference from the stop_gradient (d var / dx = 2(x − mean)/n)', () => {
    inGraph(() => {
      const p = tf.placeholder('float32', [3, 2]);
      const [, v] = tf.nn.moments(p, [0]);
      const [g] = tf.gradients(v, [p]);
      const out = new tf.Session().run(g as tf.Tensor, new Map([[p, tf.ndarray(x)]]));
      close(arr(out), [-4 / 3, -2 / 3, 0, 2, 4 / 3, -4 / 3]);
    });
  });
  test('batchNormalization keyword form and nulls', () => {
    const [y] = run(() => [
      tf.nn.batchNormalization(x, [3, 3], [4, 4], {
        offset: [1, 0],
        scale: null,
        varianceEpsilon: 0,
        name: 'bn',
      }),
    ]);
    close(arr(y!), [0, -0.5, 1, 1.5, 2, -1]);
  });
  test('fusedBatchNorm: returns [y, batchMean, batchVariance]; inference passes mean/variance through', () => {
    const x4 = tf.ndarray(
      Float32Array.from({ length: 16 }, (_v, i) => (i * 7) % 5),
      [2, 2, 2, 2],
    );
    const [y, bm, bv, yi, mi, vi] = run(() => [
      ...tf.nn.fusedBatchNorm(x4, [1, 1], [0, 0]),
      ...tf.nn.fusedBatchNorm(x4, [2, 1], [1, 0], {
        mean: [1, 2],
        variance: [4, 9],
        epsilon: 0,
        isTraining: false,
      }),
    ]);
    // channel c holds elements i ≡ c (mod 2)
    const ch = (c: number) => Array.from(x4.data).filter((_v, i) => i % 2 === c);
    for (const c of [0, 1]) {
      const v = ch(c);
      const mean = v.reduce((p, q) => p + q, 0) / v.length;
      const biased = v.reduce((p, q) => p + (q - mean) ** 2, 0) / v.length;
      close([arr(bm!)[c] as number], [mean]);
      close([arr(bv!)[c] as number], [(biased * v.length) / (v.length - 1)]);
      close(
        arr(y!).filter((_v, i) => i % 2 === c),
        v.map((q) => (q - mean) / Math.sqrt(biased + 0.001)),
        1e-4,
      );
    }
    close(arr(mi!), [1, 2]);
    close(arr(vi!), [4, 9]);
    // epsilon 0 is raised to 1.001e-5 (TF1's floor)
    close(
      arr(yi!),
      Array.from(x4.data).map((q, i) =>
        i % 2 === 0 ? ((q - 1) / Math.sqrt(4 + 1.001e-5)) * 2 + 1 : (q - 2) / Math.sqrt(9 + 1.001e-5),
      ),
    );
  });
  test('fusedBatchNorm with an unknown batch: n/(n-1) from the run-time shape', () => {
    inGraph(() => {
      const p = tf.placeholder('float32', [null, 1, 2, 1]);
      const [, m, v] = tf.nn.fusedBatchNorm(p, [1], [0]);
      const sess = new tf.Session();
      const [m4, v4] = sess.run([m, v], new Map([[p, tf.ndarray([[[[1], [3]]], [[[5], [7]]]])]]));
      close(arr(m4!), [4]);
      close(arr(v4!), [(5 * 4) / 3]);
      close(arr(sess.run(v, new Map([[p, tf.ndarray([[[[1], [3]]]])]]))), [2]);
    });
  });
  test('fusedBatchNorm errors: mean in training, no mean in inference, non-4-D x, channel mismatch', () => {
    inGraph(() => {
      const x4 = tf.zeros([2, 2, 2, 3]);
      expect(() => tf.nn.fusedBatchNorm(x4, [1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1])).toThrow(
        "Both 'mean' and 'variance' must be None if is_training is True.",
      );
      expect(() => tf.nn.fusedBatchNorm(x4, [1, 1, 1], [0, 0, 0], { isTraining: false })).toThrow(
        /must be a 1-D tensor when is_training is False/,
      );
      expect(() => tf.nn.fusedBatchNorm(tf.zeros([2, 3]), [1, 1, 1], [0, 0, 0])).toThrow(/rank 4/);
      expect(() => tf.nn.fusedBatchNorm(x4, [1, 1], [0, 0])).toThrow(/channel count/);
      expect(() => tf.nn.fusedBatchNorm(x4, [1, 1, 1], [0, 0, 0], { dataFormat: 'NCWH' } as never)).toThrow(
        TypeError,
      );
    });
  });
  test('fusedBatchNorm training gradient: dx of sum(y·u) matches the closed-form batch-norm backprop', () => {
    const xv = randomArray([2, 2, 3, 2], 91, -2, 2);
    const u = randomArray([2, 2, 3, 2], 92);
    inGraph(() => {
      const p = tf.placeholder('float32', [2, 2, 3, 2]);
      const [y] = tf.nn.fusedBatchNorm(p, [1.5, 0.5], [0, 0], { epsilon: 0.01 });
      const [g] = tf.gradients(tf.reduceSum(tf.multiply(y, tf.constant(u))), [p]);
      const got = arr(new tf.Session().run(g as tf.Tensor, new Map([[p, xv]])));
      // dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)), per channel
      const want = new Array<number>(24);
      for (const c of [0, 1]) {
        const idx = Array.from({ length: 12 }, (_v, k) => k * 2 + c);
        const xs = idx.map((i) => xv.data[i] as number);
        const dy = idx.map((i) => u.data[i] as number);
        const m = xs.reduce((a, b) => a + b, 0) / 12;
        const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / 12;
        const s = Math.sqrt(v + 0.01);
        const xh = xs.map((q) => (q - m) / s);
        const mdy = dy.reduce((a, b) => a + b, 0) / 12;
        const mdyx = dy.reduce((a, b, k) => a + b * (xh[k] as number), 0) / 12;
        const gamma = c === 0 ? 1.5 : 0.5;
        idx.forEach((i, k) => {
          want[i] = (gamma / s) * ((dy[k] as number) - mdy - (xh[k] as number) * mdyx);
        });
      }
      close(got, want, 1e-4);
    });
  });
});

describe('l2Normalize / xwPlusB / softmax call forms', () => {
  test('l2Normalize: positional (x, axis, epsilon, name), dim alias, both is a TypeError', () => {
    const [a, b] = run(() => [
      tf.nn.l2Normalize([[3, 4]], 1, 1e-12, 'n'),
      tf.nn.l2Normalize([[3], [4]], { dim: 0 }),
    ]);
    close(arr(a!), [0.6, 0.8]);
    close(arr(b!), [0.6, 0.8]);
    inGraph(() => expect(() => tf.nn.l2Normalize([[3, 4]], { axis: 1, dim: 1 })).toThrow(TypeError));
  });
  test('xwPlusB positional and keyword', () => {
    const [a, b] = run(() => [
      tf.nn.xwPlusB([[1, 2]], [[1], [3]], [0.5]),
      tf.nn.xwPlusB({ x: [[1, 2]], weights: [[1], [3]], biases: [0.5], name: 'logits' } as never),
    ]);
    close(arr(a!), [7.5]);
    close(arr(b!), [7.5]);
  });
  test('softmax / logSoftmax: axis and dim (both is a TypeError)', () => {
    const [a, b] = run(() => [
      tf.nn.softmax(
        [
          [0, 0],
          [0, 0],
        ],
        { dim: 0 },
      ),
      tf.nn.logSoftmax([[1, 1]], -1),
    ]);
    close(arr(a!), [0.5, 0.5, 0.5, 0.5]);
    close(arr(b!), [-Math.LN2, -Math.LN2]);
    inGraph(() => expect(() => tf.nn.softmax([[1, 2]], { axis: 1, dim: 1 })).toThrow(TypeError));
  });
});

describe('topK / inTopK', () => {
  test('topK forms: default k=1, positional (input, k, sorted, name), keyword, k as a tensor', () => {
    const x = [[1, 5, 3, 5]];
    const [v1, i1, v2, i2, v3, i3] = run(() => [
      ...tf.nn.topK(x),
      ...tf.nn.topK(x, 3, true, 'top'),
      ...tf.nn.topK({ input: x, k: tf.constant(2, 'int32'), sorted: false } as never),
    ]);
    close(arr(v1!), [5]);
    expect(arr(i1!)).toEqual([1]);
    close(arr(v2!), [5, 5, 3]);
    expect(arr(i2!)).toEqual([1, 3, 2]);
    expect(i2!.dtype).toBe('int32');
    close(arr(v3!), [5, 5]);
    expect(arr(i3!)).toEqual([1, 3]);
  });
  test('topK gradient scatters dy into the chosen positions', () => {
    inGraph(() => {
      const p = tf.placeholder('float32', [2, 3]);
      const [v] = tf.nn.topK(p, 2);
      const [g] = tf.gradients(v, [p], {
        gradYs: [
          tf.constant([
            [10, 20],
            [30, 40],
          ]),
        ],
      });
      const out = new tf.Session().run(
        g as tf.Tensor,
        new Map([
          [
            p,
            tf.ndarray([
              [1, 5, 3],
              [9, 8, 7],
            ]),
          ],
        ]),
      );
      expect(arr(out)).toEqual([0, 10, 20, 30, 40, 0]);
    });
  });
  test('topK gradient with an unknown last dimension', () => {
    inGraph(() => {
      const p = tf.placeholder('float32', [null, null]);
      const [v] = tf.nn.topK(p, 2);
      const [g] = tf.gradients(v, [p], { gradYs: [tf.constant([[10, 20]])] });
      const out = new tf.Session().run(g as tf.Tensor, new Map([[p, tf.ndarray([[4, 1, 5, 3]])]]));
      expect(out.shape).toEqual([1, 4]);
      expect(arr(out)).toEqual([20, 0, 10, 0]);
    });
  });
  test('topK errors: k larger than the last dimension, negative k, scalar input', () => {
    inGraph(() => {
      expect(() => tf.nn.topK([[1, 2, 3]], 4)).toThrow(/last dimension >= k = 4 but is 3/);
      expect(() => tf.nn.topK([[1, 2, 3]], -1)).toThrow(/Need k >= 0, got -1/);
      expect(() => tf.nn.topK(3, 1)).toThrow(/at least rank 1/);
      expect(() => tf.nn.topK([[1, 2]], 1.5)).toThrow(TypeError);
    });
    inGraph(() => {
      const p = tf.placeholder('float32', [null, null]);
      const [v] = tf.nn.topK(p, 3);
      expect(() => new tf.Session().run(v, new Map([[p, tf.ndarray([[1, 2]])]]))).toThrow(
        /at least k columns|>= k = 3/,
      );
    });
  });
  test('inTopK forms and errors', () => {
    const [a, b] = run(() => [
      tf.nn.inTopK(
        [
          [0.1, 0.8, 0.1],
          [0.5, 0.2, 0.3],
        ],
        [1, 2],
        1,
      ),
      tf.nn.inTopK({ predictions: [[0.1, 0.8, 0.1]], targets: [0], k: 3, name: 'acc' } as never),
    ]);
    expect(a!.dtype).toBe('bool');
    expect(a!.toArray()).toEqual([true, false]);
    expect(b!.toArray()).toEqual([true]);
    inGraph(() => {
      expect(() => tf.nn.inTopK([0.1, 0.8], [1], 1)).toThrow(/rank 2/);
      expect(() => tf.nn.inTopK([[0.1, 0.8]], [1, 0], 1)).toThrow(/Dimensions must be equal/);
    });
  });
});

/** TF1's log-uniform P(c). */
const logUniformP = (c: number, range: number) => (Math.log(c + 2) - Math.log(c + 1)) / Math.log(range + 1);

describe('candidate samplers', () => {
  const labels = [[1], [4], [7]];
  test('logUniformCandidateSampler: unique draws in range; expected counts follow TF1 1 − (1 − p)^tries', () => {
    tf.setRandomSeed(5);
    const [s, te, se] = run(() => {
      tf.setRandomSeed(5);
      return tf.nn.logUniformCandidateSampler(tf.constant(labels, 'int32'), 1, 8, true, 20);
    });
    const sampled = arr(s!);
    expect(s!.dtype).toBe('int32');
    expect(new Set(sampled).size).toBe(8);
    sampled.forEach((c) => expect(c >= 0 && c < 20 && Number.isInteger(c)).toBe(true));
    // The number of tries is the same for every class: recover it from one and check all.
    const tries = (e: number, p: number) => Math.log1p(-e) / Math.log1p(-p);
    const t0 = tries(arr(se!)[0] as number, logUniformP(sampled[0] as number, 20));
    const n = Math.round(t0);
    expect(n).toBeGreaterThanOrEqual(8);
    const want = (c: number) =>
      n === 8 ? 8 * logUniformP(c, 20) : -Math.expm1(n * Math.log1p(-logUniformP(c, 20)));
    close(arr(se!), sampled.map(want));
    close(arr(te!), [1, 4, 7].map(want));
    expect(te!.shape).toEqual([3, 1]);
  });
  test('non-unique: expected count = p · numSampled, and draws follow the log-uniform distribution', () => {
    const [s, te, se] = run(() =>
      tf.nn.logUniformCandidateSampler(tf.constant(labels, 'int32'), 1, 20000, false, 10, { seed: 3 }),
    );
    close(
      arr(te!),
      [1, 4, 7].map((c) => 20000 * logUniformP(c, 10)),
    );
    close(
      arr(se!).slice(0, 5),
      arr(s!)
        .slice(0, 5)
        .map((c) => 20000 * logUniformP(c, 10)),
    );
    const counts = new Array<number>(10).fill(0);
    arr(s!).forEach((c) => counts[c]!++);
    counts.forEach((k, c) => expect(Math.abs(k / 20000 - logUniformP(c, 10))).toBeLessThan(0.012));
  });
  test('uniformCandidateSampler: P = 1/range', () => {
    const [s, te] = run(() =>
      tf.nn.uniformCandidateSampler(tf.constant(labels, 'int32'), 1, 6000, false, 4, { seed: 9 }),
    );
    close(arr(te!), [1500, 1500, 1500]);
    const counts = new Array<number>(4).fill(0);
    arr(s!).forEach((c) => counts[c]!++);
    counts.forEach((k) => expect(Math.abs(k / 6000 - 0.25)).toBeLessThan(0.03));
  });
  test('seeded: the same graph seed / op seed gives the same candidates in a new session; runs continue the stream', () => {
    const draw = (opSeed: number | null, graphSeed: number | undefined) =>
      inGraph(() => {
        if (graphSeed !== undefined) tf.setRandomSeed(graphSeed);
        const [s] = tf.nn.logUniformCandidateSampler(tf.constant(labels, 'int32'), 1, 6, true, 1000, {
          seed: opSeed,
        });
        const sess = new tf.Session();
        return [arr(sess.run(s)), arr(sess.run(s))];
      });
    const [a1, a2] = draw(null, 42);
    const [b1, b2] = draw(null, 42);
    expect(a1).toEqual(b1);
    expect(a2).toEqual(b2);
    expect(a1).not.toEqual(a2);
    expect(draw(7, undefined)[0]).toEqual(draw(7, undefined)[0]);
  });
  test('errors: range too small for unique, wrong num_true, non-matrix true_classes', () => {
    inGraph(() => {
      const t = tf.constant(labels, 'int32');
      expect(() => tf.nn.logUniformCandidateSampler(t, 1, 30, true, 20)).toThrow(
        "Sampler's range is too small.",
      );
      expect(() => tf.nn.logUniformCandidateSampler(t, 2, 3, true, 20)).toThrow(
        /true_classes must have num_true columns, expected: 2 was: 1/,
      );
      expect(() => tf.nn.logUniformCandidateSampler(tf.constant([1, 2], 'int32'), 1, 3, true, 20)).toThrow(
        /rank 2/,
      );
      expect(() => tf.nn.uniformCandidateSampler(t, 1, 3, true)).toThrow(TypeError);
    });
  });
});

/** Plain-JS _compute_sampled_logits (TF1): [logits, labels] rows. */
function jsSampledLogits(
  W: number[][],
  b: number[],
  labels: number[][],
  inputs: number[][],
  sampled: number[],
  trueExp: number[][],
  sampledExp: number[],
  removeHits: boolean,
): { logits: number[][]; targets: number[][] } {
  const dot = (u: number[], v: number[]) => u.reduce((p, q, k) => p + q * (v[k] as number), 0);
  const logits: number[][] = [];
  const targets: number[][] = [];
  inputs.forEach((x, r) => {
    const lab = labels[r] as number[];
    const nt = lab.length;
    const row = lab.map(
      (c, t) => dot(x, W[c] as number[]) + (b[c] as number) - Math.log(trueExp[r]![t] as number),
    );
    sampled.forEach((c, s) => {
      let l = dot(x, W[c] as number[]) + (b[c] as number);
      if (removeHits && lab.includes(c)) l += -FLT_MAX;
      row.push(l - Math.log(sampledExp[s] as number));
    });
    logits.push(row);
    targets.push([...lab.map(() => 1 / nt), ...sampled.map(() => 0)]);
  });
  return { logits, targets };
}
const sce = (x: number, z: number) => Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)));
function jsNce(l: { logits: number[][]; targets: number[][] }): number[] {
  return l.logits.map((row, r) => row.reduce((p, x, j) => p + sce(x, l.targets[r]![j] as number), 0));
}
function jsSampledSoftmax(l: { logits: number[][]; targets: number[][] }): number[] {
  return l.logits.map((row, r) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((p, x) => p + Math.exp(x - m), 0));
    return row.reduce((p, x, j) => p - (l.targets[r]![j] as number) * (x - lse), 0);
  });
}

describe('nceLoss / sampledSoftmaxLoss', () => {
  const C = 12;
  const D = 3;
  const W = Array.from({ length: C }, (_v, r) =>
    Array.from({ length: D }, (_w, k) => Math.sin(r * 3 + k) * 0.5),
  );
  const b = Array.from({ length: C }, (_v, r) => Math.cos(r) * 0.1);
  const inputs = [
    [0.5, -1, 0.25],
    [1, 0.2, -0.3],
    [-0.4, 0.6, 0.9],
  ];
  const labels1 = [[2], [5], [11]];
  const labels2 = [
    [2, 3],
    [5, 0],
    [11, 2],
  ];
  for (const [numTrue, labels] of [
    [1, labels1],
    [2, labels2],
  ] as const) {
    for (const remove of [false, true]) {
      test(`the sampled run's loss equals the TF1 formula in JS (numTrue ${numTrue}, removeAccidentalHits ${remove})`, () => {
        inGraph(() => {
          tf.setRandomSeed(11);
          const lab = tf.constant(labels as unknown as number[][], 'int32');
          const sv = tf.nn.logUniformCandidateSampler(lab, numTrue, 6, true, C);
          const nce = tf.nn.nceLoss(W, b, lab, inputs, 6, C, numTrue, sv, remove);
          const ssm = tf.nn.sampledSoftmaxLoss(W, b, lab, inputs, 6, C, {
            numTrue,
            sampledValues: sv,
            removeAccidentalHits: remove,
          });
          const [s, te, se, n, m] = new tf.Session().run([...sv, nce, ssm]) as NDArray[];
          const l = jsSampledLogits(
            W,
            b,
            labels as unknown as number[][],
            inputs,
            arr(s!),
            te!.toArray() as number[][],
            arr(se!),
            remove,
          );
          expect(n!.shape).toEqual([3]);
          close(arr(n!), jsNce(l), 1e-4);
          close(arr(m!), jsSampledSoftmax(l), 1e-4);
        });
      });
    }
  }
  test('the internal sampler (sampledValues null) runs once per step: loss consistent with its seeded candidates', () => {
    const lossOf = () =>
      inGraph(() => {
        tf.setRandomSeed(21);
        const lab = tf.constant(labels1, 'int32');
        const loss = tf.nn.sampledSoftmaxLoss({
          weights: W,
          biases: b,
          labels: lab,
          inputs,
          numSampled: 5,
          numClasses: C,
          seed: 4,
        } as never);
        const nce = tf.nn.nceLoss({
          weights: W,
          biases: b,
          labels: lab,
          inputs,
          numSampled: 5,
          numClasses: C,
        } as never);
        const sess = new tf.Session();
        return [...arr(sess.run(loss)), ...arr(sess.run(nce))];
      });
    const a = lossOf();
    expect(lossOf()).toEqual(a);
    a.forEach((v) => expect(Number.isFinite(v) && v > 0).toBe(true));
  });
  test('explicit sampledValues give the exact formula, including an accidental hit', () => {
    const sampled = [2, 7, 0];
    const trueExp = [[0.3], [0.2], [0.1]];
    const sampledExp = [0.5, 0.25, 0.9];
    const l = (remove: boolean) =>
      jsSampledLogits(W, b, labels1, inputs, sampled, trueExp, sampledExp, remove);
    const [n, m, m0] = run(() => {
      const sv = [tf.constant(sampled, 'int32'), tf.constant(trueExp), tf.constant(sampledExp)];
      return [
        tf.nn.nceLoss(W, b, labels1, inputs, 3, C, { sampledValues: sv }),
        tf.nn.sampledSoftmaxLoss(W, b, labels1, inputs, 3, C, { sampledValues: sv }),
        tf.nn.sampledSoftmaxLoss(W, b, labels1, inputs, 3, C, {
          sampledValues: sv,
          removeAccidentalHits: false,
        }),
      ];
    });
    close(arr(n!), jsNce(l(false)), 1e-5);
    close(arr(m!), jsSampledSoftmax(l(true)), 1e-5);
    close(arr(m0!), jsSampledSoftmax(l(false)), 1e-5);
    expect(arr(m!)[0]).not.toBeCloseTo(arr(m0!)[0] as number, 3); // row 0's label 2 was sampled
  });
  test('sharded weights with partitionStrategy div give the same loss as the full table', () => {
    const sv = () => [
      tf.constant([2, 7, 0], 'int32'),
      tf.constant([[0.3], [0.2], [0.1]]),
      tf.constant([0.5, 0.25, 0.9]),
    ];
    const [full, sharded] = run(() => [
      tf.nn.nceLoss(W, b, labels1, inputs, 3, C, { sampledValues: sv() }),
      tf.nn.nceLoss([tf.constant(W.slice(0, 6)), tf.constant(W.slice(6))], b, labels1, inputs, 3, C, {
        sampledValues: sv(),
        partitionStrategy: 'div',
      }),
    ]);
    close(arr(sharded!), arr(full!), 1e-6);
  });
  test('gradients to weights, biases and inputs (numeric check, explicit candidates)', () => {
    const sv = () => [
      tf.constant([2, 7, 0], 'int32'),
      tf.constant([[0.3], [0.2], [0.1]]),
      tf.constant([0.5, 0.25, 0.9]),
    ];
    const vals = [randomArray([C, D], 5), randomArray([C], 6), randomArray([3, D], 7)];
    checkGradient((w, bb, x) => tf.nn.nceLoss(w, bb, labels1, x, 3, C, { sampledValues: sv() }), vals);
    checkGradient(
      (w, bb, x) =>
        tf.nn.sampledSoftmaxLoss(w, bb, labels2, x, 3, C, {
          numTrue: 2,
          sampledValues: sv().map((t, i) =>
            i === 1
              ? tf.constant([
                  [0.3, 0.2],
                  [0.2, 0.1],
                  [0.1, 0.4],
                ])
              : t,
          ),
        }),
      vals,
    );
  });
  test('argument errors', () => {
    inGraph(() => {
      expect(() =>
        tf.nn.nceLoss(W, b, labels1, inputs, 3, C, { sampledValues: [tf.constant([1], 'int32')] }),
      ).toThrow(/sampledValues must be/);
      expect(() => tf.nn.nceLoss(W, b, labels1, inputs, 3, C, { seed: 1 } as never)).toThrow(TypeError);
      expect(() =>
        tf.nn.sampledSoftmaxLoss(W, b, labels1, inputs, 3, C, { partitionStrategy: 'x' } as never),
      ).toThrow(TypeError);
    });
  });
});
