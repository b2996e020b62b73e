import { InvalidArgumentError } from '../errors';
import { Graph, getDefaultGraph } from '../graph/graph';
import { gradients } from '../graph/gradients';
import { Operation, Tensor, TensorLike } from '../graph/tensor';
import { Variable, trainableVariables } from '../graph/variable';
import { isFullyDefined, mergeShapes, shapeToString } from '../graph/shape';
import { makeOp } from '../ops/op_def';
import { constant } from '../ops/state/constant';
import { zerosLike, onesLike } from '../ops/array/broadcast';
import { cast } from '../ops/math/builders';
import { shapeInput } from '../ops/fill/shape_arg';
import { bindCall, CallForms, Kind, kinds, param, Signature } from '../graph/signature';

/** A gradient paired with the variable it belongs to; the gradient is `null` where none flows. */
export type GradAndVar = [Tensor | null, Variable];

/** A hyperparameter: a number, a scalar Tensor (e.g. a placeholder or `exponentialDecay(...)`), or a function returning one. */
export type Hyperparameter = number | Tensor | (() => number | Tensor);

/** A hyperparameter's kind: a number, a scalar Tensor, or a function returning one (TF1's callables). */
export const hyperKind: Kind<Hyperparameter> = kinds.custom<Hyperparameter>(
  'a number, a scalar Tensor, or a function returning one',
  (v) => (typeof v === 'number' && !Number.isNaN(v)) || v instanceof Tensor || typeof v === 'function',
  () => 0.1,
);

/**
 * TF1's `use_locking`: one session executes a run's ops one after another, so every update is already
 * atomic with respect to the others; both values are accepted and give the same numbers.
 */
export const useLockingParam = param('useLocking', kinds.bool, { default: false });

const variableKind = kinds.custom<Variable>('a Variable', (v) => v instanceof Variable, undefined);
const varListKind = kinds.nullable(
  kinds.custom<Variable[]>(
    'a list of Variables',
    (v) => Array.isArray(v) && v.every((x) => x instanceof Variable),
    () => [],
  ),
);
const lossKind = kinds.custom<Tensor>('a Tensor', (v) => v instanceof Tensor, undefined);
/** TF1's GATE_NONE, GATE_OP, GATE_GRAPH. */
const gateKind = kinds.custom<0 | 1 | 2>('0 (GATE_NONE), 1 (GATE_OP) or 2 (GATE_GRAPH)', (v) =>
  [0, 1, 2].includes(v as number),
);

const gradientParams = [
  param('gateGradients', gateKind, { default: 1 as 0 | 1 | 2 }),
  param('aggregationMethod', kinds.nullable(kinds.int), { default: null as number | null }),
  param('colocateGradientsWithOps', kinds.bool, { default: false }),
] as const;
const gradLossParam = param('gradLoss', kinds.nullable(kinds.tensor), { default: null as TensorLike | null });
const globalStepParam = param('globalStep', kinds.nullable(variableKind), {
  default: null as Variable | null,
});
const nameParam = param('name', kinds.nullable(kinds.name), { default: null as string | null });

const COMPUTE_SIG = {
  fn: 'Optimizer.computeGradients',
  params: [
    param('loss', lossKind),
    param('varList', varListKind, { default: null }),
    ...gradientParams,
    gradLossParam,
  ] as const,
} satisfies Signature;
const APPLY_SIG = {
  fn: 'Optimizer.applyGradients',
  params: [
    param(
      'gradsAndVars',
      kinds.custom<GradAndVar[]>(
        'a list of [gradient, variable] pairs',
        (v) => Array.isArray(v),
        () => [],
      ),
    ),
    globalStepParam,
    nameParam,
  ] as const,
} satisfies Signature;
const MINIMIZE_SIG = {
  fn: 'Optimizer.minimize',
  params: [
    param('loss', lossKind),
    globalStepParam,
    param('varList', varListKind, { default: null }),
    ...gradientParams,
    nameParam,
    gradLossParam,
  ] as const,
} satisfies Signature;

/** Keyword options of `computeGradients` (TF1's names in camelCase). */
export type ComputeGradientsOptions = Omit<NonNullable<OptionsArg<typeof COMPUTE_SIG>>, 'loss'>;
/** Keyword options of `applyGradients`. */
export type ApplyGradientsOptions = Omit<NonNullable<OptionsArg<typeof APPLY_SIG>>, 'gradsAndVars'>;
/** Keyword options of `minimize`. */
export type MinimizeOptions = Omit<NonNullable<OptionsArg<typeof MINIMIZE_SIG>>, 'loss'>;
type OptionsArg<S extends Signature> = Extract<CallForms<S['params']>[number], Record<string, unknown>>;

