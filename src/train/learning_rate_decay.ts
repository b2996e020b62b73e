import { InvalidArgumentError } from '../errors';
import { Tensor, TensorLike } from '../graph/tensor';
import {
  add,
  cast,
  ceil,
  cos,
  divide,
  equal,
  exp,
  floor,
  lessEqual,
  minimum,
  multiply,
  negative,
  pow,
  subtract,
  where,
} from '../ops/math/builders';
import { graphOf, makeOp, convertToTensor } from '../ops/op_def';
import { assertScalar } from './global_step';
import { declare, kinds, OptionsOf, param } from '../graph/signature';

const PARAMS = [
  param('learningRate', kinds.tensor),
  param('globalStep', kinds.nullable(kinds.tensor)),
  param('decaySteps', kinds.tensor),
  param('decayRate', kinds.tensor),
  param('staircase', kinds.bool, { default: false }),
  param('name', kinds.nullable(kinds.name), { default: null as string | null }),
] as const;
/** Keyword options of `exponentialDecay`. */
export type ExponentialDecayOptions = OptionsOf<typeof PARAMS>;

/**
 * TF1's `exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
 * name=None)`: `learningRate · decayRate ^ (globalStep / decaySteps)` (float32; the step is cast to
 * float, and with `staircase` the exponent is floored).
 *
 * @example
 * const globalStep = tf.train.getOrCreateGlobalStep();
 * const lr = tf.train.exponentialDecay(0.1, globalStep, 1000, 0.96, true);   // TF1 positional
 * const lr2 = tf.train.exponentialDecay(0.1, globalStep, 1000, 0.96, { staircase: true });
 * const train = new tf.train.GradientDescentOptimizer(lr).minimize(loss, { globalStep });
 */
export const exponentialDecay = declare('train.exponentialDecay', PARAMS, (o): Tensor => {
  const { learningRate, globalStep, decaySteps, decayRate } = o;
  if (globalStep === null) {
    throw new InvalidArgumentError('global_step is required for exponential_decay.');
  }
  const graph = graphOf([learningRate, globalStep, decaySteps, decayRate]);
  return graph.asDefault(() =>
    graph.nameScope(o.name ?? 'ExponentialDecay', () => {
      const scope = graph.currentScope;
      const lr = convertToTensor(learningRate, 'float32', graph);
      const floatOf = (x: TensorLike): Tensor => cast(convertToTensor(x, lr.dtype, graph), lr.dtype);
      const step = convertToTensor(globalStep, undefined, graph);
      assertScalar(step, 'global_step');
      let p = divide(cast(step, lr.dtype), floatOf(decaySteps));
      if (o.staircase) p = floor(p);
      const factor = pow(floatOf(decayRate), p);
      return makeOp('Mul', [lr, factor], {}, undefined, graph, { exactName: scope }).outputs[0] as Tensor;
    }),
  );
});

/** Shared helpers of the schedules below: float32 learning rate, step cast to its dtype. */
function scheduleScope<T>(
  fn: string,
  inputs: unknown[],
  globalStep: TensorLike | null,
  name: string,
  body: (scope: string, graph: ReturnType<typeof graphOf>) => T,
): T {
  if (globalStep === null) throw new InvalidArgumentError(`global_step is required for ${fn}.`);
  const graph = graphOf(inputs as TensorLike[]);
  return graph.asDefault(() => graph.nameScope(name, () => body(graph.currentScope, graph)));
}

/** The learning rate as a float tensor and a converter of the other arguments to its dtype. */
function lrAndFloat(learningRate: TensorLike, graph: ReturnType<typeof graphOf>) {
  const lr = convertToTensor(learningRate, 'float32', graph);
  const floatOf = (x: TensorLike): Tensor => cast(convertToTensor(x, lr.dtype, graph), lr.dtype);
  return { lr, floatOf };
}

function stepOf(globalStep: TensorLike, dtype: Tensor['dtype'], graph: ReturnType<typeof graphOf>): Tensor {
  const step = convertToTensor(globalStep, undefined, graph);
  assertScalar(step, 'global_step');
  return cast(step, dtype);
}

const named = (t: Tensor, type: string, inputs: Tensor[], scope: string): Tensor =>
  makeOp(type, inputs, {}, undefined, t.graph, { exactName: scope }).outputs[0] as Tensor;

const PIECEWISE_PARAMS = [
  param('x', kinds.tensor),
  param(
    'boundaries',
    kinds.custom<TensorLike[]>(
      'a list of numbers or scalar Tensors',
      (v) => Array.isArray(v),
      () => [1],
    ),
  ),
  param(
    'values',
    kinds.custom<TensorLike[]>(
      'a list of numbers or scalar Tensors',
      (v) => Array.isArray(v),
      () => [1],
    ),
  ),
  param('name', kinds.nullable(kinds.name), { default: null as string | null }),
] as const;

