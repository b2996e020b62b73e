import { InvalidArgumentError } from '../errors';
import { Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { add, multiply, rsqrt, square } from '../ops/math/builders';
import { bindCall, CallForms, declareConstructor, OptionsOf, kinds, param } from '../graph/signature';
import { optimizerName } from './gradient_descent';
import { Hyperparameter, hyperKind, hyperTensor, Optimizer, useLockingParam } from './optimizer';

const PARAMS = [
  param('learningRate', hyperKind),
  param('initialAccumulatorValue', kinds.number, { default: 0.1 }),
  useLockingParam,
  optimizerName('Adagrad'),
] as const;
const SIG = declareConstructor(
  'train.AdagradOptimizer',
  PARAMS,
  (...a): unknown => new AdagradOptimizer(...(a as CallForms<typeof PARAMS>)),
);
/** Keyword options of `AdagradOptimizer` (TF1's keyword names in camelCase; a plain string is the name). */
export type AdagradOptions = OptionsOf<typeof PARAMS>;

/**
 * Adagrad (TF1's `AdagradOptimizer(learning_rate, initial_accumulator_value=0.1, use_locking=False,
 * name='Adagrad')`, slot `'accumulator'` named `<var>/Adagrad`):
 * `accum ← accum + grad²; var ← var − lr·grad/√accum`.
 *
 * @example
 * const train = new tf.train.AdagradOptimizer(0.1, { initialAccumulatorValue: 0.1 }).minimize(loss);
 */
export class AdagradOptimizer extends Optimizer {
  readonly learningRate: Hyperparameter;
  readonly initialAccumulatorValue: number;
  readonly useLocking: boolean;
  private lr: Tensor | undefined;

  constructor(...args: CallForms<typeof PARAMS>) {
    const a = bindCall(SIG, args);
    super(a.name);
    this.learningRate = a.learningRate;
    this.useLocking = a.useLocking;
    this.initialAccumulatorValue = a.initialAccumulatorValue;
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
