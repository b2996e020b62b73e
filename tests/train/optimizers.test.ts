import * as tf from '../../src';
import { float64Session } from '../helpers/gradcheck';

// A small non-square problem with a known gradient: loss = W·C + ½W² (elementwise; tf.gradients sums it),
// so dloss/dW = C + W. Each optimizer's update is recomputed below in plain float64 JS from TF1's formulas.
// Values exactly representable in float32, so float32 and float64 sessions start from the same W.
const W0 = [
  [0.375, -1.25, 2.0],
  [1.5, 0.625, -0.5],
];
const C = [
  [0.5, -1.0, 2.5],
  [1.0, -0.25, -0.5],
];
const STEPS = 3;

type Mat = number[][];
const zeros = (): Mat => W0.map((r) => r.map(() => 0));
const fill = (v: number): Mat => W0.map((r) => r.map(() => v));
const grad = (w: Mat): Mat => w.map((r, i) => r.map((x, j) => x + (C[i]?.[j] as number)));
/** Elementwise update of several same-shaped matrices by a function of their entries. */
function each(mats: Mat[], fn: (vals: number[]) => number[]): Mat[] {
  const out = mats.map((m) => m.map((r) => r.slice()));
  (mats[0] as Mat).forEach((row, i) =>
    row.forEach((_x, j) => {
      const res = fn(mats.map((m) => (m[i] as number[])[j] as number));
      res.forEach((v, k) => (((out[k] as Mat)[i] as number[])[j] = v));
    }),
  );
  return out;
}

/** Independent float64 references: the W after each of `steps` steps. */
const reference = {
  sgd(lr: number, steps = STEPS): Mat[] {
    let w = W0;
    const out: Mat[] = [];
    for (let t = 0; t < steps; t++) {
      [w] = each([w, grad(w)], ([x, g]) => [(x as number) - lr * (g as number)]) as [Mat];
      out.push(w);
    }
    return out;
  },
  momentum(lr: number, mu: number, nesterov: boolean, steps = STEPS): Mat[] {
    let w = W0;
    let a = zeros();
    const out: Mat[] = [];
    for (let t = 0; t < steps; t++) {
      [w, a] = each([w, a, grad(w)], ([x, acc, g]) => {
        const accNew = mu * (acc as number) + (g as number);
        const step = nesterov ? lr * ((g as number) + mu * accNew) : lr * accNew;
        return [(x as number) - step, accNew];
      }) as [Mat, Mat];
      out.push(w);
    }
    return out;
  },
  adagrad(lr: number, init: number, steps = STEPS): Mat[] {
    let w = W0;
    let acc = fill(init);
    const out: Mat[] = [];
    for (let t = 0; t < steps; t++) {
      [w, acc] = each([w, acc, grad(w)], ([x, a, g]) => {
        const aNew = (a as number) + (g as number) ** 2;
        return [(x as number) - (lr * (g as number)) / Math.sqrt(aNew), aNew];
      }) as [Mat, Mat];
      out.push(w);
    }
    return out;
  },
  rmsprop(lr: number, decay: number, mu: number, eps: number, centered: boolean, steps = STEPS): Mat[] {
    let w = W0;
    let ms = fill(1);
    let mg = zeros();
    let mom = zeros();
    const out: Mat[] = [];
    for (let t = 0; t < steps; t++) {
      [w, ms, mg, mom] = each([w, ms, mg, mom, grad(w)], ([x, s, m, p, g]) => {
        const gg = g as number;
        const sNew = decay * (s as number) + (1 - decay) * gg * gg;
        const mNew = decay * (m as number) + (1 - decay) * gg;
        const denom = centered ? sNew - mNew * mNew + eps : sNew + eps;
        const pNew = mu * (p as number) + (lr * gg) / Math.sqrt(denom);
        return [(x as number) - pNew, sNew, mNew, pNew];
      }) as [Mat, Mat, Mat, Mat];
      out.push(w);
    }
    return out;
  },
  adam(lr: number, b1: number, b2: number, eps: number, steps = STEPS): Mat[] {
    let w = W0;
    let m = zeros();
    let v = zeros();
    const out: Mat[] = [];
    for (let t = 1; t <= steps; t++) {
      const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      [w, m, v] = each([w, m, v, grad(w)], ([x, mm, vv, g]) => {
        const gg = g as number;
        const mNew = b1 * (mm as number) + (1 - b1) * gg;
        const vNew = b2 * (vv as number) + (1 - b2) * gg * gg;
        return [(x as number) - (lrT * mNew) / (Math.sqrt(vNew) + eps), mNew, vNew];
      }) as [Mat, Mat, Mat];
      out.push(w);
    }
    return out;
  },
};