/** Checks the gradient-computation arguments that have no effect on the numbers here (see `minimize`). */
function checkGradientArgs(fn: string, a: { aggregationMethod: number | null }): void {
  // TF1's AggregationMethod.ADD_N (= DEFAULT) is 0; the experimental tree/accumulate methods would sum
  // fan-out gradients in another order, which this differentiator does not implement.
  if (a.aggregationMethod !== null && a.aggregationMethod !== 0) {
    throw new InvalidArgumentError(
      `${fn}: aggregation_method ${a.aggregationMethod} is not supported; only AggregationMethod.ADD_N (0, the default) is`,
    );
  }
}

/** Collection that `applyGradients` adds its result to (TF1's `GraphKeys.TRAIN_OP`). */
export const TRAIN_OP = 'train_op';

/**
 * Base class of the TF1 optimizers: `computeGradients`, `applyGradients`, `minimize`, slot variables.
 * Subclasses implement `applyDense` (and optionally `createSlots`, `prepare`, `finish`), as in TF1.
 *
 * @example
 * const opt = new tf.train.GradientDescentOptimizer(0.1);
 * const gradsAndVars = opt.computeGradients(loss);
 * const train = opt.applyGradients(gradsAndVars, { globalStep: tf.train.getOrCreateGlobalStep() });
 * sess.run(train, feeds);
 */
export abstract class Optimizer {
  /** slot name → (variable → slot variable). */
  private readonly slots = new Map<string, Map<Variable, Variable>>();
  /** Variables that are not tied to one model variable (e.g. Adam's `beta1_power`), per graph. */
  private readonly nonSlot = new Map<Graph, Map<string, Variable>>();

  constructor(
    /** Default name scope of the update ops and name of the slots (`W/Adam`). */
    readonly name: string,
  ) {}

  /** TF1's `get_name()`: the optimizer's name. @example new tf.train.AdamOptimizer(0.1).getName(); // 'Adam' */
  getName(): string {
    return this.name;
  }

  /**
   * Adds ops that compute the gradient of `loss` with respect to each variable of `varList`.
   * Returns `[gradient, variable]` pairs; the gradient is `null` for variables that do not affect `loss`.
   *
   * @example
   * const gv = opt.computeGradients(loss, { varList: [W] });
   * const gv2 = opt.computeGradients(loss, [W, b]);   // TF1 positional: (loss, var_list, gate_gradients, …)
   */
  computeGradients(...args: CallForms<typeof COMPUTE_SIG.params>): GradAndVar[] {
    const a = bindCall(COMPUTE_SIG, args);
    checkGradientArgs(COMPUTE_SIG.fn, a);
    return this.gradientsOf(a.loss, a.varList, a.gradLoss, a.colocateGradientsWithOps);
  }

  private gradientsOf(
    loss: Tensor,
    vars: Variable[] | null,
    gradLoss: TensorLike | null,
    colocateGradientsWithOps: boolean,
  ): GradAndVar[] {
    const varList = vars ?? trainableVariables(loss.graph);
    if (varList.length === 0) throw new InvalidArgumentError('No variables to optimize.');
    assertValidDtypes([loss, ...varList]);
    const grads = gradients(loss, varList, {
      colocateGradientsWithOps,
      ...(gradLoss === null ? {} : { gradYs: [gradLoss] }),
    });
    return varList.map((v, i) => [grads[i] ?? null, v]);
  }

  /**
   * Adds the ops that apply `gradsAndVars` to their variables. With `globalStep`, the returned op is the
   * increment of the step, which runs after all the updates.
   *
   * @example
   * const clipped = gv.map(([g, v]) => [g && tf.clipByValue(g, -1, 1), v] as tf.train.GradAndVar);
   * const train = opt.applyGradients(clipped, { globalStep });
   */
  applyGradients(...args: CallForms<typeof APPLY_SIG.params>): Operation {
    const a = bindCall(APPLY_SIG, args);
    return this.apply(a.gradsAndVars, a.globalStep, a.name);
  }

