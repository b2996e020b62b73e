import { Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { add, divide, multiply, sqrt, square, subtract } from '../ops/math/builders';
import { bindCall, CallForms, declareConstructor, OptionsOf, kinds, param } from '../graph/signature';
import { optimizerName } from './gradient_descent';
import { Hyperparameter, hyperKind, hyperTensor, Optimizer, useLockingParam } from './optimizer';

const PARAMS = [
  param('learningRate', hyperKind),
  param('decay', hyperKind, { default: 0.9 as Hyperparameter }),
  param('momentum', hyperKind, { default: 0 as Hyperparameter }),
  param('epsilon', hyperKind, { default: 1e-10 as Hyperparameter }),
  useLockingParam,
  param('centered', kinds.bool, { default: false }),
  optimizerName('RMSProp'),
] as const;
const SIG = declareConstructor(
  'train.RMSPropOptimizer',
  PARAMS,
  (...a): unknown => new RMSPropOptimizer(...(a as CallForms<typeof PARAMS>)),
);
/** Keyword options of `RMSPropOptimizer` (TF1's keyword names in camelCase; a plain string is the name). */
export type RMSPropOptions = OptionsOf<typeof PARAMS>;

/**
 * RMSProp as TF1 implements it (`RMSPropOptimizer(learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10,
 * use_locking=False, centered=False, name='RMSProp')`): the mean-square slot `'rms'` (`<var>/RMSProp`)
 * starts at 1.0, the `'momentum'` slot (`<var>/RMSProp_1`) at 0, and
 * `ms ← decay·ms + (1−decay)·g²; mom ← momentum·mom + lr·g/√(ms+ε); var ← var − mom`.
 * With `centered`, a `'mg'` slot tracks the mean gradient and the denominator is `√(ms − mg² + ε)`.
 *
 * @example
 * const train = new tf.train.RMSPropOptimizer(0.001, { decay: 0.9, momentum: 0.5 }).minimize(loss);
 */
export class RMSPropOptimizer extends Optimizer {
  readonly decay: Hyperparameter;
  readonly momentum: Hyperparameter;
  readonly epsilon: Hyperparameter;
  readonly centered: boolean;
  readonly learningRate: Hyperparameter;
  readonly useLocking: boolean;
  private t: { lr: Tensor; decay: Tensor; momentum: Tensor; epsilon: Tensor } | undefined;

  constructor(...args: CallForms<typeof PARAMS>) {
    const a = bindCall(SIG, args);
    super(a.name);
    this.learningRate = a.learningRate;
    this.decay = a.decay;
    this.momentum = a.momentum;
    this.epsilon = a.epsilon;
    this.useLocking = a.useLocking;
    this.centered = a.centered;
  }

  protected override createSlots(varList: Variable[]): void {
    // TF1's creation order fixes the names: rms → RMSProp, mg → RMSProp_1 (centered), momentum → next.
    for (const v of varList) {
      this.getOrMakeSlot(v, 'rms', 1);
      if (this.centered) this.getOrMakeSlot(v, 'mg');
      this.getOrMakeSlot(v, 'momentum');
    }
  }

  protected override prepare(): void {
    this.t = {
      lr: hyperTensor(this.learningRate, 'learning_rate'),
      decay: hyperTensor(this.decay, 'decay'),
      momentum: hyperTensor(this.momentum, 'momentum'),
      epsilon: hyperTensor(this.epsilon, 'epsilon'),
    };
  }

  protected override applyDense(grad: Tensor, v: Variable): Tensor {
    const t = this.t as NonNullable<RMSPropOptimizer['t']>;
    const ms = this.getOrMakeSlot(v, 'rms', 1);
    const mom = this.getOrMakeSlot(v, 'momentum');
    const oneMinusDecay = subtract(1, t.decay);
    // TF1's kernel: ms += (g² − ms)·(1 − decay)
    const msT = ms.assign(add(ms, multiply(subtract(square(grad), ms), oneMinusDecay)));
    let denom: Tensor;
    if (this.centered) {
      const mg = this.getOrMakeSlot(v, 'mg');
      const mgT = mg.assign(add(mg, multiply(subtract(grad, mg), oneMinusDecay)));
      denom = add(subtract(msT, square(mgT)), t.epsilon);
    } else {
      denom = add(msT, t.epsilon);
    }
    const momT = mom.assign(add(multiply(mom, t.momentum), divide(multiply(grad, t.lr), sqrt(denom))));
    return v.assignSub(momT, this.centered ? 'ApplyCenteredRMSProp' : 'ApplyRMSProp');
  }
}