function expectMatClose(actual: tf.NDArray, expected: Mat, tol: number, label: string): void {
  expect(actual.shape).toEqual([2, 3]);
  const flat = expected.flat();
  actual.data.forEach((a, i) => {
    const e = flat[i] as number;
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
      throw new Error(`${label} element ${i}: got ${a}, expected ${e} (tolerance ${tol})`);
    }
  });
}

interface Problem {
  graph: tf.Graph;
  W: tf.Variable;
  loss: tf.Tensor;
}
function problem(): Problem {
  const graph = new tf.Graph();
  return graph.asDefault(() => {
    const W = new tf.Variable(W0, { name: 'W' });
    const loss = tf.add(tf.multiply(W, tf.constant(C)), tf.multiply(tf.square(W), 0.5), 'loss');
    return { graph, W, loss };
  });
}

/** Builds `minimize` with `make()`, runs STEPS steps, returns W after each (float32 and float64 sessions). */
function train(make: () => tf.train.Optimizer, steps = STEPS): { f32: tf.NDArray[]; f64: tf.NDArray[] } {
  const { graph, W, loss } = problem();
  return graph.asDefault(() => {
    const op = make().minimize(loss);
    const init = tf.globalVariablesInitializer(); // created after minimize: must cover the slots too
    const result = { f32: [] as tf.NDArray[], f64: [] as tf.NDArray[] };
    for (const [key, sess] of [
      ['f32', new tf.Session({ graph })],
      ['f64', float64Session(graph)],
    ] as const) {
      sess.run(init);
      for (let i = 0; i < steps; i++) {
        sess.run(op);
        result[key].push(sess.run(W));
      }
    }
    return result;
  });
}

const cases: [string, () => tf.train.Optimizer, Mat[]][] = [
  ['GradientDescent', () => new tf.train.GradientDescentOptimizer(0.1), reference.sgd(0.1)],
  ['Momentum', () => new tf.train.MomentumOptimizer(0.1, 0.9), reference.momentum(0.1, 0.9, false)],
  [
    'Momentum (Nesterov)',
    () => new tf.train.MomentumOptimizer(0.1, 0.9, { useNesterov: true }),
    reference.momentum(0.1, 0.9, true),
  ],
  [
    'Adagrad (default accumulator 0.1)',
    () => new tf.train.AdagradOptimizer(0.3),
    reference.adagrad(0.3, 0.1),
  ],
  [
    'Adagrad (initialAccumulatorValue 2)',
    () => new tf.train.AdagradOptimizer(0.3, { initialAccumulatorValue: 2 }),
    reference.adagrad(0.3, 2),
  ],
  [
    'RMSProp (defaults)',
    () => new tf.train.RMSPropOptimizer(0.01),
    reference.rmsprop(0.01, 0.9, 0, 1e-10, false),
  ],
  [
    'RMSProp (momentum, decay, epsilon)',
    () => new tf.train.RMSPropOptimizer(0.05, { decay: 0.8, momentum: 0.5, epsilon: 1e-3 }),
    reference.rmsprop(0.05, 0.8, 0.5, 1e-3, false),
  ],
  [
    'RMSProp (centered)',
    () => new tf.train.RMSPropOptimizer(0.05, { momentum: 0.3, centered: true }),
    reference.rmsprop(0.05, 0.9, 0.3, 1e-10, true),
  ],
  ['Adam (defaults)', () => new tf.train.AdamOptimizer(), reference.adam(0.001, 0.9, 0.999, 1e-8)],
  [
    'Adam (lr, betas, epsilon)',
    () => new tf.train.AdamOptimizer(0.2, { beta1: 0.5, beta2: 0.9, epsilon: 1e-3 }),
    reference.adam(0.2, 0.5, 0.9, 1e-3),
  ],
  // TF1 positional order: the same numbers as the keyword forms.
  [
    'Momentum positional (lr, momentum, useLocking, name, useNesterov)',
    () => new tf.train.MomentumOptimizer(0.1, 0.9, false, 'Momentum', true),
    reference.momentum(0.1, 0.9, true),
  ],
  [
    'Adagrad positional (lr, initialAccumulatorValue)',
    () => new tf.train.AdagradOptimizer(0.3, 2),
    reference.adagrad(0.3, 2),
  ],
  [
    'RMSProp positional (lr, decay, momentum, epsilon)',
    () => new tf.train.RMSPropOptimizer(0.05, 0.8, 0.5, 1e-3),
    reference.rmsprop(0.05, 0.8, 0.5, 1e-3, false),
  ],
  [
    'RMSProp positional centered (lr, decay, momentum, epsilon, useLocking, centered)',
    () => new tf.train.RMSPropOptimizer(0.05, 0.9, 0.3, 1e-10, true, true),
    reference.rmsprop(0.05, 0.9, 0.3, 1e-10, true),
  ],
  [
    'Adam positional (lr, beta1, beta2, epsilon)',
    () => new tf.train.AdamOptimizer(0.2, 0.5, 0.9, 1e-3),
    reference.adam(0.2, 0.5, 0.9, 1e-3),
  ],
  [
    'Adam keywords only (lr defaults to 0.001)',
    () => new tf.train.AdamOptimizer({ beta1: 0.5 }),
    reference.adam(0.001, 0.5, 0.999, 1e-8),
  ],
];

