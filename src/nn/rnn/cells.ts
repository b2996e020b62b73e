// The `tf.nn.rnnCell` namespace: TF1's RNN cells with their equations, gate order and variable names.
import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Tensor } from '../../graph/tensor';
import { Variable } from '../../graph/variable';
import { ReuseMode, variableScope } from '../../graph/variable_scope';
import { concat } from '../../ops/array/concat';
import { split } from '../../ops/array/split';
import { constant as constantInit, Initializer, zeros as zerosInit } from '../../ops/initializers';
import { add, multiply, sigmoid, subtract } from '../../ops/math/builders';
import { matmul } from '../../ops/linalg/matmul';
import { biasAdd } from '../bias_add';
import {
  LSTMStateTuple,
  lstmState,
  RNNCell,
  RNNCellOptions,
  RNNState,
  StateSize,
  stateTensor,
} from './cell_base';

export { LSTMStateTuple, RNNCell } from './cell_base';
export type { RNNState, StateSize, RNNCellOptions } from './cell_base';

/**
 * The most basic RNN cell (TF1's `BasicRNNCell`): `output = newState = act(W·[x, h] + b)`. Variables:
 * `kernel` [input + units, units] (glorot uniform) and `bias` [units] (zeros).
 *
 * @example
 * const cell = new tf.nn.rnnCell.BasicRNNCell(64);
 * const [outputs, state] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
 */
export class BasicRNNCell extends RNNCell {
  protected readonly baseName = 'basic_rnn_cell';
  protected readonly className = 'BasicRNNCell';
  private kernel: Variable | undefined;
  private bias: Variable | undefined;

  constructor(
    readonly numUnits: number,
    options: RNNCellOptions = {},
  ) {
    super(options);
  }

  get stateSize(): number {
    return this.numUnits;
  }
  get outputSize(): number {
    return this.numUnits;
  }

  protected build(depth: number, dtype: DType): void {
    this.kernel = this.addVariable('kernel', [depth + this.numUnits, this.numUnits], dtype);
    this.bias = this.addVariable('bias', [this.numUnits], dtype, zerosInit());
  }

  protected step(inputs: Tensor, state: RNNState): [Tensor, RNNState] {
    const h = stateTensor(state, 'BasicRNNCell');
    const gateInputs = biasAdd(
      matmul(concat([inputs, h], 1), this.kernel as Variable),
      this.bias as Variable,
    );
    const output = this.activation(gateInputs);
    return [output, output];
  }
}

/** Options of GRUCell. */
export interface GRUCellOptions extends RNNCellOptions {
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}

/**
 * Gated Recurrent Unit (TF1's `GRUCell`, Cho et al. 2014):
 * `[r, u] = σ(W_g·[x, h] + b_g)`, `c = act(W_c·[x, r∘h] + b_c)`, `h' = u∘h + (1 − u)∘c`.
 * Variables: `gates/kernel` [input + units, 2·units], `gates/bias` [2·units] (initialised to 1.0),
 * `candidate/kernel` [input + units, units], `candidate/bias` [units] (zeros).
 *
 * @example
 * const cell = new tf.nn.rnnCell.GRUCell(128);
 * const [outputs, state] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' }); // rnn/gru_cell/gates/kernel, …
 */
export class GRUCell extends RNNCell {
  protected readonly baseName = 'gru_cell';
  protected readonly className = 'GRUCell';
  private gateKernel: Variable | undefined;
  private gateBias: Variable | undefined;
  private candidateKernel: Variable | undefined;
  private candidateBias: Variable | undefined;

  constructor(
    readonly numUnits: number,
    protected readonly gruOptions: GRUCellOptions = {},
  ) {
    super(gruOptions);
  }

  get stateSize(): number {
    return this.numUnits;
  }
  get outputSize(): number {
    return this.numUnits;
  }

  protected build(depth: number, dtype: DType): void {
    const n = this.numUnits;
    const { kernelInitializer, biasInitializer } = this.gruOptions;
    this.gateKernel = this.addVariable('gates/kernel', [depth + n, 2 * n], dtype, kernelInitializer);
    this.gateBias = this.addVariable('gates/bias', [2 * n], dtype, biasInitializer ?? constantInit(1.0));
    this.candidateKernel = this.addVariable('candidate/kernel', [depth + n, n], dtype, kernelInitializer);
    this.candidateBias = this.addVariable('candidate/bias', [n], dtype, biasInitializer ?? zerosInit());
  }