  private apply(gradsAndVars: GradAndVar[], globalStep: Variable | null, name: string | null): Operation {
    if (gradsAndVars.length === 0) throw new InvalidArgumentError('No variables provided.');
    for (const [g, v] of gradsAndVars) {
      if (!(v instanceof Variable))
        throw new InvalidArgumentError(`applyGradients: ${String(v)} is not a Variable`);
      if (g !== null && !(g instanceof Tensor)) {
        throw new InvalidArgumentError(
          `Gradient must be convertible to a Tensor or IndexedSlices, or None: ${String(g)}`,
        );
      }
      if (g && mergeShapes(g.shape, v.shape) === undefined) {
        throw new InvalidArgumentError(
          `var and grad do not have the same shape${shapeToString(v.shape)} ${shapeToString(g.shape)} (variable ${v.opName}, gradient ${g.name})`,
        );
      }
    }
    const withGrad = gradsAndVars.filter((gv): gv is [Tensor, Variable] => gv[0] !== null);
    if (withGrad.length === 0) {
      throw new InvalidArgumentError(
        `No gradients provided for any variable: ${pyList(gradsAndVars.map(([, v]) => v))}.`,
      );
    }
    const graph = (withGrad[0] as [Tensor, Variable])[1].graph;
    return graph.asDefault(() => {
      outsideScopes(graph, () => this.createSlots(withGrad.map(([, v]) => v)));
      return graph.nameScope(name ?? this.name, () => {
        const scope = graph.currentScope;
        this.prepare();
        const updates: Operation[] = [];
        for (const [g, v] of withGrad) {
          const update = graph.nameScope(`update_${v.opName}`, () => this.applyDense(g, v));
          updates.push(update instanceof Tensor ? update.op : update);
        }
        let result: Operation;
        if (!globalStep) {
          result = this.finish(updates, scope, true);
        } else {
          const step = globalStep;
          const done = this.finish(updates, 'update', false);
          result = makeOp('AssignAdd', [step, 1], {}, undefined, graph, {
            exactName: scope,
            dtypeHint: step.dtype,
            controlInputs: [done],
          });
        }
        const trainOps = graph.getCollectionRef<Operation>(TRAIN_OP);
        if (!trainOps.includes(result)) trainOps.push(result);
        return result;
      });
    });
  }

  /**
   * `computeGradients` then `applyGradients`: the usual one-line training op.
   *
   * @example
   * const train = new tf.train.AdamOptimizer(1e-3).minimize(loss, { globalStep });
   * for (let i = 0; i < 100; i++) sess.run(train, feeds);
   * opt.minimize(loss, globalStep, [W, b]);   // TF1 positional: (loss, global_step, var_list, …)
   *
   * `gateGradients` (0, 1, 2) is accepted with no effect on the numbers: the session runs every
   * gradient before any update (GATE_GRAPH's guarantee). `colocateGradientsWithOps: true` places each
   * gradient op on the device of the forward op it differentiates (as `tf.gradients`).
   * `gradLoss` seeds the loss's gradient (TF1's `grad_ys`).
   */
  minimize(...args: CallForms<typeof MINIMIZE_SIG.params>): Operation {
    const a = bindCall(MINIMIZE_SIG, args);
    checkGradientArgs(MINIMIZE_SIG.fn, a);
    const loss = a.loss;
    const gradsAndVars = this.gradientsOf(loss, a.varList, a.gradLoss, a.colocateGradientsWithOps);
    if (gradsAndVars.every(([g]) => g === null)) {
      throw new InvalidArgumentError(
        'No gradients provided for any variable, check your graph for ops that do not support gradients, ' +
          `between variables ${pyList(gradsAndVars.map(([, v]) => v))} and loss ${loss.toString()}.`,
      );
    }
    return this.apply(gradsAndVars, a.globalStep, a.name);
  }

  /** Names of the slots this optimizer creates (`['m', 'v']` for Adam). @example opt.getSlotNames() */
  getSlotNames(): string[] {
    return [...this.slots.keys()].sort();
  }

  /**
   * The slot variable `name` created for `v` (e.g. Adam's `'m'`, which is named `W/Adam`), or `null`.
   *
   * @example
   * opt.getSlot(W, 'm')?.opName; // 'W/Adam'
   */
  getSlot(v: Variable, name: string): Variable | null {
    return this.slots.get(name)?.get(v) ?? null;
  }

  /** Every variable this optimizer created (slots and non-slot variables), in creation order. @example opt.variables() */
  variables(): Variable[] {
    const all = [...this.slots.values()].flatMap((m) => [...m.values()]);
    for (const m of this.nonSlot.values()) all.push(...m.values());
    return all.sort((a, b) => a.op.id - b.op.id);
  }

  /** Creates the slot variables of `varList` (called outside every name scope and control context). */
  protected createSlots(_varList: Variable[]): void {}

  /** Converts hyperparameters to tensors; runs inside the optimizer's name scope. */
  protected prepare(): void {}

  /** The update of one variable: an op or tensor whose execution applies `grad` to `v`. */
  protected abstract applyDense(grad: Tensor, v: Variable): Operation | Tensor;

  /** Groups the per-variable updates into one op named `name` (`exact`: the current scope's own name). */
  protected finish(updates: Operation[], name: string, exact: boolean): Operation {
    return groupOp(updates, name, exact);
  }