describe('optimizer update rules match TF1 (float64 JS reference)', () => {
  test.each(cases)('%s: one step and three steps', (label, make, expected) => {
    const { f32, f64 } = train(make);
    for (let i = 0; i < STEPS; i++) {
      expectMatClose(f64[i] as tf.NDArray, expected[i] as Mat, 1e-12, `${label} float64 step ${i + 1}`);
      expectMatClose(f32[i] as tf.NDArray, expected[i] as Mat, 1e-5, `${label} float32 step ${i + 1}`);
    }
    // The update actually moved every entry whose gradient is non-zero (guards against a no-op rule).
    expect((f64[0] as tf.NDArray).data[0]).not.toBeCloseTo(W0[0]?.[0] as number, 6);
  });

  test('Adam defaults are TF1 defaults (lr 0.001, 0.9, 0.999, 1e-8)', () => {
    const opt = new tf.train.AdamOptimizer();
    expect([opt.learningRate, opt.beta1, opt.beta2, opt.epsilon]).toEqual([0.001, 0.9, 0.999, 1e-8]);
    const rms = new tf.train.RMSPropOptimizer(0.1);
    expect([rms.decay, rms.momentum, rms.epsilon, rms.centered]).toEqual([0.9, 0, 1e-10, false]);
    expect(new tf.train.AdagradOptimizer(0.1).initialAccumulatorValue).toBe(0.1);
    expect(new tf.train.MomentumOptimizer(0.1, 0.9).useNesterov).toBe(false);
  });

  test('Adagrad rejects a non-positive initial accumulator', () => {
    expect(() => new tf.train.AdagradOptimizer(0.1, { initialAccumulatorValue: 0 })).toThrow(
      'initial_accumulator_value must be positive: 0',
    );
  });
});

