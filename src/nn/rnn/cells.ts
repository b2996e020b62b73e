// The `tf.nn.rnnCell` namespace: TF1's RNN cells with their equations, gate order and variable names.
import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Tensor } from '../../graph/tensor';
import { Variable } from '../../graph/variable';
import { ReuseMode, variableScope } from '../../graph/variable_scope';
import { concat } from '../../ops/array/concat';
import { split } from '../../ops/array/split';
import { constant as constantInit, Initializer, zeros as zerosInit } from '../../ops/initializers';
import { add, clipByValue, multiply, sigmoid, subtract } from '../../ops/math/builders';
import { matmul } from '../../ops/linalg/matmul';
import { biasAdd } from '../bias_add';
import { bindCall, CallForms, declareConstructor, kinds, param, Signature } from '../../graph/signature';
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

const reuseKind = kinds.nullable(
  kinds.custom<ReuseMode>(
    'true, false or tf.AUTO_REUSE',
    (v) => typeof v === 'boolean' || v === 'AUTO_REUSE',
  ),
);
const activationParam = param('activation', kinds.nullable(kinds.fn), { default: null });
const reuseParam = param('reuse', reuseKind, { default: null });
const nameParam = param('name', kinds.nullable(kinds.name), { default: null });
const dtypeParam = param('dtype', kinds.nullable(kinds.dtype), { default: null });
const initializerKind = kinds.nullable(kinds.fn);

/** The base options from bound constructor arguments (null: TF1's None, i.e. not given). */
function baseOptions(a: {
  activation: ((...x: never[]) => unknown) | null;
  reuse: ReuseMode | null;
  name: string | null;
  dtype: DType | null;
}): RNNCellOptions {
  const o: RNNCellOptions = {};
  if (a.activation !== null) o.activation = a.activation as unknown as (x: Tensor) => Tensor;
  if (a.reuse !== null) o.reuse = a.reuse;
  if (a.name !== null) o.name = a.name;
  if (a.dtype !== null) o.dtype = a.dtype;
  return o;
}

const numUnitsParam = param(
  'numUnits',
  kinds.custom<number>(
    'a positive integer',
    (v) => Number.isInteger(v) && (v as number) > 0,
    () => 1,
  ),
);

