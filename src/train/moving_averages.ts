import { InvalidArgumentError, UnimplementedError } from '../errors';
import { getDefaultGraph, Graph, GraphKeys } from '../graph/graph';
import { isFullyDefined, shapeToString } from '../graph/shape';
import { bindCall, CallForms, declareConstructor, kinds, param } from '../graph/signature';
import { Operation, Tensor, TensorLike } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { add, cast, divide, minimum, multiply, subtract } from '../ops/math/builders';
import { convertToTensor, makeOp } from '../ops/op_def';
import { zeros } from '../ops/fill/fill';

const PARAMS = [
  param('decay', kinds.tensor),
  param('numUpdates', kinds.nullable(kinds.tensor), { default: null as TensorLike | null }),
  param('zeroDebias', kinds.bool, { default: false }),
  param('name', kinds.name, { default: 'ExponentialMovingAverage' }),
] as const;
const SIG = declareConstructor(
  'train.ExponentialMovingAverage',
  PARAMS,
  (...a): unknown => new ExponentialMovingAverage(...(a as CallForms<typeof PARAMS>)),
);

const varListKind = kinds.nullable(
  kinds.custom<Tensor[]>(
    'a list of Variables or Tensors',
    (v) => Array.isArray(v) && v.every((x) => x instanceof Tensor),
  ),
);
const APPLY = {
  fn: 'ExponentialMovingAverage.apply',
  params: [param('varList', varListKind, { default: null })] as const,
};
const RESTORE = {
  fn: 'ExponentialMovingAverage.variablesToRestore',
  params: [param('movingAvgVariables', varListKind, { default: null })] as const,
};

/** TF1's `init_scope` for graphs: no name scope, no control dependencies. */
function outsideScopes<T>(graph: Graph, fn: () => T): T {
  return graph.nameScope('', () => graph.controlDependencies(null, fn));
}

/**
 * Moving averages of variables (TF1's `tf.train.ExponentialMovingAverage(decay, num_updates=None,
 * zero_debias=False, name='ExponentialMovingAverage')`). `apply(varList)` creates a non-trainable shadow
 * variable `<var>/ExponentialMovingAverage` per variable (initialized with the variable's initial value;
 * zeros for a plain tensor), adds the variables to `MOVING_AVERAGE_VARIABLES`, and returns an op that
 * updates every shadow with `shadow -= (1 - decay) * (shadow - var)`. With `numUpdates` the decay is
 * `min(decay, (1 + numUpdates) / (10 + numUpdates))`. `zeroDebias` (which TF1 applies to plain tensors
 * only) is not implemented: applying to a tensor with `zeroDebias: true` is an error.
 *
 * @example
 * const ema = new tf.train.ExponentialMovingAverage(0.999, tf.train.getOrCreateGlobalStep());
 * const trainOp = tf.controlDependencies([optOp], () => ema.apply([W, b]));
 * ema.average(W);               // the shadow variable 'W/ExponentialMovingAverage'
 * new tf.train.Saver(ema.variablesToRestore()); // restores W from its average
 */
export class ExponentialMovingAverage {
  readonly decay: TensorLike;
  readonly numUpdates: TensorLike | null;
  readonly zeroDebias: boolean;
  private readonly _name: string;
  private readonly averages = new Map<Tensor, Variable>();

  constructor(...args: CallForms<typeof PARAMS>) {
    const a = bindCall(SIG, args);
    this.decay = a.decay;
    this.numUpdates = a.numUpdates;
    this.zeroDebias = a.zeroDebias;
    this._name = a.name;
  }

  /** The name of this object (prefix of the update ops, suffix of the shadow variables' names). */
  get name(): string {
    return this._name;
  }