describe('slots and non-slot variables', () => {
  const slotNames = (
    make: () => tf.train.Optimizer,
  ): { opt: tf.train.Optimizer; W: tf.Variable; graph: tf.Graph } => {
    const { graph, W, loss } = problem();
    const opt = make();
    graph.asDefault(() => opt.minimize(loss));
    return { opt, W, graph };
  };

  test('Adam: m = W/Adam, v = W/Adam_1, beta1_power, beta2_power; none trainable; all global', () => {
    const { opt, W, graph } = slotNames(() => new tf.train.AdamOptimizer(0.1));
    expect(opt.getSlotNames()).toEqual(['m', 'v']);
    expect(opt.getSlot(W, 'm')?.opName).toBe('W/Adam');
    expect(opt.getSlot(W, 'v')?.opName).toBe('W/Adam_1');
    expect(opt.getSlot(W, 'nope')).toBeNull();
    expect(opt.variables().map((v) => v.opName)).toEqual([
      'beta1_power',
      'beta2_power',
      'W/Adam',
      'W/Adam_1',
    ]);
    expect(tf.trainableVariables(graph).map((v) => v.opName)).toEqual(['W']);
    expect(tf.globalVariables(graph).map((v) => v.opName)).toEqual([
      'W',
      'beta1_power',
      'beta2_power',
      'W/Adam',
      'W/Adam_1',
    ]);
    for (const v of opt.variables()) expect(v.trainable).toBe(false);
    expect(opt.getSlot(W, 'm')?.shape).toEqual([2, 3]);
    expect(graph.getOperationByName('Adam').type).toBe('NoOp');
    expect(graph.getOperationByName('Adam/update_W/ApplyAdam').type).toBe('AssignSub');
  });

  test('Momentum, Adagrad and RMSProp slot names', () => {
    let r = slotNames(() => new tf.train.MomentumOptimizer(0.1, 0.9));
    expect(r.opt.getSlot(r.W, 'momentum')?.opName).toBe('W/Momentum');
    r = slotNames(() => new tf.train.AdagradOptimizer(0.1));
    expect(r.opt.getSlot(r.W, 'accumulator')?.opName).toBe('W/Adagrad');
    r = slotNames(() => new tf.train.RMSPropOptimizer(0.1));
    expect(r.opt.getSlot(r.W, 'rms')?.opName).toBe('W/RMSProp');
    expect(r.opt.getSlot(r.W, 'momentum')?.opName).toBe('W/RMSProp_1');
    r = slotNames(() => new tf.train.RMSPropOptimizer(0.1, { centered: true }));
    expect(r.opt.getSlotNames()).toEqual(['mg', 'momentum', 'rms']);
    expect(r.opt.getSlot(r.W, 'mg')?.opName).toBe('W/RMSProp_1');
    expect(r.opt.getSlot(r.W, 'momentum')?.opName).toBe('W/RMSProp_2');
    r = slotNames(() => new tf.train.GradientDescentOptimizer(0.1));
    expect(r.opt.variables()).toEqual([]);
  });

  test('slot initial values: RMSProp ms = 1, Adagrad = initialAccumulatorValue, Adam beta powers = betas', () => {
    const { graph, W, loss } = problem();
    graph.asDefault(() => {
      const rms = new tf.train.RMSPropOptimizer(0.1, { name: 'R' });
      const ada = new tf.train.AdagradOptimizer(0.1, { initialAccumulatorValue: 0.25 });
      const adam = new tf.train.AdamOptimizer(0.1, { beta1: 0.8, beta2: 0.95 });
      rms.minimize(loss);
      ada.minimize(loss);
      adam.minimize(loss);
      const sess = new tf.Session({ graph });
      sess.run(tf.globalVariablesInitializer());
      expect(rms.getSlot(W, 'rms')?.opName).toBe('W/R');
      expect(Array.from(sess.run(rms.getSlot(W, 'rms') as tf.Variable).data)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(Array.from(sess.run(rms.getSlot(W, 'momentum') as tf.Variable).data)).toEqual([
        0, 0, 0, 0, 0, 0,
      ]);
      expect(Array.from(sess.run(ada.getSlot(W, 'accumulator') as tf.Variable).data)).toEqual(
        new Array(6).fill(0.25),
      );
      const [b1, b2] = adam.getBetaAccumulators(graph);
      expect(sess.run(b1).item()).toBeCloseTo(0.8, 7);
      expect(sess.run(b2).item()).toBeCloseTo(0.95, 7);
    });
  });

  test('Adam beta powers are multiplied by the betas after each step', () => {
    const { graph, loss } = problem();
    graph.asDefault(() => {
      const adam = new tf.train.AdamOptimizer(0.1, { beta1: 0.8, beta2: 0.95 });
      const train = adam.minimize(loss);
      const sess = float64Session(graph);
      sess.run(tf.globalVariablesInitializer());
      for (let i = 0; i < 3; i++) sess.run(train);
      const [b1, b2] = adam.getBetaAccumulators(graph);
      expect(sess.run(b1).item()).toBeCloseTo(0.8 ** 4, 12);
      expect(sess.run(b2).item()).toBeCloseTo(0.95 ** 4, 12);
    });
  });

  test('a second minimize with the same optimizer reuses the slots', () => {
    const { graph, W, loss } = problem();
    graph.asDefault(() => {
      const opt = new tf.train.AdamOptimizer(0.1);
      const a = opt.minimize(loss);
      const b = opt.minimize(loss);
      expect(a.name).toBe('Adam');
      expect(b.name).toBe('Adam_1');
      expect(opt.variables()).toHaveLength(4);
      expect(opt.getSlot(W, 'm')?.opName).toBe('W/Adam');
    });
  });

  test('slots of a scoped variable live under its scope', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      const W = tf.nameScope('layer1', () => new tf.Variable([1, 2], { name: 'W' }));
      const loss = tf.square(W);
      const opt = new tf.train.MomentumOptimizer(0.1, 0.5);
      tf.nameScope('train', () => opt.minimize(loss));
      expect(opt.getSlot(W, 'momentum')?.opName).toBe('layer1/W/Momentum');
      expect(graph.getOperationByName('train/Momentum').type).toBe('NoOp');
    });
  });
});