const BASIC_RNN_PARAMS = [numUnitsParam, activationParam, reuseParam, nameParam, dtypeParam] as const;
const BASIC_RNN: Signature<typeof BASIC_RNN_PARAMS> = declareConstructor(
  'BasicRNNCell',
  BASIC_RNN_PARAMS,
  (...args: unknown[]) => new BasicRNNCell(...(args as CallForms<typeof BASIC_RNN_PARAMS>)),
);
const GRU_PARAMS = [
  numUnitsParam,
  activationParam,
  reuseParam,
  param('kernelInitializer', initializerKind, { default: null }),
  param('biasInitializer', initializerKind, { default: null }),
  nameParam,
  dtypeParam,
] as const;
const GRU: Signature<typeof GRU_PARAMS> = declareConstructor(
  'GRUCell',
  GRU_PARAMS,
  (...args: unknown[]) => new GRUCell(...(args as CallForms<typeof GRU_PARAMS>)),
);
const BASIC_LSTM_PARAMS = [
  numUnitsParam,
  param('forgetBias', kinds.number, { default: 1.0 }),
  param('stateIsTuple', kinds.bool, { default: true }),
  activationParam,
  reuseParam,
  nameParam,
  dtypeParam,
] as const;
const BASIC_LSTM: Signature<typeof BASIC_LSTM_PARAMS> = declareConstructor(
  'BasicLSTMCell',
  BASIC_LSTM_PARAMS,
  (...args: unknown[]) => new BasicLSTMCell(...(args as CallForms<typeof BASIC_LSTM_PARAMS>)),
);
const MULTI_PARAMS = [
  param(
    'cells',
    kinds.custom<RNNCell[]>(
      'a list of RNN cells',
      (v) => Array.isArray(v) && v.every((c) => c instanceof RNNCell),
      () => [new BasicRNNCell(1)],
    ),
  ),
  param('stateIsTuple', kinds.bool, { default: true }),
] as const;
const MULTI: Signature<typeof MULTI_PARAMS> = declareConstructor(
  'MultiRNNCell',
  MULTI_PARAMS,
  (...args: unknown[]) => new MultiRNNCell(...(args as CallForms<typeof MULTI_PARAMS>)),
);
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
  readonly numUnits: number;
  private kernel: Variable | undefined;
  private bias: Variable | undefined;

  /** TF1 `BasicRNNCell(num_units, activation=None, reuse=None, name=None, dtype=None)`. */
  constructor(...args: CallForms<typeof BASIC_RNN_PARAMS>) {
    const a = bindCall(BASIC_RNN, args);
    super(baseOptions(a));
    this.numUnits = a.numUnits;
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

  readonly numUnits: number;
  protected readonly gruOptions: GRUCellOptions;

  /**
   * TF1 `GRUCell(num_units, activation=None, reuse=None, kernel_initializer=None,
   * bias_initializer=None, name=None, dtype=None)`.
   */
  constructor(...args: CallForms<typeof GRU_PARAMS>) {
    const a = bindCall(GRU, args);
    const o: GRUCellOptions = baseOptions(a);
    if (a.kernelInitializer !== null) o.kernelInitializer = a.kernelInitializer as unknown as Initializer;
    if (a.biasInitializer !== null) o.biasInitializer = a.biasInitializer as unknown as Initializer;
    super(o);
    this.numUnits = a.numUnits;
    this.gruOptions = o;
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
  readonly numUnits: number;
  readonly forgetBias: number;
  /** TF1's `state_is_tuple`: false keeps the state as one tensor concat([c, h], 1). */
  readonly stateIsTuple: boolean;
  private kernel: Variable | undefined;
  private bias: Variable | undefined;

  /**
   * TF1 `BasicLSTMCell(num_units, forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None,
   * name=None, dtype=None)`.
   */
  constructor(...args: CallForms<typeof BASIC_LSTM_PARAMS>) {
    const a = bindCall(BASIC_LSTM, args);
    super(baseOptions(a));
    this.numUnits = a.numUnits;
    this.forgetBias = a.forgetBias;
    this.stateIsTuple = a.stateIsTuple;
  }

  get stateSize(): LSTMStateTuple<number> | number {
    return this.stateIsTuple ? new LSTMStateTuple(this.numUnits, this.numUnits) : 2 * this.numUnits;
  }
  get outputSize(): number {
    return this.numUnits;
  }

  protected build(depth: number, dtype: DType): void {
    this.kernel = this.addVariable('kernel', [depth + this.numUnits, 4 * this.numUnits], dtype);
    this.bias = this.addVariable('bias', [4 * this.numUnits], dtype, zerosInit());
  }

  protected step(inputs: Tensor, state: RNNState): [Tensor, RNNState] {
    const { c, h } = this.stateIsTuple
      ? lstmState(state)
      : (([c0, h0]) => ({ c: c0, h: h0 }))(
          split(stateTensor(state, 'BasicLSTMCell'), 2, 1) as [Tensor, Tensor],
        );
    const gateInputs = biasAdd(
      matmul(concat([inputs, h], 1), this.kernel as Variable),
      this.bias as Variable,
    );
    const [i, j, f, o] = split(gateInputs, 4, 1) as [Tensor, Tensor, Tensor, Tensor];
    const newC = add(multiply(c, sigmoid(add(f, this.forgetBias))), multiply(sigmoid(i), this.activation(j)));
    const newH = multiply(this.activation(newC), sigmoid(o));
    return [newH, this.stateIsTuple ? new LSTMStateTuple(newC, newH) : concat([newC, newH], 1)];
  }
}

const optionalPositiveInt = kinds.nullable(
  kinds.custom<number>(
    'a positive integer',
    (v) => Number.isInteger(v) && (v as number) > 0,
    () => 1,
  ),
);
const optionalClip = kinds.nullable(kinds.number);
const LSTM_PARAMS = [
  numUnitsParam,
  param('usePeepholes', kinds.bool, { default: false }),
  param('cellClip', optionalClip, { default: null }),
  param('initializer', initializerKind, { default: null }),
  param('numProj', optionalPositiveInt, { default: null }),
  param('projClip', optionalClip, { default: null }),
  param('numUnitShards', optionalPositiveInt, { default: null }),
  param('numProjShards', optionalPositiveInt, { default: null }),
  param('forgetBias', kinds.number, { default: 1.0 }),
  param('stateIsTuple', kinds.bool, { default: true }),
  activationParam,
  reuseParam,
  nameParam,
  dtypeParam,
] as const;
const LSTM: Signature<typeof LSTM_PARAMS> = declareConstructor(
  'LSTMCell',
  LSTM_PARAMS,
  (...args: unknown[]) => new LSTMCell(...(args as CallForms<typeof LSTM_PARAMS>)),
);

/**
 * Long short-term memory cell (TF1's `LSTMCell`, Hochreiter & Schmidhuber 1997, with the optional
 * peepholes of Gers & Schmidhuber 2000 and the projection of Sak et al. 2014):
 * `[i, j, f, o] = W·[x, m] + b`;
 * `c' = σ(f + forgetBias + w_f∘c)∘c + σ(i + w_i∘c)∘act(j)` (peephole terms only with `usePeepholes`),
 * clipped to ±`cellClip`; `m' = σ(o + w_o∘c')∘act(c')`, then `m' = m'·P` (clipped to ±`projClip`) with
 * `numProj`. The state is `LSTMStateTuple(c, m)`; the output is `m`.
 * Variables (scope `lstm_cell`): `kernel` [input + (numProj ?? numUnits), 4·numUnits] (`initializer`,
 * default glorot uniform), `bias` [4·numUnits] (zeros), `w_f_diag`, `w_i_diag`, `w_o_diag` [numUnits]
 * (peepholes), `projection/kernel` [numUnits, numProj].
 *
 * @example
 * const cell = new tf.nn.rnnCell.LSTMCell(128, { usePeepholes: true, numProj: 64 });
 * const [outputs, state] = tf.nn.dynamicRnn(cell, x, { dtype: 'float32' }); // rnn/lstm_cell/kernel, …
 */
export class LSTMCell extends RNNCell {
  protected readonly baseName = 'lstm_cell';
  protected readonly className = 'LSTMCell';
  readonly numUnits: number;
  readonly usePeepholes: boolean;
  readonly cellClip: number | null;
  readonly numProj: number | null;
  readonly projClip: number | null;
  readonly forgetBias: number;
  /** TF1's `state_is_tuple`: false keeps the state as one tensor concat([c, m], 1). */
  readonly stateIsTuple: boolean;
  private readonly initializer: Initializer | undefined;
  private kernel: Variable | undefined;
  private bias: Variable | undefined;
  private peepholes: [Variable, Variable, Variable] | undefined;
  private projection: Variable | undefined;

  /**
   * TF1 `LSTMCell(num_units, use_peepholes=False, cell_clip=None, initializer=None, num_proj=None,
   * proj_clip=None, num_unit_shards=None, num_proj_shards=None, forget_bias=1.0, state_is_tuple=True,
   * activation=None, reuse=None, name=None, dtype=None)`.
   */
  constructor(...args: CallForms<typeof LSTM_PARAMS>) {
    const a = bindCall(LSTM, args);
    super(baseOptions(a));
    if (a.numUnitShards !== null || a.numProjShards !== null) {
      throw new InvalidArgumentError(
        'LSTMCell: numUnitShards / numProjShards (partitioned variables, deprecated in TF1) are not supported; leave them null',
      );
    }
    if (a.cellClip !== null && !(a.cellClip >= 0)) {
      throw new InvalidArgumentError(`LSTMCell: cellClip must be a non-negative number, got ${a.cellClip}`);
    }
    if (a.projClip !== null && !(a.projClip >= 0)) {
      throw new InvalidArgumentError(`LSTMCell: projClip must be a non-negative number, got ${a.projClip}`);
    }
    this.numUnits = a.numUnits;
    this.usePeepholes = a.usePeepholes;
    this.cellClip = a.cellClip;
    this.numProj = a.numProj;
    this.projClip = a.projClip;
    this.forgetBias = a.forgetBias;
    this.stateIsTuple = a.stateIsTuple;
    this.initializer = (a.initializer ?? undefined) as Initializer | undefined;
  }

  get stateSize(): LSTMStateTuple<number> | number {
    const m = this.numProj ?? this.numUnits;
    return this.stateIsTuple ? new LSTMStateTuple(this.numUnits, m) : this.numUnits + m;
  }
  get outputSize(): number {
    return this.numProj ?? this.numUnits;
  }

  protected build(depth: number, dtype: DType): void {
    const n = this.numUnits;
    const hDepth = this.numProj ?? n;
    this.kernel = this.addVariable('kernel', [depth + hDepth, 4 * n], dtype, this.initializer);
    this.bias = this.addVariable('bias', [4 * n], dtype, zerosInit());
    if (this.usePeepholes) {
      this.peepholes = [
        this.addVariable('w_f_diag', [n], dtype, this.initializer),
        this.addVariable('w_i_diag', [n], dtype, this.initializer),
        this.addVariable('w_o_diag', [n], dtype, this.initializer),
      ];
    }
    if (this.numProj !== null) {
      this.projection = this.addVariable('projection/kernel', [n, this.numProj], dtype, this.initializer);
    }
  }

  protected step(inputs: Tensor, state: RNNState): [Tensor, RNNState] {
    const n = this.numUnits;
    const { c: cPrev, h: mPrev } = this.stateIsTuple
      ? lstmState(state)
      : (([c0, m0]) => ({ c: c0, h: m0 }))(
          split(stateTensor(state, 'LSTMCell'), [n, this.numProj ?? n], 1) as [Tensor, Tensor],
        );
    const lstmMatrix = biasAdd(
      matmul(concat([inputs, mPrev], 1), this.kernel as Variable),
      this.bias as Variable,
    );
    const [i, j, f, o] = split(lstmMatrix, 4, 1) as [Tensor, Tensor, Tensor, Tensor];
    let c: Tensor;
    if (this.peepholes) {
      const [wf, wi] = this.peepholes;
      c = add(
        multiply(sigmoid(add(add(f, this.forgetBias), multiply(wf, cPrev))), cPrev),
        multiply(sigmoid(add(i, multiply(wi, cPrev))), this.activation(j)),
      );
    } else {
      c = add(multiply(sigmoid(add(f, this.forgetBias)), cPrev), multiply(sigmoid(i), this.activation(j)));
    }
    if (this.cellClip !== null) c = clipByValue(c, -this.cellClip, this.cellClip);
    let m = this.peepholes
      ? multiply(sigmoid(add(o, multiply(this.peepholes[2], c))), this.activation(c))
      : multiply(sigmoid(o), this.activation(c));
    if (this.projection) {
      m = matmul(m, this.projection);
      if (this.projClip !== null) m = clipByValue(m, -this.projClip, this.projClip);
    }
    return [m, this.stateIsTuple ? new LSTMStateTuple(c, m) : concat([c, m], 1)];
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

  readonly cells: readonly RNNCell[];
  /** TF1's `state_is_tuple`: false concatenates the cells' (single-tensor) states along axis 1. */
  readonly stateIsTuple: boolean;

  /** TF1 `MultiRNNCell(cells, state_is_tuple=True)`. */
  constructor(...args: CallForms<typeof MULTI_PARAMS>) {
    const a = bindCall(MULTI, args);
    super({});
    this.cells = a.cells;
    this.stateIsTuple = a.stateIsTuple;
    if (a.cells.length === 0)
      throw new InvalidArgumentError('Must specify at least one cell for MultiRNNCell.');
    if (!a.stateIsTuple && a.cells.some((c) => typeof c.stateSize !== 'number')) {
      throw new InvalidArgumentError(
        'MultiRNNCell(stateIsTuple=false) needs cells whose state is one tensor (e.g. BasicLSTMCell with stateIsTuple false)',
      );
    }
  }

  get stateSize(): StateSize[] | number {
    const sizes = this.cells.map((c) => c.stateSize);
    return this.stateIsTuple ? sizes : (sizes as number[]).reduce((p, q) => p + q, 0);
  }
  get outputSize(): number {
    return (this.cells[this.cells.length - 1] as RNNCell).outputSize;
  }

  protected build(): void {
    // The cells create their own variables on their first call.
  }

  protected step(inputs: Tensor, stateIn: RNNState): [Tensor, RNNState] {
    let state = stateIn;
    if (!this.stateIsTuple) {
      const sizes = this.cells.map((c) => c.stateSize as number);
      state = split(stateTensor(stateIn, 'MultiRNNCell'), sizes, 1);
    }
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
    return [cur, this.stateIsTuple ? newStates : concat(newStates as Tensor[], 1)];
  }
}