  protected step(inputs: Tensor, state: RNNState): [Tensor, RNNState] {
    const h = stateTensor(state, 'GRUCell');
    const gateInputs = biasAdd(
      matmul(concat([inputs, h], 1), this.gateKernel as Variable),
      this.gateBias as Variable,
    );
    const value = sigmoid(gateInputs);
    const [r, u] = split(value, 2, 1) as [Tensor, Tensor];
    const rState = multiply(r, h);
    const candidate = biasAdd(
      matmul(concat([inputs, rState], 1), this.candidateKernel as Variable),
      this.candidateBias as Variable,
    );
    const c = this.activation(candidate);
    const newH = add(multiply(u, h), multiply(subtract(1, u), c));
    return [newH, newH];
  }
}

/** Options of BasicLSTMCell. */
export interface BasicLSTMCellOptions extends RNNCellOptions {
  /** Added to the forget gate's pre-activation (default 1.0). */
  forgetBias?: number;
}

/**
 * Basic LSTM cell (TF1's `BasicLSTMCell`, no peepholes): `[i, j, f, o] = W·[x, h] + b`,
 * `c' = c∘σ(f + forgetBias) + σ(i)∘act(j)`, `h' = act(c')∘σ(o)`; the state is `LSTMStateTuple(c, h)`.
 * Variables: `kernel` [input + units, 4·units], `bias` [4·units] (zeros).
 *
 * @example
 * const cell = new tf.nn.rnnCell.BasicLSTMCell(64);
 * const [outputs, { c, h }] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' });
 */
export class BasicLSTMCell extends RNNCell {
  protected readonly baseName = 'basic_lstm_cell';
  protected readonly className = 'BasicLSTMCell';
  readonly forgetBias: number;
  private kernel: Variable | undefined;
  private bias: Variable | undefined;

  constructor(
    readonly numUnits: number,
    options: BasicLSTMCellOptions = {},
  ) {
    super(options);
    this.forgetBias = options.forgetBias ?? 1.0;
  }

  get stateSize(): LSTMStateTuple<number> {
    return new LSTMStateTuple(this.numUnits, this.numUnits);
  }
  get outputSize(): number {
    return this.numUnits;
  }

  protected build(depth: number, dtype: DType): void {
    this.kernel = this.addVariable('kernel', [depth + this.numUnits, 4 * this.numUnits], dtype);
    this.bias = this.addVariable('bias', [4 * this.numUnits], dtype, zerosInit());
  }

  protected step(inputs: Tensor, state: RNNState): [Tensor, RNNState] {
    const { c, h } = lstmState(state);
    const gateInputs = biasAdd(
      matmul(concat([inputs, h], 1), this.kernel as Variable),
      this.bias as Variable,
    );
    const [i, j, f, o] = split(gateInputs, 4, 1) as [Tensor, Tensor, Tensor, Tensor];
    const newC = add(multiply(c, sigmoid(add(f, this.forgetBias))), multiply(sigmoid(i), this.activation(j)));
    const newH = multiply(this.activation(newC), sigmoid(o));
    return [newH, new LSTMStateTuple(newC, newH)];
  }
}

/**
 * Stacks cells (TF1's `MultiRNNCell`): the output of cell i is the input of cell i + 1; the state is
 * the array of the cells' states. Variables live under `multi_rnn_cell/cell_<i>/…`.
 *
 * @example
 * const cell = new tf.nn.rnnCell.MultiRNNCell([new tf.nn.rnnCell.GRUCell(64), new tf.nn.rnnCell.GRUCell(64)]);
 */
export class MultiRNNCell extends RNNCell {
  protected readonly baseName = 'multi_rnn_cell';
  protected readonly className = 'MultiRNNCell';

  constructor(
    readonly cells: readonly RNNCell[],
    options: { name?: string; reuse?: ReuseMode } = {},
  ) {
    super(options);
    if (cells.length === 0)
      throw new InvalidArgumentError('Must specify at least one cell for MultiRNNCell.');
  }

  get stateSize(): StateSize[] {
    return this.cells.map((c) => c.stateSize);
  }
  get outputSize(): number {
    return (this.cells[this.cells.length - 1] as RNNCell).outputSize;
  }

  protected build(): void {
    // The cells create their own variables on their first call.
  }

  protected step(inputs: Tensor, state: RNNState): [Tensor, RNNState] {
    if (!Array.isArray(state) || state.length !== this.cells.length) {
      throw new InvalidArgumentError(
        `Expected state to be a tuple of length ${this.cells.length}, but received: ${String(state)}`,
      );
    }
    let cur = inputs;
    const newStates: RNNState[] = [];
    this.cells.forEach((cell, i) => {
      variableScope(`cell_${i}`, () => {
        const [out, s] = cell.call(cur, state[i] as RNNState);
        cur = out;
        newStates.push(s);
      });
    });
    this.variables.splice(0, this.variables.length, ...this.cells.flatMap((c) => c.variables));
    return [cur, newStates];
  }
}