describe('minimize / computeGradients / applyGradients', () => {
  test('learning rate as a placeholder', () => {
    const { graph, W, loss } = problem();
    graph.asDefault(() => {
      const lr = tf.placeholder('float32', [], 'lr');
      const train = new tf.train.GradientDescentOptimizer(lr).minimize(loss);
      const sess = float64Session(graph);
      sess.run(tf.globalVariablesInitializer());
      // Fed values are float32: use exactly representable rates so float64 references stay exact.
      sess.run(train, { lr: 0.125 });
      expectMatClose(sess.run(W), reference.sgd(0.125, 1)[0] as Mat, 1e-12, 'lr 0.125');
      sess.run(tf.globalVariablesInitializer());
      sess.run(train, { lr: 0.5 });
      expectMatClose(sess.run(W), reference.sgd(0.5, 1)[0] as Mat, 1e-12, 'lr 0.5');
      expect(() => sess.run(train)).toThrow(/You must feed a value for placeholder tensor 'lr'/);
    });
  });

  test('learning rate as a tensor for Adam and Momentum', () => {
    for (const make of [
      (lr: tf.Tensor) => [new tf.train.AdamOptimizer(lr), reference.adam(0.0625, 0.9, 0.999, 1e-8)] as const,
      (lr: tf.Tensor) =>
        [new tf.train.MomentumOptimizer(lr, 0.9), reference.momentum(0.0625, 0.9, false)] as const,
    ]) {
      const { graph, W, loss } = problem();
      graph.asDefault(() => {
        const lr = tf.placeholder('float32', [], 'lr');
        const [opt, expected] = make(lr);
        const train = opt.minimize(loss);
        const sess = float64Session(graph);
        sess.run(tf.globalVariablesInitializer());
        for (let i = 0; i < STEPS; i++) sess.run(train, { lr: 0.0625 });
        expectMatClose(sess.run(W), expected[STEPS - 1] as Mat, 1e-12, opt.name);
      });
    }
  });

  test('globalStep (int32, non-trainable) increments once per step, after the updates', () => {
    const { graph, W, loss } = problem();
    graph.asDefault(() => {
      const globalStep = tf.train.getOrCreateGlobalStep();
      expect(globalStep.dtype).toBe('int32');
      expect(globalStep.opName).toBe('global_step');
      const train = new tf.train.GradientDescentOptimizer(0.1).minimize(loss, { globalStep });
      expect(train.name).toBe('GradientDescent');
      expect(train.type).toBe('AssignAdd');
      expect(train.controlInputs.map((o) => o.name)).toEqual(['GradientDescent/update']);
      const sess = float64Session(graph);
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(globalStep).item()).toBe(0);
      for (let i = 0; i < 3; i++) sess.run(train);
      expect(sess.run(globalStep).item()).toBe(3);
      expect(sess.run(globalStep).dtype).toBe('int32');
      expectMatClose(sess.run(W), reference.sgd(0.1)[2] as Mat, 1e-12, 'W after 3 steps');
      expect(graph.getCollection('train_op')).toContain(train);
    });
  });

  test('the name option names the train op and scopes the updates', () => {
    const { graph, loss } = problem();
    graph.asDefault(() => {
      const train = new tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss, { name: 'train' });
      expect(train.name).toBe('train');
      expect(graph.getOperationByName('train/update_W/ApplyMomentum').type).toBe('AssignSub');
      const named = new tf.train.AdamOptimizer(0.1, 'MyAdam').minimize(loss);
      expect(named.name).toBe('MyAdam');
      expect(graph.getOperationByName('W/MyAdam_1').type).toBe('VariableV2');
    });
  });

  test('computeGradients + applyGradients equals minimize', () => {
    const run = (split: boolean): { W: tf.NDArray; step: number } => {
      const { graph, W, loss } = problem();
      return graph.asDefault(() => {
        const opt = new tf.train.AdamOptimizer(0.1);
        const globalStep = tf.train.getOrCreateGlobalStep();
        let train: tf.Operation;
        if (split) {
          const gv = opt.computeGradients(loss);
          expect(gv).toHaveLength(1);
          expect(gv[0]?.[1]).toBe(W);
          expect(gv[0]?.[0]?.shape).toEqual([2, 3]);
          train = opt.applyGradients(gv, { globalStep });
        } else {
          train = opt.minimize(loss, { globalStep });
        }
        const sess = float64Session(graph);
        sess.run(tf.globalVariablesInitializer());
        for (let i = 0; i < STEPS; i++) sess.run(train);
        return { W: sess.run(W), step: sess.run(globalStep).item() as number };
      });
    };
    const a = run(true);
    const b = run(false);
    expect(Array.from(a.W.data)).toEqual(Array.from(b.W.data));
    expect(a.step).toBe(3);
    expectMatClose(a.W, reference.adam(0.1, 0.9, 0.999, 1e-8)[2] as Mat, 1e-12, 'Adam via applyGradients');
  });

  test('computeGradients returns the gradient values (C + W) and null for unconnected variables', () => {
    const { graph, W, loss } = problem();
    graph.asDefault(() => {
      const other = new tf.Variable([1, 2, 3], { name: 'other' });
      const gv = new tf.train.GradientDescentOptimizer(0.1).computeGradients(loss);
      expect(gv.map(([, v]) => v)).toEqual([W, other]);
      expect(gv[1]?.[0]).toBeNull();
      const sess = float64Session(graph);
      sess.run(tf.globalVariablesInitializer());
      expectMatClose(sess.run(gv[0]?.[0] as tf.Tensor), grad(W0), 1e-12, 'gradient');
    });
  });

  test('applyGradients with transformed gradients (e.g. scaled) uses them', () => {
    const { graph, W, loss } = problem();
    graph.asDefault(() => {
      const opt = new tf.train.GradientDescentOptimizer(0.1);
      const gv = opt
        .computeGradients(loss)
        .map(([g, v]) => [g && tf.multiply(g, 2), v] as tf.train.GradAndVar);
      const train = opt.applyGradients(gv);
      const sess = float64Session(graph);
      sess.run(tf.globalVariablesInitializer());
      sess.run(train);
      expectMatClose(sess.run(W), reference.sgd(0.2, 1)[0] as Mat, 1e-12, 'doubled gradient');
    });
  });

  test('varList restricts which variables are updated', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      const a = new tf.Variable([1, 2], { name: 'a' });
      const b = new tf.Variable([3, 4], { name: 'b' });
      const loss = tf.add(tf.square(a), tf.square(b));
      const train = new tf.train.GradientDescentOptimizer(0.25).minimize(loss, { varList: [b] });
      const sess = float64Session(graph);
      sess.run(tf.globalVariablesInitializer());
      sess.run(train);
      expect(Array.from(sess.run(a).data)).toEqual([1, 2]);
      // b − 0.25·2b = 0.5·b
      expect(Array.from(sess.run(b).data)).toEqual([1.5, 2]);
      expect(graph.getOperations().some((o) => o.name.startsWith('GradientDescent/update_a'))).toBe(false);
    });
  });

  test('non-trainable variables are not updated by default', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      const a = new tf.Variable([1, 2], { name: 'a' });
      const frozen = new tf.Variable([3, 4], { name: 'frozen', trainable: false });
      const train = new tf.train.GradientDescentOptimizer(0.25).minimize(tf.multiply(a, frozen));
      const sess = float64Session(graph);
      sess.run(tf.globalVariablesInitializer());
      sess.run(train);
      expect(Array.from(sess.run(a).data)).toEqual([1 - 0.75, 2 - 1]);
      expect(Array.from(sess.run(frozen).data)).toEqual([3, 4]);
    });
  });

  test('"No gradients provided" when no variable affects the loss (TF1 wording)', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      new tf.Variable([[1, 2, 3]], { name: 'W' });
      const x = tf.placeholder('float32', [2], 'x');
      const loss = tf.square(x, 'loss');
      const opt = new tf.train.GradientDescentOptimizer(0.1);
      expect(() => opt.minimize(loss)).toThrow(
        'No gradients provided for any variable, check your graph for ops that do not support gradients, ' +
          `between variables ["<tf.Variable 'W:0' shape=[1,3] dtype=float32>"] and loss ` +
          'Tensor("loss:0", shape=(2), dtype=float32).',
      );
      const gv = opt.computeGradients(loss);
      expect(() => opt.applyGradients(gv)).toThrow(
        `No gradients provided for any variable: ["<tf.Variable 'W:0' shape=[1,3] dtype=float32>"].`,
      );
    });
  });

  test('"No variables to optimize." and invalid dtypes', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      const loss = tf.square(tf.constant([1, 2]));
      expect(() => new tf.train.AdamOptimizer().minimize(loss)).toThrow('No variables to optimize.');
      const step = tf.train.getOrCreateGlobalStep();
      expect(() => new tf.train.AdamOptimizer().minimize(loss, { varList: [step] })).toThrow(
        'Invalid type int32 for global_step:0, expected: [float32].',
      );
    });
  });

  test('applyGradients rejects a gradient whose shape does not match the variable', () => {
    const { graph, W } = problem();
    graph.asDefault(() => {
      const g = tf.constant([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(() => new tf.train.GradientDescentOptimizer(0.1).applyGradients([[g, W]])).toThrow(
        /var and grad do not have the same shape\[2,3\] \[3,2\]/,
      );
    });
  });

  test('several variables with different shapes, and a learning rate given as a function', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      const a = new tf.Variable([[1, -2, 3]], { name: 'a' });
      const b = new tf.Variable([0.5, 4], { name: 'b' });
      // [1,1] + [2] broadcasts to [1,2]: sum = 2·(a·k) + Σb², so da = 2kᵀ and db = 2b.
      const loss = tf.add(tf.matmul(a, tf.constant([[1], [2], [3]])), tf.square(b));
      const train = new tf.train.GradientDescentOptimizer(() => 0.1).minimize(loss);
      const sess = float64Session(graph);
      sess.run(tf.globalVariablesInitializer());
      sess.run(train);
      const aV = Array.from(sess.run(a).data);
      [1 - 0.2, -2 - 0.4, 3 - 0.6].forEach((e, i) => expect(aV[i]).toBeCloseTo(e, 12));
      const bV = Array.from(sess.run(b).data);
      [0.5 * 0.8, 4 * 0.8].forEach((e, i) => expect(bV[i]).toBeCloseTo(e, 12));
    });
  });
});

