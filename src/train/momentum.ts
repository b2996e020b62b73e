import { Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { add, multiply } from '../ops/math/builders';
import { OptimizerOptions, optionsOf } from './gradient_descent';
import { Hyperparameter, hyperTensor, Optimizer } from './optimizer';

export interface MomentumOptions extends OptimizerOptions {
  /** Nesterov momentum: `var ← var − lr·(grad + momentum·accum)`. Default false. */
  useNesterov?: boolean;
}

/**
 * Gradient descent with momentum (TF1's `MomentumOptimizer`, slot `'momentum'` named `<var>/Momentum`):
 * `accum ← momentum·accum + grad; var ← var − lr·accum`.
 *
 * @example
 * const train = new tf.train.MomentumOptimizer(0.01, 0.9, { useNesterov: true }).minimize(loss);
 */
export class MomentumOptimizer extends Optimizer {
  readonly useNesterov: boolean;
  private lr: Tensor | undefined;
  private mom: Tensor | undefined;

  constructor(
    readonly learningRate: Hyperparameter,
    readonly momentum: Hyperparameter,
    options?: MomentumOptions | string,
  ) {
    const o = optionsOf(options);
    super(o.name ?? 'Momentum');
    this.useNesterov = o.useNesterov ?? false;
  }

  protected override createSlots(varList: Variable[]): void {
    for (const v of varList) this.getOrMakeSlot(v, 'momentum');
  }

  protected override prepare(): void {
    this.lr = hyperTensor(this.learningRate, 'learning_rate');
    this.mom = hyperTensor(this.momentum, 'momentum');
  }

  protected override applyDense(grad: Tensor, v: Variable): Tensor {
    const lr = this.lr as Tensor;
    const momentum = this.mom as Tensor;
    const accum = this.getOrMakeSlot(v, 'momentum');
    const accumT = accum.assign(add(multiply(accum, momentum), grad));
    const step = this.useNesterov
      ? add(multiply(grad, lr), multiply(multiply(accumT, momentum), lr))
      : multiply(accumT, lr);
    return v.assignSub(step, 'ApplyMomentum');
  }
}