/**
 * TF1's `piecewise_constant(x, boundaries, values, name=None)`: `values[0]` while `x <= boundaries[0]`,
 * `values[i]` while `boundaries[i-1] < x <= boundaries[i]`, and the last value once `x` passes the last
 * boundary. `values` has one element more than `boundaries`; the boundaries are cast to `x`'s dtype and
 * the values must share one dtype (plain numbers are float32).
 *
 * @example
 * const globalStep = tf.train.getOrCreateGlobalStep();
 * const lr = tf.train.piecewiseConstant(globalStep, [100000, 110000], [1.0, 0.5, 0.1]);
 */
export const piecewiseConstant = declare('train.piecewiseConstant', PIECEWISE_PARAMS, (o): Tensor => {
  const { boundaries, values } = o;
  if (values.length !== boundaries.length + 1) {
    throw new InvalidArgumentError('The length of boundaries should be 1 less than the length of values');
  }
  const graph = graphOf([o.x, ...boundaries, ...values] as TensorLike[]);
  return graph.asDefault(() =>
    graph.nameScope(o.name ?? 'PiecewiseConstant', () => {
      const scope = graph.currentScope;
      const x = convertToTensor(o.x, undefined, graph);
      assertScalar(x, 'x');
      const bs = boundaries.map((b) => {
        const t = convertToTensor(b, x.dtype, graph);
        assertScalar(t, 'boundaries');
        return t.dtype === x.dtype ? t : cast(t, x.dtype);
      });
      const firstTensor = values.find((v): v is Tensor => v instanceof Tensor);
      const vs = values.map((v) => {
        const t = convertToTensor(v, firstTensor?.dtype ?? 'float32', graph);
        assertScalar(t, 'values');
        return t;
      });
      const dtype = (vs[0] as Tensor).dtype;
      for (const v of vs) {
        if (v.dtype !== dtype)
          throw new InvalidArgumentError(
            `Values must have elements all with the same dtype (${dtype} != ${v.dtype}).`,
          );
      }
      // From the last interval backwards: x <= b[i] picks values[i], else what follows.
      let out = vs[vs.length - 1] as Tensor;
      for (let i = bs.length - 1; i >= 0; i--) {
        const pred = lessEqual(x, bs[i] as Tensor);
        out =
          i === 0
            ? (makeOp('Select', [pred, vs[0] as Tensor, out], {}, undefined, graph, { exactName: scope })
                .outputs[0] as Tensor)
            : where(pred, vs[i] as Tensor, out);
      }
      if (bs.length === 0) out = named(out, 'Identity', [out], scope);
      return out;
    }),
  );
});

const POLY_PARAMS = [
  param('learningRate', kinds.tensor),
  param('globalStep', kinds.nullable(kinds.tensor)),
  param('decaySteps', kinds.tensor),
  param('endLearningRate', kinds.tensor, { default: 0.0001 as TensorLike }),
  param('power', kinds.tensor, { default: 1.0 as TensorLike }),
  param('cycle', kinds.bool, { default: false }),
  param('name', kinds.nullable(kinds.name), { default: null as string | null }),
] as const;

/**
 * TF1's `polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001, power=1.0,
 * cycle=False, name=None)`: `(lr - end) · (1 - step/decaySteps)^power + end` with the step clipped at
 * `decaySteps`; with `cycle`, `decaySteps` is multiplied by `ceil(step / decaySteps)` (1 at step 0).
 *
 * @example
 * const lr = tf.train.polynomialDecay(0.1, globalStep, 10000, 0.01, 0.5);
 */
export const polynomialDecay = declare('train.polynomialDecay', POLY_PARAMS, (o): Tensor =>
  scheduleScope(
    'polynomial_decay',
    [o.learningRate, o.globalStep, o.decaySteps, o.endLearningRate, o.power],
    o.globalStep,
    o.name ?? 'PolynomialDecay',
    (scope, graph) => {
      const { lr, floatOf } = lrAndFloat(o.learningRate, graph);
      const end = floatOf(o.endLearningRate);
      const power = floatOf(o.power);
      let step = stepOf(o.globalStep as TensorLike, lr.dtype, graph);
      let decaySteps = floatOf(o.decaySteps);
      if (o.cycle) {
        const multiplier = where(equal(step, floatOf(0)), floatOf(1), ceil(divide(step, decaySteps)));
        decaySteps = multiply(decaySteps, multiplier);
      } else {
        step = minimum(step, decaySteps);
      }
      const p = divide(step, decaySteps);
      const scaled = multiply(subtract(lr, end), pow(subtract(floatOf(1), p), power));
      return named(scaled, 'Add', [scaled, end], scope);
    },
  ),
);