describe('TF1 call forms of minimize / computeGradients / applyGradients', () => {
  test('minimize(loss, globalStep, varList) positionally: only varList moves, the step counts', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      const a = new tf.Variable(1, { name: 'a' });
      const b = new tf.Variable(2, { name: 'b' });
      const loss = tf.multiply(a, b);
      const step = tf.train.getOrCreateGlobalStep();
      const train = new tf.train.GradientDescentOptimizer(0.5).minimize(
        loss,
        step,
        [b],
        1,
        null,
        false,
        'train',
      );
      expect(train.name).toBe('train');
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      sess.run(train);
      // d(ab)/db = a = 1: b ← 2 − 0.5·1; a untouched.
      expect(sess.run([a, b, step]).map((x) => x.item())).toEqual([1, 1.5, 1]);
    });
  });

  test('gradLoss seeds the gradient (TF1 grad_ys), positionally and by keyword', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      const w = new tf.Variable([1, 2], { name: 'w' });
      const loss = tf.multiply(w, 3);
      const opt = new tf.train.GradientDescentOptimizer(1);
      const gv = opt.computeGradients(loss, [w], 1, null, false, [2, -1]);
      const gv2 = opt.computeGradients(loss, { gradLoss: [0.5, 0.5] });
      const train = opt.minimize(loss, { gradLoss: tf.constant([1, 0]) });
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      expect(sess.run(gv[0]?.[0] as tf.Tensor).toArray()).toEqual([6, -3]);
      expect(sess.run(gv2[0]?.[0] as tf.Tensor).toArray()).toEqual([1.5, 1.5]);
      sess.run(train);
      expect(sess.run(w).toArray()).toEqual([-2, 2]);
    });
  });

  test('applyGradients(gradsAndVars, globalStep, name) positionally', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      const w = new tf.Variable(4, { name: 'w' });
      const step = tf.train.getOrCreateGlobalStep();
      const opt = new tf.train.GradientDescentOptimizer(0.25);
      const op = opt.applyGradients([[tf.constant(2), w]], step, 'apply');
      expect(op.name).toBe('apply');
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      sess.run(op);
      expect(sess.run([w, step]).map((x) => x.item())).toEqual([3.5, 1]);
    });
  });

  test('unknown keys, wrong types, unsupported aggregation methods are errors', () => {
    const { graph, loss } = problem();
    graph.asDefault(() => {
      const opt = new tf.train.GradientDescentOptimizer(0.1);
      expect(() => opt.minimize(loss, { var_list: 3 } as never)).toThrow(/argument 'varList' must be/);
      expect(() => opt.minimize(loss, { learningRate: 1 } as never)).toThrow(
        /Optimizer.minimize\(\) got an unexpected keyword argument 'learningRate'/,
      );
      expect(() => opt.minimize(loss, { gateGradients: 3 } as never)).toThrow(/GATE_GRAPH/);
      expect(() => opt.minimize(loss, { aggregationMethod: 1 })).toThrow(
        /aggregation_method 1 is not supported/,
      );
      expect(() => new tf.train.AdamOptimizer(0.1, { beta: 0.5 } as never)).toThrow(
        /unexpected keyword argument 'beta'/,
      );
      expect(() => new tf.train.MomentumOptimizer(0.1)).toThrow("missing required argument 'momentum'");
      expect(() => new tf.train.AdamOptimizer('fast' as never, 0.9, 0.9)).toThrow(TypeError);
    });
  });

  test('useLocking is accepted (runs are sequential) and keywords may be snake_case', () => {
    const o = new tf.train.MomentumOptimizer(0.1, 0.9, { use_locking: true, use_nesterov: true } as never);
    expect(o.useLocking).toBe(true);
    expect(o.useNesterov).toBe(true);
    expect(new tf.train.AdamOptimizer(0.1, 'MyAdam').name).toBe('MyAdam');
  });
});

