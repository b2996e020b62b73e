// The base of the RNN cells (TF1's RNNCell) and the LSTM state pair; the cells are in ./cells.ts.
import { InvalidArgumentError } from '../../errors';
import { bindCall, declareConstructor, kinds, param, Signature } from '../../graph/signature';
import { DType } from '../../graph/dtype';
import { nameScope } from '../../graph/graph';
import { shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { Variable } from '../../graph/variable';
import { getVariable, ReuseMode, variableScope, VariableScope } from '../../graph/variable_scope';
import { stack } from '../../ops/array/stack';
import { reshape } from '../../ops/array/reshape';
import { zeros } from '../../ops/fill/fill';
import { Initializer } from '../../ops/initializers';
import { tanh } from '../../ops/math/builders';
import { convertToTensor } from '../../ops/op_def';
import { flatten, packSequenceAs } from '../../ops/control/nest';

/**
 * The state of an LSTM cell: the memory `c` and the output `h` (TF1's `LSTMStateTuple`). A plain
 * `{ c, h }` object or a `[c, h]` array is accepted wherever one is expected.
 *
 * @example
 * const state = new tf.nn.rnnCell.LSTMStateTuple(c0, h0);
 */
export class LSTMStateTuple<T = Tensor> {
  readonly c: T;
  readonly h: T;
  /** TF1 `LSTMStateTuple(c, h)`, positional or `{ c, h }`. */
  constructor(...args: [c: T, h: T] | [{ c: T; h: T }]) {
    const a = bindCall(LSTM_STATE_TUPLE, args);
    this.c = a.c as T;
    this.h = a.h as T;
  }
  /** `state[0]`: the memory `c` (TF1's namedtuple index access). */
  get 0(): T {
    return this.c;
  }
  /** `state[1]`: the output `h`. */
  get 1(): T {
    return this.h;
  }
  /** 2, as for TF1's namedtuple. */
  get length(): 2 {
    return 2;
  }
  /** `const [c, h] = state`. */
  *[Symbol.iterator](): IterableIterator<T> {
    yield this.c;
    yield this.h;
  }
}

const stateLeaf = kinds.custom<unknown>(
  'a Tensor (or, for state sizes, an integer; for dropout state filters, a boolean)',
  (v) => v instanceof Tensor || Number.isInteger(v) || typeof v === 'boolean',
  () => 1,
);
const LSTM_STATE_TUPLE_PARAMS = [param('c', stateLeaf), param('h', stateLeaf)] as const;
const LSTM_STATE_TUPLE: Signature<typeof LSTM_STATE_TUPLE_PARAMS> = declareConstructor(
  'LSTMStateTuple',
  LSTM_STATE_TUPLE_PARAMS,
  (...args: unknown[]) => new LSTMStateTuple(...(args as [unknown, unknown])),
);

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
  call(
    inputs: TensorLike,
    state: RNNState,
    ...scopeArg: (string | VariableScope | null | { scope?: string | VariableScope | null })[]
  ): [Tensor, RNNState] {
    const given = cellScope(this.className, scopeArg);
    const x = convertToTensor(inputs);
    if (!this.scope) {
      // TF1's `cell(inputs, state, scope=...)`: the first call's scope becomes the cell's own scope
      // (variables `<scope>/kernel`); without it the cell opens `<name or base name>` (made unique).
      const open = <T>(fn: (scope: VariableScope) => T): T =>
        given !== null
          ? variableScope(given, fn)
          : variableScope(this.options.name ?? null, { defaultName: this.baseName }, fn);
      return open((scope) => {
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

  /** The variable scope a wrapper's step runs in when `cell(inputs, state, scope)` names one. */
  protected withCallScope<T>(scopeArg: readonly unknown[], fn: () => T): T {
    const given = cellScope(this.className, scopeArg);
    return given === null ? fn() : variableScope(given, () => fn());
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

const CELL_CALL_PARAMS = [
  param(
    'scope',
    kinds.nullable(
      kinds.custom<string | VariableScope>(
        'a scope name or a VariableScope',
        (v) => typeof v === 'string' || v instanceof VariableScope,
        () => 'rnn',
        true,
      ),
    ),
    { default: null as string | VariableScope | null },
  ),
] as const;

/** The optional `scope` of TF1's `cell(inputs, state, scope=None)`: positional, or `{ scope }`. */
function cellScope(className: string, rest: readonly unknown[]): string | VariableScope | null {
  if (rest.length === 0) return null;
  return bindCall({ fn: `${className}.call`, params: CELL_CALL_PARAMS }, rest).scope;
}

/** Zeros [batch, size]; a tensor batch size keeps the static size of the second dim. */
function zeroRows(batch: number | Tensor, size: number, dtype: DType): Tensor {
  if (typeof batch === 'number') return zeros([batch, size], dtype);
  const z = zeros(stack([batch, size]), dtype);
  return reshape(z, [-1, size]);
}

/** The `{ c, h }` of an LSTM state given as an LSTMStateTuple, a `{ c, h }` object or a `[c, h]` pair. */
export function lstmState(state: RNNState): { c: Tensor; h: Tensor } {
  if (Array.isArray(state) && state.length === 2) return { c: state[0] as Tensor, h: state[1] as Tensor };
  const s = state as { c?: unknown; h?: unknown };
  if (s && s.c instanceof Tensor && s.h instanceof Tensor) return { c: s.c, h: s.h };
  throw new InvalidArgumentError('An LSTM state must be an LSTMStateTuple (c, h)');
}

export function stateTensor(state: RNNState, what: string): Tensor {
  if (state instanceof Tensor) return state;
  throw new InvalidArgumentError(`${what}: the state must be a single tensor`);
}
