// TF1's tf.contrib.rnn.OutputProjectionWrapper (contrib/rnn/python/ops/core_rnn_cell.py): a cell whose
// outputs go through a linear layer (Hands-On ML's time-series RNNs:
// `OutputProjectionWrapper(BasicRNNCell(n_neurons, activation=tf.nn.relu), output_size=1)`).
import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { nameScope } from '../../graph/graph';
import { Tensor } from '../../graph/tensor';
import { Variable } from '../../graph/variable';
import type { ReuseMode } from '../../graph/variable_scope';
import { bindCall, CallForms, declareConstructor, kinds, param, Signature } from '../../graph/signature';
import { matmul } from '../../ops/linalg/matmul';
import { zeros as zerosInit } from '../../ops/initializers';
import { biasAdd } from '../bias_add';
import { RNNCell, RNNState, StateSize } from './cell_base';
import { BasicRNNCell } from './cells';

const PARAMS = [
  param(
    'cell',
    kinds.custom<RNNCell>(
      'an RNN cell (tf.nn.rnnCell.*)',
      (v) => v instanceof RNNCell,
      () => new BasicRNNCell(1),
    ),
  ),
  param(
    'outputSize',
    kinds.custom<number>(
      'an integer',
      (v) => Number.isInteger(v),
      () => 1,
    ),
  ),
  param('activation', kinds.nullable(kinds.fn), { default: null }),
  param(
    'reuse',
    kinds.nullable(
      kinds.custom<ReuseMode>(
        'true, false or tf.AUTO_REUSE',
        (v) => typeof v === 'boolean' || v === 'AUTO_REUSE',
      ),
    ),
    { default: null },
  ),
] as const;
const SIG: Signature<typeof PARAMS> = declareConstructor(
  'OutputProjectionWrapper',
  PARAMS,
  (...args: unknown[]) => new OutputProjectionWrapper(...(args as CallForms<typeof PARAMS>)),
);

/**
 * Projects the wrapped cell's output to `outputSize` (TF1 `tf.contrib.rnn.OutputProjectionWrapper(cell,
 * output_size, activation=None, reuse=None)`): `output = activation(cell_output · kernel + bias)`; the
 * state is the cell's. Variables (scope `output_projection_wrapper`): the wrapped cell's under it, then
 * `kernel` [cell output, outputSize] (glorot uniform) and `bias` [outputSize] (zeros).
 *
 * @example
 * const cell = new tf.contrib.rnn.OutputProjectionWrapper(
 *   new tf.contrib.rnn.BasicRNNCell(100, { activation: tf.nn.relu }), { outputSize: 1 });
 * const [outputs, states] = tf.nn.dynamicRnn(cell, X, { dtype: tf.float32 }); // outputs [?, T, 1]
 */
export class OutputProjectionWrapper extends RNNCell {
  protected readonly baseName = 'output_projection_wrapper';
  protected readonly className = 'OutputProjectionWrapper';
  readonly cell: RNNCell;
  private readonly projectedSize: number;
  private readonly projectionActivation: ((x: Tensor) => Tensor) | null;
  private kernel: Variable | undefined;
  private bias: Variable | undefined;
  private dtypeOfVars: DType = 'float32';

  constructor(...args: CallForms<typeof PARAMS>) {
    const a = bindCall(SIG, args);
    super(a.reuse !== null ? { reuse: a.reuse } : {});
    if (a.outputSize < 1)
      throw new InvalidArgumentError(`Parameter output_size must be > 0: ${a.outputSize}.`);
    this.cell = a.cell;
    this.projectedSize = a.outputSize;
    this.projectionActivation = a.activation as ((x: Tensor) => Tensor) | null;
  }

  get stateSize(): StateSize {
    return this.cell.stateSize;
  }
  get outputSize(): number {
    return this.projectedSize;
  }

  /** The wrapped cell's zero state, under the name scope `OutputProjectionWrapperZeroState`. */
  override zeroState(batchSize: number | Tensor, dtype: DType = 'float32'): RNNState {
    return nameScope(`${this.className}ZeroState`, () => this.cell.zeroState(batchSize, dtype));
  }

  protected build(_depth: number, dtype: DType): void {
    // The wrapped cell creates its variables on its first call; the projection's come after them.
    this.dtypeOfVars = dtype;
  }

  protected step(inputs: Tensor, state: RNNState): [Tensor, RNNState] {
    const [output, resState] = this.cell.call(inputs, state);
    if (!this.kernel || !this.bias) {
      this.variables.push(...this.cell.variables);
      this.kernel = this.addVariable('kernel', [this.cell.outputSize, this.projectedSize], this.dtypeOfVars);
      this.bias = this.addVariable('bias', [this.projectedSize], this.dtypeOfVars, zerosInit());
    }
    let projected = biasAdd(matmul(output, this.kernel), this.bias);
    if (this.projectionActivation) projected = this.projectionActivation(projected);
    return [projected, resState];
  }
}