describe('slot variables are initialized by Fill ops, not dense constants', () => {
  test('an Adam-trained [1000, 1000] variable keeps graph.toJSON() small', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      const W = new tf.Variable(tf.zeros([1000, 1000]), { name: 'W' });
      const loss = tf.reduceSum(tf.square(W));
      new tf.train.AdamOptimizer(0.1).minimize(loss);
      new tf.train.RMSPropOptimizer(0.1).minimize(loss);
      new tf.train.AdagradOptimizer(0.1).minimize(loss);
      new tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss);
    });
    expect(JSON.stringify(graph.toJSON()).length).toBeLessThan(100_000);
    const m = graph.getOperationByName('W/Adam');
    expect(m).toBeTruthy();
    expect(graph.getOperationByName('W/Adam/zeros')?.type).toBe('Fill');
    expect(graph.getOperationByName('W/RMSProp/Const')?.type).toBe('Fill');
  });

  test('filled slots start at their TF1 values (RMSProp ms 1.0, Adagrad 0.1)', () => {
    const graph = new tf.Graph();
    graph.asDefault(() => {
      const W = new tf.Variable(tf.zeros([2, 3]), { name: 'W' });
      const loss = tf.reduceSum(tf.square(W));
      const rms = new tf.train.RMSPropOptimizer(0.1);
      const ada = new tf.train.AdagradOptimizer(0.1);
      const adam = new tf.train.AdamOptimizer(0.1);
      rms.minimize(loss);
      ada.minimize(loss);
      adam.minimize(loss);
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      const flat = (v: tf.Variable | null) => Array.from(sess.run(v as tf.Variable).data);
      expect(flat(rms.getSlot(W, 'rms'))).toEqual([1, 1, 1, 1, 1, 1]);
      expect(flat(ada.getSlot(W, 'accumulator')).map((x) => Math.round(x * 1e6) / 1e6)).toEqual([
        0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
      ]);
      expect(flat(adam.getSlot(W, 'v'))).toEqual([0, 0, 0, 0, 0, 0]);
      expect(sess.run(adam.getSlot(W, 'm') as tf.Variable).shape).toEqual([2, 3]);
    });
  });
});
