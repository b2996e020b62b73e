// The `tf.nn.rnnCell` namespace: TF1's RNN cells with their equations, gate order and variable names.
import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { nameScope } from '../../graph/graph';
import { shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { Variable } from '../../graph/variable';
import { getVariable, ReuseMode, variableScope, VariableScope } from '../../graph/variable_scope';
import { concat } from '../../ops/array/concat';
import { split } from '../../ops/array/split';
import { stack } from '../../ops/array/stack';
import { reshape } from '../../ops/array/reshape';
import { zeros } from '../../ops/fill/fill';
import { constant as constantInit, Initializer, zeros as zerosInit } from '../../ops/initializers';
import { add, multiply, sigmoid, subtract, tanh } from '../../ops/math/builders';
import { matmul } from '../../ops/linalg/matmul';
import { convertToTensor } from '../../ops/op_def';
import { flatten, packSequenceAs } from '../../ops/control/nest';
import { biasAdd } from '../bias_add';

/**
 * The state of an LSTM cell: the memory `c` and the output `h` (TF1's `LSTMStateTuple`). A plain
 * `{ c, h }` object or a `[c, h]` array is accepted wherever one is expected.
 *
 * @example
 * const state = new tf.nn.rnnCell.LSTMStateTuple(c0, h0);
 */
export class LSTMStateTuple<T = Tensor> {
  constructor(
    readonly c: T,
    readonly h: T,
  ) {}
}

/** A cell's state: a tensor, an LSTM pair, or (MultiRNNCell) an array of states. */
export type RNNState =
  Tensor | LSTMStateTuple | { readonly c: Tensor; readonly h: Tensor } | readonly RNNState[];
/** The sizes of a state, with the state's structure. */
export type StateSize = number | LSTMStateTuple<number> | readonly StateSize[];

/** Options shared by the cells (TF1's constructor arguments). */
export interface RNNCellOptions {
  /** Reuse existing variables of the same scope (`true`, `tf.AUTO_REUSE`); default: inherit. */
  reuse?: ReuseMode;
  /** Variable scope name (default: `basic_rnn_cell`, `gru_cell`, `basic_lstm_cell`, made unique). */
  name?: string;
  dtype?: DType;
  /** Nonlinearity (default `tf.tanh`). */
  activation?: (x: Tensor) => Tensor;
}

/**
 * Base of the RNN cells (TF1's `RNNCell`): `call(inputs, state)` returns `[output, newState]`. The first
 * call opens the cell's variable scope (under the current one, e.g. `rnn/gru_cell`) and creates its
 * variables; later calls use the same variables, so one cell shares its weights across time steps.
 */
export abstract class RNNCell {
  /** Variables, created by the first call. */
  readonly variables: Variable[] = [];
  /** The cell's variable scope, set by the first call. */
  scope: VariableScope | undefined;
  protected readonly options: RNNCellOptions;
  /** Default scope name ('gru_cell'). */
  protected abstract readonly baseName: string;
  /** TF1's class name, for the zero-state name scope ('GRUCellZeroState'). */
  protected abstract readonly className: string;

  constructor(options: RNNCellOptions = {}) {
    this.options = options;
  }

  abstract get stateSize(): StateSize;
  abstract get outputSize(): number;

  /** Creates the variables for inputs of depth `inputDepth` (called once, inside the cell's scope). */
  protected abstract build(inputDepth: number, dtype: DType): void;
  /** One step of the cell's equations. */
  protected abstract step(inputs: Tensor, state: RNNState): [Tensor, RNNState];

  /** The cell's activation (default tanh). */
  protected activation(x: Tensor): Tensor {
    return this.options.activation ? this.options.activation(x) : tanh(x);
  }

  /**
   * Runs one step: `[output, newState]` (TF1's `cell(inputs, state)`).
   *
   * @example
   * const [output, state1] = cell.call(x, cell.zeroState(32, 'float32'));
   */
  call(inputs: TensorLike, state: RNNState): [Tensor, RNNState] {
    const x = convertToTensor(inputs);
    if (!this.scope) {
      return variableScope(this.options.name ?? null, { defaultName: this.baseName }, (scope) => {
        // TF1 layers: the scope is named first, then entered with the cell's reuse flag.
        if (this.options.reuse) scope.reuse = this.options.reuse;
        const depth = x.shape === null ? null : x.shape[x.shape.length - 1];
        if (x.shape === null || x.shape.length !== 2 || depth === null || depth === undefined) {
          throw new InvalidArgumentError(
            `Expected inputs.shape[-1] to be known, saw shape: ${shapeToString(x.shape)}`,
          );
        }
        this.build(depth, this.options.dtype ?? x.dtype);
        this.scope = scope;
        return this.step(x, state);
      });
    }
    const base = this.scope.name.split('/').pop() || this.baseName;
    return nameScope(base, () => this.step(x, state));
  }

  /** Creates one variable of this cell (inside its scope) and records it. */
  protected addVariable(name: string, shape: number[], dtype: DType, initializer?: Initializer): Variable {
    const v = getVariable(name, { shape, dtype, initializer });
    this.variables.push(v);
    return v;
  }

  /**
   * Zeros shaped like the state, for a batch of `batchSize` (a number or an int32 scalar tensor).
   *
   * @example
   * const h0 = cell.zeroState(32, 'float32');
   */
  zeroState(batchSize: number | Tensor, dtype: DType = 'float32'): RNNState {
    return nameScope(`${this.className}ZeroState`, () => {
      const sizes = flatten(this.stateSize as never) as number[];
      const leaves = sizes.map((s) => zeroRows(batchSize, s, dtype));
      return packSequenceAs(this.stateSize as never, leaves) as RNNState;
    });
  }
}

/** Zeros [batch, size]; a tensor batch size keeps the static size of the second dim. */
function zeroRows(batch: number | Tensor, size: number, dtype: DType): Tensor {
  if (typeof batch === 'number') return zeros([batch, size], dtype);
  const z = zeros(stack([batch, size]), dtype);
  return reshape(z, [-1, size]);
}

/** The `{ c, h }` of an LSTM state given as an LSTMStateTuple, a `{ c, h }` object or a `[c, h]` pair. */
function lstmState(state: RNNState): { c: Tensor; h: Tensor } {
  if (Array.isArray(state) && state.length === 2) return { c: state[0] as Tensor, h: state[1] as Tensor };
  const s = state as { c?: unknown; h?: unknown };
  if (s && s.c instanceof Tensor && s.h instanceof Tensor) return { c: s.c, h: s.h };
  throw new InvalidArgumentError('An LSTM state must be an LSTMStateTuple (c, h)');
}

function stateTensor(state: RNNState, what: string): Tensor {
  if (state instanceof Tensor) return state;
  throw new InvalidArgumentError(`${what}: the state must be a single tensor`);
}

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
