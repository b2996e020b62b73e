import { Graph } from '../graph/graph';
import { Operation, Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { add, divide, multiply, sqrt, square, subtract } from '../ops/math/builders';
import { bindCall, CallForms, declareConstructor, OptionsOf, kinds, param } from '../graph/signature';
import { optimizerName } from './gradient_descent';
import { groupOp, Hyperparameter, hyperKind, hyperTensor, Optimizer, useLockingParam } from './optimizer';

const PARAMS = [
  param('learningRate', hyperKind, { default: 0.001 as Hyperparameter }),
  param('beta1', kinds.number, { default: 0.9 }),
  param('beta2', kinds.number, { default: 0.999 }),
  param('epsilon', kinds.number, { default: 1e-8 }),
  useLockingParam,
  optimizerName('Adam'),
] as const;
const SIG = declareConstructor(
  'train.AdamOptimizer',
  PARAMS,
  (...a): unknown => new AdamOptimizer(...(a as CallForms<typeof PARAMS>)),
);
/** Keyword options of `AdamOptimizer` (TF1's keyword names in camelCase; a plain string is the name). */
export type AdamOptions = OptionsOf<typeof PARAMS>;

/**
 * Adam as TF1 implements it (`AdamOptimizer(learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08,
 * use_locking=False, name='Adam')`): slots `'m'` (`<var>/Adam`) and `'v'` (`<var>/Adam_1`),
 * non-trainable `beta1_power`/`beta2_power` variables (multiplied by β after each step), and the
 * bias-corrected step `lr_t = lr·√(1−β2^t)/(1−β1^t)`:
 * `m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; var ← var − lr_t·m/(√v + ε)`.
 *
 * @example
 * const train = new tf.train.AdamOptimizer(1e-4).minimize(crossEntropy);
 * const train2 = new tf.train.AdamOptimizer({ beta1: 0.5 }).minimize(loss); // lr 0.001
 * const train3 = new tf.train.AdamOptimizer(1e-3, 0.5, 0.9, 1e-7);            // TF1 positional
 */
export class AdamOptimizer extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly learningRate: Hyperparameter;
  readonly useLocking: boolean;
  private t: { lr: Tensor; beta1: Tensor; beta2: Tensor; epsilon: Tensor } | undefined;

  constructor(...args: CallForms<typeof PARAMS>) {
    const a = bindCall(SIG, args);
    super(a.name);
    this.learningRate = a.learningRate;
    this.beta1 = a.beta1;
    this.beta2 = a.beta2;
    this.epsilon = a.epsilon;
    this.useLocking = a.useLocking;
  }

  protected override createSlots(varList: Variable[]): void {
    const first = [...varList].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
    if (first) {
      this.getOrMakeNonSlot(first.graph, 'beta1_power', this.beta1);
      this.getOrMakeNonSlot(first.graph, 'beta2_power', this.beta2);
    }
    for (const v of varList) {
      this.getOrMakeSlot(v, 'm');
      this.getOrMakeSlot(v, 'v');
    }
  }

  protected override prepare(): void {
    this.t = {
      lr: hyperTensor(this.learningRate, 'learning_rate'),
      beta1: hyperTensor(this.beta1, 'beta1'),
      beta2: hyperTensor(this.beta2, 'beta2'),
      epsilon: hyperTensor(this.epsilon, 'epsilon'),
    };
  }

  /**
   * `[beta1_power, beta2_power]` of `graph` (TF1's `_get_beta_accumulators`), created by the first
   * `minimize`/`applyGradients`.
   *
   * @example
   * const [b1p, b2p] = adam.getBetaAccumulators(tf.getDefaultGraph());
   * sess.run(b1p).item(); // 0.9 ** (steps + 1)
   */
  getBetaAccumulators(graph: Graph): [Variable, Variable] {
    return [this.nonSlotVariable(graph, 'beta1_power'), this.nonSlotVariable(graph, 'beta2_power')];
  }

  protected override applyDense(grad: Tensor, v: Variable): Tensor {
    const t = this.t as NonNullable<AdamOptimizer['t']>;
    const [beta1Power, beta2Power] = this.getBetaAccumulators(v.graph);
    const m = this.getOrMakeSlot(v, 'm');
    const vs = this.getOrMakeSlot(v, 'v');
    const lrT = divide(multiply(t.lr, sqrt(subtract(1, beta2Power))), subtract(1, beta1Power));
    // TF1's kernel: m += (g − m)·(1 − β1); v += (g² − v)·(1 − β2); var −= lr_t·m/(√v + ε)
    const mT = m.assign(add(m, multiply(subtract(grad, m), subtract(1, t.beta1))));
    const vT = vs.assign(add(vs, multiply(subtract(square(grad), vs), subtract(1, t.beta2))));
    return v.assignSub(divide(multiply(mT, lrT), add(sqrt(vT), t.epsilon)), 'ApplyAdam');
  }

  protected override finish(updates: Operation[], name: string, exact: boolean): Operation {
    const t = this.t as NonNullable<AdamOptimizer['t']>;
    const graph = (updates[0] as Operation).graph;
    const [beta1Power, beta2Power] = this.getBetaAccumulators(graph);
    const [u1, u2] = graph.controlDependencies(updates, () => [
      beta1Power.assign(multiply(beta1Power, t.beta1)),
      beta2Power.assign(multiply(beta2Power, t.beta2)),
    ]);
    return groupOp([...updates, u1.op, u2.op], name, exact);
  }
}
