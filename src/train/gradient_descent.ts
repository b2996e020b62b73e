import { Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { multiply } from '../ops/math/builders';
import { Hyperparameter, hyperTensor, Optimizer } from './optimizer';

/** Options of optimizers that take nothing but a name. */
export interface OptimizerOptions {
  /** Name scope of the update ops and suffix of slot names (default: the class's TF1 name). */
  name?: string;
}

/** Accepts the options object or a plain string meaning `{ name }`. */
export function optionsOf<T extends OptimizerOptions>(opts: T | string | undefined): T {
  if (opts === undefined) return {} as T;
  return typeof opts === 'string' ? ({ name: opts } as T) : opts;
}

/**
 * Plain gradient descent (TF1's `GradientDescentOptimizer`): `var ← var − lr·grad`.
 *
 * @example
 * const train = new tf.train.GradientDescentOptimizer(0.5).minimize(loss);
 * for (let i = 0; i < 1000; i++) sess.run(train, { x: xs, y_: ys });
 */
export class GradientDescentOptimizer extends Optimizer {
  private lr: Tensor | undefined;

  constructor(
    readonly learningRate: Hyperparameter,
    options?: OptimizerOptions | string,
  ) {
    super(optionsOf(options).name ?? 'GradientDescent');
  }

  protected override prepare(): void {
    this.lr = hyperTensor(this.learningRate, 'learning_rate');
  }

  protected override applyDense(grad: Tensor, v: Variable): Tensor {
    return v.assignSub(multiply(grad, this.lr as Tensor), 'ApplyGradientDescent');
  }
}