const RATE_PARAMS = [
  param('learningRate', kinds.tensor),
  param('globalStep', kinds.nullable(kinds.tensor)),
  param('decaySteps', kinds.tensor),
  param('decayRate', kinds.tensor),
  param('staircase', kinds.bool, { default: false }),
  param('name', kinds.nullable(kinds.name), { default: null as string | null }),
] as const;
/** Keyword options of `inverseTimeDecay` and `naturalExpDecay`. */
export type DecayRateOptions = OptionsOf<typeof RATE_PARAMS>;

/**
 * TF1's `inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
 * name=None)`: `lr / (1 + decayRate · step / decaySteps)` (the ratio floored with `staircase`).
 *
 * @example
 * const lr = tf.train.inverseTimeDecay(0.1, globalStep, 1, 0.5);
 */
export const inverseTimeDecay = declare('train.inverseTimeDecay', RATE_PARAMS, (o): Tensor =>
  scheduleScope(
    'inverse_time_decay',
    [o.learningRate, o.globalStep, o.decaySteps, o.decayRate],
    o.globalStep,
    o.name ?? 'InverseTimeDecay',
    (scope, graph) => {
      const { lr, floatOf } = lrAndFloat(o.learningRate, graph);
      let p = divide(stepOf(o.globalStep as TensorLike, lr.dtype, graph), floatOf(o.decaySteps));
      if (o.staircase) p = floor(p);
      const denom = add(floatOf(1), multiply(floatOf(o.decayRate), p));
      return makeOp('RealDiv', [lr, denom], {}, undefined, graph, { exactName: scope }).outputs[0] as Tensor;
    },
  ),
);

/**
 * TF1's `natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
 * name=None)`: `lr · exp(-decayRate)^(step / decaySteps)` (as TF1 computes it: an exponential decay with
 * rate `exp(-decayRate)`; the exponent floored with `staircase`).
 *
 * @example
 * const lr = tf.train.naturalExpDecay(0.1, globalStep, 1, 0.5);
 */
export const naturalExpDecay = declare('train.naturalExpDecay', RATE_PARAMS, (o): Tensor =>
  scheduleScope(
    'natural_exp_decay',
    [o.learningRate, o.globalStep, o.decaySteps, o.decayRate],
    o.globalStep,
    o.name ?? 'NaturalExpDecay',
    (scope, graph) => {
      const { lr, floatOf } = lrAndFloat(o.learningRate, graph);
      const rate = exp(negative(floatOf(o.decayRate)));
      let p = divide(stepOf(o.globalStep as TensorLike, lr.dtype, graph), floatOf(o.decaySteps));
      if (o.staircase) p = floor(p);
      const factor = pow(rate, p);
      return named(factor, 'Mul', [lr, factor], scope);
    },
  ),
);

const COSINE_PARAMS = [
  param('learningRate', kinds.tensor),
  param('globalStep', kinds.nullable(kinds.tensor)),
  param('decaySteps', kinds.tensor),
  param('alpha', kinds.tensor, { default: 0.0 as TensorLike }),
  param('name', kinds.nullable(kinds.name), { default: null as string | null }),
] as const;

/**
 * TF1's `cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None)`:
 * `lr · ((1 - alpha) · 0.5 · (1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha)`.
 *
 * @example
 * const lr = tf.train.cosineDecay(0.1, globalStep, 1000, 0.01);
 */
export const cosineDecay = declare('train.cosineDecay', COSINE_PARAMS, (o): Tensor =>
  scheduleScope(
    'cosine_decay',
    [o.learningRate, o.globalStep, o.decaySteps, o.alpha],
    o.globalStep,
    o.name ?? 'CosineDecay',
    (scope, graph) => {
      const { lr, floatOf } = lrAndFloat(o.learningRate, graph);
      const decaySteps = floatOf(o.decaySteps);
      const alpha = floatOf(o.alpha);
      const step = minimum(stepOf(o.globalStep as TensorLike, lr.dtype, graph), decaySteps);
      const fraction = divide(step, decaySteps);
      const cosine = multiply(floatOf(0.5), add(floatOf(1), cos(multiply(floatOf(Math.PI), fraction))));
      const decayed = add(multiply(subtract(floatOf(1), alpha), cosine), alpha);
      return named(decayed, 'Mul', [lr, decayed], scope);
    },
  ),
);
