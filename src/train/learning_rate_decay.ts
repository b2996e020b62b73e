import { InvalidArgumentError } from '../errors';
import { Tensor, TensorLike } from '../graph/tensor';
import { cast, divide, floor, pow } from '../ops/math/builders';
import { graphOf, makeOp, convertToTensor } from '../ops/op_def';
import { assertScalar } from './global_step';

export interface ExponentialDecayOptions {
  /** Decay in discrete intervals: the exponent is `floor(globalStep / decaySteps)`. Default false. */
  staircase?: boolean;
  /** Name scope and name of the result (default `ExponentialDecay`). */
  name?: string;
}

/**
 * TF1's `exponential_decay`: `learningRate · decayRate ^ (globalStep / decaySteps)` (float32; the step is
 * cast to float, and with `staircase` the exponent is floored).
 *
 * @example
 * const globalStep = tf.train.getOrCreateGlobalStep();
 * const lr = tf.train.exponentialDecay(0.1, globalStep, 1000, 0.96, { staircase: true });
 * const train = new tf.train.GradientDescentOptimizer(lr).minimize(loss, { globalStep });
 */
export function exponentialDecay(
  learningRate: TensorLike,
  globalStep: TensorLike | null | undefined,
  decaySteps: TensorLike,
  decayRate: TensorLike,
  options: ExponentialDecayOptions | string = {},
): Tensor {
  const o = typeof options === 'string' ? { name: options } : options;
  if (globalStep === null || globalStep === undefined) {
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
}
