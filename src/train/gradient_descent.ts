import { Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { multiply } from '../ops/math/builders';
import { bindCall, CallForms, declareConstructor, OptionsOf, kinds, param } from '../graph/signature';
import { Hyperparameter, hyperKind, hyperTensor, Optimizer, useLockingParam } from './optimizer';

/** The optimizer's name: the name scope of its update ops and the suffix of its slots' names. */
export const optimizerName = (dflt: string) => param('name', kinds.name, { default: dflt });

const PARAMS = [param('learningRate', hyperKind), useLockingParam, optimizerName('GradientDescent')] as const;
const SIG = declareConstructor(
  'train.GradientDescentOptimizer',
  PARAMS,
  (...a): unknown => new GradientDescentOptimizer(...(a as CallForms<typeof PARAMS>)),
);
/** Keyword options of `GradientDescentOptimizer` (TF1's keyword names in camelCase; a plain string is the name). */
export type OptimizerOptions = OptionsOf<typeof PARAMS>;

/**
 * Plain gradient descent (TF1's `GradientDescentOptimizer(learning_rate, use_locking=False,
 * name='GradientDescent')`): `var ← var − lr·grad`.
 *
 * @example
 * const train = new tf.train.GradientDescentOptimizer(0.5).minimize(loss);
 * for (let i = 0; i < 1000; i++) sess.run(train, { x: xs, y_: ys });
 */
export class GradientDescentOptimizer extends Optimizer {
  private lr: Tensor | undefined;
  readonly learningRate: Hyperparameter;
  readonly useLocking: boolean;

  constructor(...args: CallForms<typeof PARAMS>) {
    const a = bindCall(SIG, args);
    super(a.name);
    this.learningRate = a.learningRate;
    this.useLocking = a.useLocking;
  }

  protected override prepare(): void {
    this.lr = hyperTensor(this.learningRate, 'learning_rate');
  }

  protected override applyDense(grad: Tensor, v: Variable): Tensor {
    return v.assignSub(multiply(grad, this.lr as Tensor), 'ApplyGradientDescent');
  }
}
