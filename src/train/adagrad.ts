import { InvalidArgumentError } from '../errors';
import { Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { add, multiply, rsqrt, square } from '../ops/math/builders';
import { OptimizerOptions, optionsOf } from './gradient_descent';
import { Hyperparameter, hyperTensor, Optimizer } from './optimizer';

export interface AdagradOptions extends OptimizerOptions {
  /** Starting value of the accumulators; must be positive. Default 0.1 (TF1). */
  initialAccumulatorValue?: number;
}

/**
 * Adagrad (TF1's `AdagradOptimizer`, slot `'accumulator'` named `<var>/Adagrad`):
 * `accum ← accum + grad²; var ← var − lr·grad/√accum`.
 *
 * @example
 * const train = new tf.train.AdagradOptimizer(0.1, { initialAccumulatorValue: 0.1 }).minimize(loss);
 */
export class AdagradOptimizer extends Optimizer {
  readonly initialAccumulatorValue: number;
  private lr: Tensor | undefined;

  constructor(
    readonly learningRate: Hyperparameter,
    options?: AdagradOptions | string,
  ) {
    const o = optionsOf(options);
    super(o.name ?? 'Adagrad');
    this.initialAccumulatorValue = o.initialAccumulatorValue ?? 0.1;
    if (!(this.initialAccumulatorValue > 0)) {
      throw new InvalidArgumentError(
        `initial_accumulator_value must be positive: ${this.initialAccumulatorValue}`,
      );
    }
  }

  protected override createSlots(varList: Variable[]): void {
    for (const v of varList) this.getOrMakeSlot(v, 'accumulator', this.initialAccumulatorValue);
  }

  protected override prepare(): void {
    this.lr = hyperTensor(this.learningRate, 'learning_rate');
  }

  protected override applyDense(grad: Tensor, v: Variable): Tensor {
    const accum = this.getOrMakeSlot(v, 'accumulator', this.initialAccumulatorValue);
    const accumT = accum.assign(add(accum, square(grad)));
    return v.assignSub(multiply(multiply(grad, this.lr as Tensor), rsqrt(accumT)), 'ApplyAdagrad');
  }
}
