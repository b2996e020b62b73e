// RNN cell wrappers (TF1's `DropoutWrapper`, `ResidualWrapper`): they run the wrapped cell in the
// caller's variable scope (no scope of their own, so the variables keep the wrapped cell's names).
import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { nameScope } from '../../graph/graph';
import { shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import type { VariableScope } from '../../graph/variable_scope';
import { bindCall, CallForms, declareConstructor, kinds, param, Signature } from '../../graph/signature';
import { NDArray } from '../../ndarray';
import { add, divide, floor, multiply } from '../../ops/math/builders';
import { convertToTensor } from '../../ops/op_def';
import { randomUniform } from '../../ops/random/random_uniform';
import { dropout } from '../dropout';
import { LSTMStateTuple, RNNCell, RNNState, StateSize } from './cell_base';
import { BasicRNNCell } from './cells';

/** Base of the wrappers: state and output sizes, zero state and variables are the wrapped cell's. */
abstract class RNNCellWrapper extends RNNCell {
  readonly cell: RNNCell;

  constructor(cell: RNNCell) {
    super({});
    this.cell = cell;
  }

  get stateSize(): StateSize {
    return this.cell.stateSize;
  }
  get outputSize(): number {
    return this.cell.outputSize;
  }

  /** The wrapped cell (TF1's `wrapped_cell`). */
  get wrappedCell(): RNNCell {
    return this.cell;
  }

  protected build(): void {
    // The wrapped cell creates its own variables on its first call.
  }

  /** Runs one step (no variable scope of its own: the wrapped cell opens its scope). */
  override call(
    inputs: TensorLike,
    state: RNNState,
    ...scopeArg: (string | VariableScope | null | { scope?: string | VariableScope | null })[]
  ): [Tensor, RNNState] {
    const result = this.withCallScope(scopeArg, () => this.step(convertToTensor(inputs), state));
    this.variables.splice(0, this.variables.length, ...this.cell.variables);
    return result;
  }

  /** The wrapped cell's zero state, under the name scope `<Wrapper>ZeroState`. */
  override zeroState(batchSize: number | Tensor, dtype: DType = 'float32'): RNNState {
    return nameScope(`${this.className}ZeroState`, () => this.cell.zeroState(batchSize, dtype));
  }
}

const cellParam = param(
  'cell',
  kinds.custom<RNNCell>(
    'an RNN cell (tf.nn.rnnCell.*)',
    (v) => v instanceof RNNCell,
    () => new BasicRNNCell(1),
  ),
);
const keepProbKind = kinds.union(
  kinds.number,
  kinds.custom<Tensor>('a scalar float32 Tensor', (v) => v instanceof Tensor),
);
/** A nested structure of integers (TF1's `input_size`: depths). */
const sizesKind = kinds.nullable(
  kinds.custom<StateSize>('an integer depth or a nested structure of them', function isSizes(v): boolean {
    if (Number.isInteger(v)) return true;
    if (Array.isArray(v)) return v.every(isSizes);
    return v instanceof LSTMStateTuple && isSizes(v.c) && isSizes(v.h);
  }),
);

const DROPOUT_PARAMS = [
  cellParam,
  param('inputKeepProb', keepProbKind, { default: 1.0 as number | Tensor }),
  param('outputKeepProb', keepProbKind, { default: 1.0 as number | Tensor }),
  param('stateKeepProb', keepProbKind, { default: 1.0 as number | Tensor }),
  param('variationalRecurrent', kinds.bool, { default: false }),
  param('inputSize', sizesKind, { default: null }),
  param('dtype', kinds.nullable(kinds.dtype), { default: null }),
  param('seed', kinds.nullable(kinds.int), { default: null }),
  param('dropoutStateFilterVisitor', kinds.nullable(kinds.fn), { default: null }),
] as const;
const DROPOUT: Signature<typeof DROPOUT_PARAMS> = declareConstructor(
  'DropoutWrapper',
  DROPOUT_PARAMS,
  (...args: unknown[]) => new DropoutWrapper(...(args as CallForms<typeof DROPOUT_PARAMS>)),
);

/** A filter tree: `true`/`false` for a whole subtree, or a structure of them (TF1's shallow structure). */
type Filter = boolean | readonly Filter[] | { readonly c: Filter; readonly h: Filter };

/** The children of a structure node (arrays, LSTMStateTuples, `{ c, h }` records), or null for a leaf. */
function childrenOf(x: unknown): unknown[] | null {
  if (x instanceof Tensor || x === null || typeof x !== 'object') return null;
  if (Array.isArray(x)) return x as unknown[];
  const o = x as Record<string, unknown>;
  return Object.keys(o)
    .sort()
    .map((k) => o[k]);
}
/** Rebuilds node `like` with `children` (an LSTMStateTuple stays one). */
function withChildren(like: unknown, children: unknown[]): unknown {
  if (Array.isArray(like)) return children;
  if (like instanceof LSTMStateTuple) return new LSTMStateTuple(children[0] as Tensor, children[1] as Tensor);
  const keys = Object.keys(like as object).sort();
  return Object.fromEntries(keys.map((k, i) => [k, children[i]]));
}

/** TF1's `nest.get_traverse_shallow_structure(visitor, state)`. */
function traverseShallow(visitor: (s: unknown) => unknown, structure: unknown): Filter {
  const decision = visitor(structure);
  const kids = childrenOf(structure);
  if (kids === null) {
    if (typeof decision !== 'boolean') {
      throw new TypeError(
        `dropoutStateFilterVisitor must return a boolean for a single tensor, got ${String(decision)}`,
      );
    }
    return decision;
  }
  if (typeof decision === 'boolean') {
    if (!decision) return false;
    return withChildren(
      structure,
      kids.map((k) => traverseShallow(visitor, k)),
    ) as Filter;
  }
  const flags = childrenOf(decision);
  if (flags === null || flags.length !== kids.length) {
    throw new TypeError(
      'dropoutStateFilterVisitor must return a boolean or a structure of booleans shaped like the state level it is given',
    );
  }
  return withChildren(
    structure,
    kids.map((k, i) => {
      const t = flags[i];
      if (typeof t !== 'boolean')
        throw new TypeError('dropoutStateFilterVisitor returned a non-boolean entry');
      return t ? traverseShallow(visitor, k) : false;
    }),
  ) as Filter;
}

/** TF1's default filter: never drop the memory `c` of an LSTM state; drop everything else. */
function defaultStateFilter(s: unknown): unknown {
  if (s instanceof LSTMStateTuple) return new LSTMStateTuple(false as never, true as never);
  return true;
}

/** A short deterministic hash of `seed` and a salt: the per-tensor seeds (TF1's `_gen_seed`). */
function genSeed(seed: number | null, prefix: string, index: number): number | null {
  if (seed === null) return null;
  let h = 0x811c9dc5;
  for (const ch of `${seed}${prefix}_${index}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

/** The number of a keep probability known at build time (a number or a Const tensor), else null. */
function constantProb(p: number | Tensor): number | null {
  if (typeof p === 'number') return p;
  if (p.op.type === 'Const') {
    const v = p.op.attrs.value as NDArray;
    if (v.size === 1) return Number(v.data[0]);
  }
  return null;
}

/**
 * Dropout on the inputs, outputs and/or new state of a cell (TF1's `DropoutWrapper`). A keep
 * probability of exactly 1 skips that dropout; a tensor (e.g. a placeholder fed 1.0 at test time) is
 * applied on every call. With `variationalRecurrent` (Gal & Ghahramani 2016) one mask per input,
 * state and output tensor is drawn once, when the wrapper is built, and reused at every time step
 * (and shared across the batch); `dtype` is then required, and `inputSize` when `inputKeepProb < 1`.
 * The state filter (default: never drop an LSTM state's `c`) says which state tensors get dropout.
 * Known limit: gradients through `tf.nn.dynamicRnn` (a while loop) of a wrapper whose keep
 * probabilities may be < 1 are refused (the loop gradient cannot replay the per-step random masks);
 * `variationalRecurrent` (masks drawn once, outside the loop) and `tf.nn.staticRnn` train.
 *
 * @example
 * const keepProb = tf.placeholderWithDefault(1.0, []);
 * const cell = new tf.nn.rnnCell.DropoutWrapper(new tf.nn.rnnCell.LSTMCell(128), { outputKeepProb: keepProb });
 */
export class DropoutWrapper extends RNNCellWrapper {
  protected readonly baseName = 'dropout_wrapper';
  protected readonly className = 'DropoutWrapper';
  readonly inputKeepProb: number | Tensor;
  readonly outputKeepProb: number | Tensor;
  readonly stateKeepProb: number | Tensor;
  readonly variationalRecurrent: boolean;
  readonly seed: number | null;
  private readonly stateFilter: (s: unknown) => unknown;
  private readonly noise: { input: Tensor[] | null; state: Tensor[] | null; output: Tensor[] | null } = {
    input: null,
    state: null,
    output: null,
  };

  /**
   * TF1 `DropoutWrapper(cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
   * variational_recurrent=False, input_size=None, dtype=None, seed=None,
   * dropout_state_filter_visitor=None)`.
   */
  constructor(...args: CallForms<typeof DROPOUT_PARAMS>) {
    const a = bindCall(DROPOUT, args);
    super(a.cell);
    const probs: [string, number | Tensor][] = [
      ['input_keep_prob', a.inputKeepProb],
      ['state_keep_prob', a.stateKeepProb],
      ['output_keep_prob', a.outputKeepProb],
    ];
    const values = probs.map(([attr, p]) => {
      const c = constantProb(p);
      if (c !== null && !(c >= 0 && c <= 1)) {
        throw new InvalidArgumentError(`Parameter ${attr} must be between 0 and 1: ${c}`);
      }
      if (c === null && (p as Tensor).shape !== null && (p as Tensor).shape!.length !== 0) {
        throw new InvalidArgumentError(
          `Parameter ${attr} must be a scalar, got shape ${shapeToString((p as Tensor).shape)}`,
        );
      }
      return c ?? p;
    });
    [this.inputKeepProb, this.stateKeepProb, this.outputKeepProb] = values as [
      number | Tensor,
      number | Tensor,
      number | Tensor,
    ];
    this.variationalRecurrent = a.variationalRecurrent;
    this.seed = a.seed;
    this.stateFilter =
      (a.dropoutStateFilterVisitor as ((s: unknown) => unknown) | null) ?? defaultStateFilter;
    if (a.variationalRecurrent) {
      const dtype = a.dtype;
      if (dtype === null)
        throw new InvalidArgumentError('When variational_recurrent=True, dtype must be provided');
      nameScope('DropoutWrapperInit', () => {
        const batchNoise = (sizes: StateSize, prefix: string): Tensor[] =>
          flattenSizes(sizes).map((s, i) =>
            randomUniform([1, s], { dtype, seed: genSeed(a.seed, prefix, i) }),
          );
        if (typeof this.inputKeepProb !== 'number' || this.inputKeepProb < 1) {
          if (a.inputSize === null) {
            throw new InvalidArgumentError(
              'When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, input_size must be provided',
            );
          }
          this.noise.input = batchNoise(a.inputSize, 'input');
        }
        this.noise.state = batchNoise(a.cell.stateSize, 'state');
        this.noise.output = batchNoise(a.cell.outputSize, 'output');
      });
    }
    // Without variationalRecurrent, TF1 ignores inputSize and dtype (accepted for its call forms).
  }

  /** Dropout on the tensors of `values` whose filter entry is true (leaf index: the seed salt). */
  private dropoutTree(
    values: unknown,
    filter: Filter,
    prefix: string,
    keepProb: number | Tensor,
    noise: Tensor[] | null,
  ): unknown {
    let index = 0;
    const visit = (v: unknown, f: Filter): unknown => {
      const kids = childrenOf(v);
      if (typeof f === 'boolean') {
        if (kids === null) {
          const i = index++;
          return f ? this.dropOne(v as Tensor, prefix, i, keepProb, noise) : v;
        }
        if (!f) {
          index += countLeaves(v);
          return v;
        }
        return withChildren(
          v,
          kids.map((k) => visit(k, true)),
        );
      }
      const flags = childrenOf(f) as Filter[];
      return withChildren(
        v,
        (kids ?? []).map((k, i) => visit(k, flags[i] as Filter)),
      );
    };
    return visit(values, filter);
  }

  private dropOne(
    v: Tensor,
    prefix: string,
    i: number,
    keepProb: number | Tensor,
    noise: Tensor[] | null,
  ): Tensor {
    if (!this.variationalRecurrent) return dropout(v, { keepProb, seed: genSeed(this.seed, prefix, i) });
    const n = noise?.[i];
    if (!n) throw new InvalidArgumentError(`DropoutWrapper: no variational noise for ${prefix} tensor ${i}`);
    // uniform [keep_prob, 1 + keep_prob) floored: 1 with probability keep_prob.
    return multiply(divide(v, keepProb), floor(add(keepProb, n)));
  }

  protected step(inputs: Tensor, state: RNNState): [Tensor, RNNState] {
    const should = (p: number | Tensor): boolean => typeof p !== 'number' || p < 1;
    let x = inputs;
    if (should(this.inputKeepProb)) {
      x = this.dropoutTree(x, true, 'input', this.inputKeepProb, this.noise.input) as Tensor;
    }
    const [out, newState] = this.cell.call(x, state);
    let s = newState;
    if (should(this.stateKeepProb)) {
      const filter = traverseShallow(this.stateFilter, newState);
      s = this.dropoutTree(newState, filter, 'state', this.stateKeepProb, this.noise.state) as RNNState;
    }
    let o = out;
    if (should(this.outputKeepProb)) {
      o = this.dropoutTree(out, true, 'output', this.outputKeepProb, this.noise.output) as Tensor;
    }
    return [o, s];
  }
}

function countLeaves(v: unknown): number {
  const kids = childrenOf(v);
  return kids === null ? 1 : kids.reduce((n: number, k) => n + countLeaves(k), 0);
}
function flattenSizes(s: StateSize): number[] {
  if (typeof s === 'number') return [s];
  if (s instanceof LSTMStateTuple) return [...flattenSizes(s.c), ...flattenSizes(s.h)];
  return (s as readonly StateSize[]).flatMap(flattenSizes);
}

const RESIDUAL_PARAMS = [
  cellParam,
  param('residualFn', kinds.nullable(kinds.fn), { default: null }),
] as const;
const RESIDUAL: Signature<typeof RESIDUAL_PARAMS> = declareConstructor(
  'ResidualWrapper',
  RESIDUAL_PARAMS,
  (...args: unknown[]) => new ResidualWrapper(...(args as CallForms<typeof RESIDUAL_PARAMS>)),
);

/**
 * Adds the cell's inputs to its outputs (TF1's `ResidualWrapper`): `output = inputs + cell(inputs)`,
 * or `residualFn(inputs, outputs)`; the state is the cell's. The default needs outputs shaped like the
 * inputs.
 *
 * @example
 * const cell = new tf.nn.rnnCell.ResidualWrapper(new tf.nn.rnnCell.GRUCell(64)); // inputs of depth 64
 */
export class ResidualWrapper extends RNNCellWrapper {
  protected readonly baseName = 'residual_wrapper';
  protected readonly className = 'ResidualWrapper';
  private readonly residualFn: ((inputs: Tensor, outputs: Tensor) => Tensor) | null;

  /** TF1 `ResidualWrapper(cell, residual_fn=None)`. */
  constructor(...args: CallForms<typeof RESIDUAL_PARAMS>) {
    const a = bindCall(RESIDUAL, args);
    super(a.cell);
    this.residualFn = a.residualFn as ((inputs: Tensor, outputs: Tensor) => Tensor) | null;
  }

  protected step(inputs: Tensor, state: RNNState): [Tensor, RNNState] {
    const [out, newState] = this.cell.call(inputs, state);
    if (this.residualFn) return [this.residualFn(inputs, out), newState];
    const a = inputs.shape;
    const b = out.shape;
    if (
      a !== null &&
      b !== null &&
      (a.length !== b.length || a.some((d, i) => d !== null && b[i] !== null && d !== b[i]))
    ) {
      throw new InvalidArgumentError(`Shapes ${shapeToString(a)} and ${shapeToString(b)} are incompatible`);
    }
    return [add(inputs, out), newState];
  }
}
