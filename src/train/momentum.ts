import { Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { add, multiply } from '../ops/math/builders';
import { bindCall, CallForms, declareConstructor, OptionsOf, kinds, param } from '../graph/signature';
import { optimizerName } from './gradient_descent';
import { Hyperparameter, hyperKind, hyperTensor, Optimizer, useLockingParam } from './optimizer';

const PARAMS = [
  param('learningRate', hyperKind),
  param('momentum', hyperKind),
  useLockingParam,
  optimizerName('Momentum'),
  param('useNesterov', kinds.bool, { default: false }),
] as const;
const SIG = declareConstructor(
  'train.MomentumOptimizer',
  PARAMS,
  (...a): unknown => new MomentumOptimizer(...(a as CallForms<typeof PARAMS>)),
);
/** Keyword options of `MomentumOptimizer` (TF1's keyword names in camelCase; a plain string is the name). */
export type MomentumOptions = OptionsOf<typeof PARAMS>;

/**
 * Gradient descent with momentum (TF1's `MomentumOptimizer(learning_rate, momentum, use_locking=False,
 * name='Momentum', use_nesterov=False)`, slot `'momentum'` named `<var>/Momentum`):
 * `accum ← momentum·accum + grad; var ← var − lr·accum` (Nesterov: `var ← var − lr·(grad + momentum·accum)`).
 *
 * @example
 * const train = new tf.train.MomentumOptimizer(0.01, 0.9, { useNesterov: true }).minimize(loss);
 */
export class MomentumOptimizer extends Optimizer {
  readonly learningRate: Hyperparameter;
  readonly momentum: Hyperparameter;
  readonly useLocking: boolean;
  readonly useNesterov: boolean;
  private lr: Tensor | undefined;
  private mom: Tensor | undefined;

  constructor(...args: CallForms<typeof PARAMS>) {
    const a = bindCall(SIG, args);
    super(a.name);
    this.learningRate = a.learningRate;
    this.momentum = a.momentum;
    this.useLocking = a.useLocking;
    this.useNesterov = a.useNesterov;
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