  /**
   * Creates the shadow variables of `varList` (default: the trainable variables) and returns the op that
   * updates them (TF1's `apply(var_list=None)`); may be called several times.
   *
   * @example
   * const maintainAverages = ema.apply([W]);
   */
  apply(...args: [varList?: Tensor[] | null]): Operation {
    const a = bindCall(APPLY, args);
    const graph = a.varList?.[0]?.graph ?? getDefaultGraph();
    const varList = a.varList ?? graph.getCollection<Variable>(GraphKeys.TRAINABLE_VARIABLES);
    for (const v of varList) {
      if (v.dtype !== 'float32')
        throw new TypeError(`The variables must be half, float, or double: ${v.name}`);
      if (v.graph !== graph)
        throw new InvalidArgumentError(`ExponentialMovingAverage.apply: ${v.name} is from another graph`);
    }
    return graph.asDefault(() => {
      for (const v of varList) {
        if (this.averages.has(v)) continue;
        if (!(v instanceof Variable) && this.zeroDebias) {
          throw new UnimplementedError(
            `ExponentialMovingAverage: zero_debias=True (for the tensor ${v.name}) is not supported; use zeroDebias: false or average a Variable`,
          );
        }
        this.averages.set(v, this.createShadow(graph, v));
        if (v instanceof Variable) graph.addToCollection(GraphKeys.MOVING_AVERAGE_VARIABLES, v);
      }
      return graph.nameScope(this._name, () => {
        const scope = graph.currentScope;
        let decay = convertToTensor(this.decay, 'float32', graph);
        if (decay.dtype !== 'float32') decay = cast(decay, 'float32');
        if (this.numUpdates !== null) {
          const n = cast(convertToTensor(this.numUpdates, undefined, graph), 'float32', 'num_updates');
          decay = minimum(decay, divide(add(1.0, n), add(10.0, n)));
        }
        const updates = varList.map((v) =>
          graph.nameScope('AssignMovingAvg', () => {
            const inner = graph.currentScope;
            const shadow = this.averages.get(v) as Variable;
            const oneMinus = subtract(1.0, decay, 'decay');
            const delta = multiply(subtract(shadow, v), oneMinus);
            return makeOp('AssignSub', [shadow, delta], {}, undefined, graph, { exactName: inner });
          }),
        );
        return makeOp('NoOp', [], {}, undefined, graph, { controlInputs: updates, exactName: scope });
      });
    });
  }

  private createShadow(graph: Graph, v: Tensor): Variable {
    return outsideScopes(graph, () =>
      graph.nameScope(`${v.op.name}/`, () => {
        if (v instanceof Variable) {
          return new Variable(v.initialValue, { name: this._name, trainable: false });
        }
        if (v.shape === null || !isFullyDefined(v.shape))
          throw new InvalidArgumentError(
            `ExponentialMovingAverage: the tensor ${v.name} needs a fully defined shape, got ${shapeToString(v.shape)}`,
          );
        const shape = v.shape;
        return new Variable(() => zeros(shape, v.dtype), { name: this._name, trainable: false });
      }),
    );
  }

  /**
   * The shadow variable of `v`, or `null` when `apply` has not averaged it (TF1's `average(var)`).
   *
   * @example
   * const avgW = ema.average(W);
   */
  average(v: Tensor): Variable | null {
    return this.averages.get(v) ?? null;
  }

  /**
   * The name of `v`'s shadow variable (TF1's `average_name(var)`), also before `apply`: the checkpoint key
   * under which the average is saved.
   *
   * @example
   * new tf.train.Saver({ [ema.averageName(W)]: W }); // restore W from its average
   */
  averageName(v: Tensor): string {
    const avg = this.averages.get(v);
    if (avg) return avg.opName;
    return v.graph.uniqueName(`${v.op.name}/${this._name}`, false);
  }

  /**
   * A map from checkpoint names to variables for a Saver that loads the averages into the variables
   * (TF1's `variables_to_restore(moving_avg_variables=None)`; default: the trainable and moving-average
   * variables); the other global variables are restored under their own names.
   *
   * @example
   * const saver = new tf.train.Saver(ema.variablesToRestore());
   */
  variablesToRestore(...args: [movingAvgVariables?: Tensor[] | null]): Record<string, Tensor> {
    const a = bindCall(RESTORE, args);
    const graph = getDefaultGraph();
    const list = a.movingAvgVariables ?? [
      ...graph.getCollection<Tensor>(GraphKeys.TRAINABLE_VARIABLES),
      ...graph.getCollection<Tensor>(GraphKeys.MOVING_AVERAGE_VARIABLES),
    ];
    const withAverage = new Set(list);
    const map: Record<string, Tensor> = {};
    for (const v of withAverage) map[this.averageName(v)] = v;
    const names = new Set([...withAverage].map((v) => v.name));
    for (const v of new Set(graph.getCollection<Tensor>(GraphKeys.GLOBAL_VARIABLES))) {
      if (!names.has(v.name) && !(v.op.name in map)) map[v.op.name] = v;
    }
    return map;
  }
}