  /** Creates (once per variable) a slot `slotName` holding zeros (or `fill`) shaped like `v`, named `<v>/<optimizer name>`. */
  protected getOrMakeSlot(v: Variable, slotName: string, fill = 0): Variable {
    let bySlot = this.slots.get(slotName);
    if (!bySlot) this.slots.set(slotName, (bySlot = new Map()));
    const existing = bySlot.get(v);
    if (existing) return existing;
    const graph = v.graph;
    const slot = graph.asDefault(() =>
      outsideScopes(graph, () =>
        graph.nameScope(`${v.opName}/`, () => {
          const init = (): Tensor => {
            if (v.shape !== null && isFullyDefined(v.shape)) {
              // TF1 fills the slot with a Fill of the variable's shape: the graph stays small however
              // big the variable (a dense Const would store every element in the graph).
              const name = fill === 0 ? 'zeros' : 'Const';
              return graph.nameScope(name, () => {
                const scope = graph.currentScope;
                const dims = shapeInput('slot', v.shape as number[]);
                const value = constant(fill, v.dtype, undefined, 'Const');
                return makeOp('Fill', [dims, value], {}, undefined, graph, { exactName: scope })
                  .outputs[0] as Tensor;
              });
            }
            // Unknown static shape: take it from the variable's initial value (never from the variable itself).
            const base = fill === 0 ? zerosLike(v.initialValue) : onesLike(v.initialValue);
            return fill === 0 || fill === 1 ? base : base.mul(fill);
          };
          return new Variable(init, { name: this.name, trainable: false });
        }),
      ),
    );
    bySlot.set(v, slot);
    return slot;
  }

  /** A variable that belongs to the optimizer rather than to one model variable (created once per graph). */
  protected getOrMakeNonSlot(graph: Graph, name: string, initial: number): Variable {
    let byName = this.nonSlot.get(graph);
    if (!byName) this.nonSlot.set(graph, (byName = new Map()));
    const existing = byName.get(name);
    if (existing) return existing;
    const created = graph.asDefault(() =>
      outsideScopes(
        graph,
        () =>
          new Variable(() => constant(initial, 'float32', [], 'initial_value'), { name, trainable: false }),
      ),
    );
    byName.set(name, created);
    return created;
  }

  /** The non-slot variable `name` of `graph`, or throws. */
  protected nonSlotVariable(graph: Graph, name: string): Variable {
    const v = this.nonSlot.get(graph)?.get(name);
    if (!v) throw new Error(`internal: optimizer ${this.name} has no variable '${name}' in this graph`);
    return v;
  }
}

/** Converts a hyperparameter to a float32 tensor named `name` in the current scope (TF1's `_prepare`). */
export function hyperTensor(value: Hyperparameter, name: string): Tensor {
  const v = typeof value === 'function' ? value() : value;
  if (v instanceof Tensor) {
    if (v.shape !== null && v.shape.length !== 0) {
      throw new InvalidArgumentError(
        `${name} must be a scalar, got ${v.name} with shape ${shapeToString(v.shape)}`,
      );
    }
    return v.dtype === 'float32' ? v : cast(v, 'float32');
  }
  if (typeof v !== 'number')
    throw new InvalidArgumentError(`${name} must be a number or a scalar Tensor, got ${String(v)}`);
  return constant(v, 'float32', [], name);
}

/**
 * TF1's `init_scope` for graphs: no control dependencies, but the current name scope is kept ("entering an
 * init_scope preserves the name scope of the current context"), so Adam's `beta1_power` created by
 * `minimize` inside `tf.nameScope('train')` is `train/beta1_power`, as in TF1. (Slots name themselves
 * with an absolute scope, `<variable>/`.)
 */
function outsideScopes<T>(graph: Graph, fn: () => T): T {
  return graph.controlDependencies(null, fn);
}

/** A NoOp depending on `deps`; `exact` names it after the current scope itself (`Adam`), else `name` in it. */
export function groupOp(deps: Operation[], name: string, exact: boolean): Operation {
  const graph = deps[0]?.graph ?? getDefaultGraph();
  if (!exact) return makeOp('NoOp', [], {}, name, graph, { controlInputs: deps });
  return makeOp('NoOp', [], {}, undefined, graph, { controlInputs: deps, exactName: graph.currentScope });
}

function assertValidDtypes(tensors: Tensor[]): void {
  for (const t of tensors) {
    if (t.dtype !== 'float32')
      throw new InvalidArgumentError(`Invalid type ${t.dtype} for ${t.name}, expected: [float32].`);
  }
}

/** Python's `str()` of a list of variables, as TF1's messages print it. */
function pyList(vars: Variable[]): string {
  return `[${vars.map((v) => `"${v.toString()}"`).join(', ')}]`;
}
