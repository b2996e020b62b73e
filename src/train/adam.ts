import { Graph } from '../graph/graph';
import { Operation, Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { add, divide, multiply, sqrt, square, subtract } from '../ops/math/builders';
import { OptimizerOptions, optionsOf } from './gradient_descent';
import { groupOp, Hyperparameter, hyperTensor, Optimizer } from './optimizer';

export interface AdamOptions extends OptimizerOptions {
  /** Decay of the first-moment estimate. Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate. Default 0.999. */
  beta2?: number;
  /** Added to √v (TF1's "epsilon hat"). Default 1e-8. */
  epsilon?: number;
}

/**
 * Adam as TF1 implements it (`AdamOptimizer`): slots `'m'` (`<var>/Adam`) and `'v'` (`<var>/Adam_1`),
 * non-trainable `beta1_power`/`beta2_power` variables (multiplied by β after each step), and the
 * bias-corrected step `lr_t = lr·√(1−β2^t)/(1−β1^t)`:
 * `m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; var ← var − lr_t·m/(√v + ε)`.
 *
 * @example
 * const train = new tf.train.AdamOptimizer(1e-4).minimize(crossEntropy);
 * const train2 = new tf.train.AdamOptimizer(undefined, { beta1: 0.5 }).minimize(loss); // lr 0.001
 */
export class AdamOptimizer extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private t: { lr: Tensor; beta1: Tensor; beta2: Tensor; epsilon: Tensor } | undefined;

  constructor(
    readonly learningRate: Hyperparameter = 0.001,
    options?: AdamOptions | string,
  ) {
    const o = optionsOf(options);
    super(o.name ?? 'Adam');
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? 1e-8;
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
