import { InvalidArgumentError } from '../errors';
import { Tensor, TensorLike } from '../graph/tensor';
import { cast, divide, floor, pow } from '../ops/math/builders';
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
