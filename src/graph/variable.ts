import { DType } from './dtype';
import { InvalidArgumentError } from '../errors';
import { getDefaultGraph, Graph, GraphKeys } from './graph';
import { Operation, Tensor, TensorLike } from './tensor';
import { makeOp, makeTensor } from '../ops/op_def';
import { castNDArray, NDArray, toNDArray } from '../ndarray';
import '../ops/state/variable_ops';
import {
  bindCall,
  declare,
  CallForms,
  declareConstructor,
  INVALID,
  kinds,
  OptionsOf,
  param,
  Signature,
} from './signature';
import { shapeToString } from './shape';

const nullOnly = (what: string) =>
  kinds.custom<null>(
    `null (${what} is not supported)`,
    (v) => v === null,
    () => null,
  );
const initialValueKind = kinds.custom<TensorLike | (() => TensorLike)>(
  'a Tensor, a value convertible to one, or a function returning one',
  (v) => typeof v === 'function' || kinds.tensor.parse(v) !== INVALID,
  () => 0,
);
const shapeKind = kinds.custom<(number | null)[]>(
  'a list of sizes (integers or null)',
  (v) => Array.isArray(v) && v.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 0)),
);

/** TF1's `tf.Variable` (VariableV1) signature, in its positional order. */
const PARAMS = [
  param('initialValue', initialValueKind),
  param('trainable', kinds.nullable(kinds.bool), { default: null as boolean | null }),
  param(
    'collections',
    kinds.nullable(
      kinds.custom<string[]>(
        'a list of collection names',
        (v) => Array.isArray(v) && v.every((c) => typeof c === 'string'),
      ),
    ),
    { default: null as string[] | null },
  ),
  param(
    'validateShape',
    kinds.custom<true>('true (validate_shape=False is not supported)', (v) => v === true),
    { default: true as const },
  ),
  param('cachingDevice', nullOnly('caching_device'), { default: null }),
  param('name', kinds.nullable(kinds.name), { default: null as string | null }),
  param('variableDef', nullOnly('variable_def'), { default: null }),
  param('dtype', kinds.nullable(kinds.dtype), { default: null as DType | null }),
  param('expectedShape', kinds.nullable(shapeKind), { default: null as (number | null)[] | null }),
  param('importScope', nullOnly('import_scope'), { default: null }),
  param('constraint', nullOnly('constraint'), { default: null }),
  param(
    'useResource',
    kinds.custom<boolean | null>(
      'null or false (resource variables are not supported)',
      (v) => v === null || v === false,
    ),
    { default: null as boolean | null },
  ),
  param('synchronization', nullOnly('synchronization'), { default: null }),
  param('aggregation', nullOnly('aggregation'), { default: null }),
  param('shape', kinds.nullable(shapeKind), { default: null as (number | null)[] | null }),
] as const;
const SIG = declareConstructor('Variable', PARAMS, (...a): unknown => new Variable(...(a as [never])));

const UPDATE_PARAMS = [
  param('value', kinds.tensor),
  param('useLocking', kinds.nullable(kinds.bool), { default: null as boolean | null }),
  param('name', kinds.nullable(kinds.name), { default: null as string | null }),
  param('readValue', kinds.bool, { default: true }),
] as const;
const ASSIGN_SIG: Signature<typeof UPDATE_PARAMS> = { fn: 'Variable.assign', params: UPDATE_PARAMS };
const ASSIGN_ADD_SIG: Signature<typeof UPDATE_PARAMS> = { fn: 'Variable.assignAdd', params: UPDATE_PARAMS };
const ASSIGN_SUB_SIG: Signature<typeof UPDATE_PARAMS> = { fn: 'Variable.assignSub', params: UPDATE_PARAMS };

/** Keyword options of `new tf.Variable(initialValue, options)` (TF1's keyword names in camelCase). */
export type VariableOptions = OptionsOf<typeof PARAMS>;

/**
 * A tensor whose value persists across `Session.run` calls — TF1's `tf.Variable(initial_value,
 * trainable=None, collections=None, validate_shape=True, caching_device=None, name=None,
 * variable_def=None, dtype=None, expected_shape=None, import_scope=None, constraint=None,
 * use_resource=None, synchronization, aggregation, shape=None)`, positionally or by keyword; a string
 * as the last argument is the name. Options this framework does not implement (caching_device,
 * constraint, variable_def, …) are rejected unless null; `shape`/`expectedShape` must match the
 * initial value's shape. Its value belongs to the session: run its
 * `initializer` (or `tf.globalVariablesInitializer()`) first. Usable wherever a Tensor is expected.
 *
 * @example
 * const W = new tf.Variable(tf.zeros([784, 10]), { name: 'W' });
 * const y = tf.matmul(x, W);
 * sess.run(tf.globalVariablesInitializer());
 * sess.run(W.assignAdd(tf.onesLike(W)));
 */
export class Variable extends Tensor {
  /** The op that sets the variable to its initial value. */
  readonly initializer: Operation;
  /** The tensor that computes the initial value. */
  readonly initialValue: Tensor;
  readonly trainable: boolean;
  private readonly snapshot: Tensor;

  constructor(...args: CallForms<typeof PARAMS>) {
    const a = bindCall(SIG, args);
    const initialValue = a.initialValue;
    const options = {
      name: a.name ?? undefined,
      dtype: a.dtype ?? undefined,
      trainable: a.trainable ?? true,
      collections: a.collections ?? [],
    };
    const graph = initialValue instanceof Tensor ? initialValue.graph : getDefaultGraph();
    const built = graph.nameScope(options.name ?? 'Variable', () => {
      const scope = graph.currentScope;
      const raw = typeof initialValue === 'function' ? initialValue() : initialValue;
      const source = raw instanceof NDArray && options.dtype ? castNDArray(raw, options.dtype) : raw;
      let init =
        raw instanceof Tensor
          ? raw
          : initialValueConst(source as Exclude<TensorLike, Tensor>, options.dtype, graph);
      if (options.dtype && init.dtype !== options.dtype)
        init = makeTensor('Cast', [init], { DstT: options.dtype }, 'Cast');
      for (const [what, want] of [
        ['shape', a.shape],
        ['expected_shape', a.expectedShape],
      ] as const) {
        const have = init.shape;
        if (
          want !== null &&
          have !== null &&
          (want.length !== have.length ||
            want.some((d, i) => d !== null && have[i] !== null && d !== have[i]))
        ) {
          throw new InvalidArgumentError(
            `Variable: ${what} ${shapeToString(want)} is not compatible with the initial value's shape ${shapeToString(have)}`,
          );
        }
      }
      const varOp = makeOp('VariableV2', [], { shape: init.shape, dtype: init.dtype }, undefined, graph, {
        exactName: scope,
      });
      return { varOp, init };
    });
    super(built.varOp, 0, built.init.shape, built.init.dtype);
    built.varOp.outputs[0] = this;
    this.initialValue = built.init;
    this.trainable = options.trainable;
    const scoped = <T>(fn: () => T): T => graph.nameScope(`${built.varOp.name}/`, fn);
    this.initializer = scoped(() => makeOp('Assign', [this, built.init], {}, 'Assign', graph));
    this.snapshot = scoped(() => makeTensor('Identity', [this], {}, 'read'));
    graph.addToCollection(GraphKeys.GLOBAL_VARIABLES, this);
    if (this.trainable) graph.addToCollection(GraphKeys.TRAINABLE_VARIABLES, this);
    for (const c of options.collections) graph.addToCollection(c, this);
  }

  /** The variable's op name (`'W'`); `name` is the tensor name `'W:0'`. */
  get opName(): string {
    return this.op.name;
  }

  /** A tensor that reads the variable (`W/read:0`). */
  value(): Tensor {
    return this.snapshot;
  }

  /**
   * Sets the variable to `value` and yields the new value — TF1's `Variable.assign(value,
   * use_locking=None, name=None, read_value=True)`. `readValue: false` (TF1 then returns the op) is
   * rejected: take `.op` of the result instead.
   *
   * @example
   * sess.run(W.assign(tf.zeros([784, 10])));
   */
  assign(...args: CallForms<typeof UPDATE_PARAMS>): Tensor {
    return this.update('Assign', ASSIGN_SIG, args);
  }

  /** `variable += delta` — TF1's `assign_add(delta, use_locking=None, name=None, read_value=True)`. @example sess.run(step.assignAdd(1)) */
  assignAdd(...args: CallForms<typeof UPDATE_PARAMS>): Tensor {
    return this.update('AssignAdd', ASSIGN_ADD_SIG, args);
  }

  /** `variable -= delta` — TF1's `assign_sub(delta, use_locking=None, name=None, read_value=True)`. @example W.assignSub(tf.multiply(lr, g)) */
  assignSub(...args: CallForms<typeof UPDATE_PARAMS>): Tensor {
    return this.update('AssignSub', ASSIGN_SUB_SIG, args);
  }

  private update(type: string, sig: Signature<typeof UPDATE_PARAMS>, args: readonly unknown[]): Tensor {
    const a = bindCall(sig, args);
    if (!a.readValue) {
      throw new InvalidArgumentError(
        `${sig.fn}: read_value=False is not supported (it returns the op): use ${sig.fn}(...).op instead`,
      );
    }
    return makeTensor(type, [this, a.value], {}, a.name ?? type, this.dtype);
  }

  override toString(): string {
    return `<tf.Variable '${this.name}' shape=${JSON.stringify(this.shape)} dtype=${this.dtype}>`;
  }
}

/** Plain initial values become a Const with TF1's name `<var>/initial_value`. */
function initialValueConst(
  value: Exclude<TensorLike, Tensor>,
  dtype: DType | undefined,
  graph: Graph,
): Tensor {
  const arr = toNDArray(value, dtype);
  return makeOp('Const', [], { value: arr, dtype: arr.dtype }, 'initial_value', graph).outputs[0] as Tensor;
}

/** Every variable created in the default graph (TF1's `global_variables()`). */
/** The scope argument of globalVariables/trainableVariables: positional, or TF1's keyword `{ scope }`. */
export type VariablesScopeArg = string | Graph | null | undefined | { scope?: string | null };

function scopeOf(fn: string, arg: unknown): string | Graph | null | undefined {
  if (arg === undefined || arg === null || typeof arg === 'string' || arg instanceof Graph) return arg;
  if (typeof arg === 'object' && !Array.isArray(arg)) {
    const bad = Object.keys(arg).find((k) => k !== 'scope');
    if (bad !== undefined)
      throw new TypeError(`${fn}() got an unexpected keyword argument '${bad}'; accepted: scope`);
    const s = (arg as { scope?: unknown }).scope;
    if (s === undefined || s === null || typeof s === 'string') return s;
  }
  throw new TypeError(
    `${fn}(): scope must be a string (a regular expression matched against variable names), a Graph or null`,
  );
}

/** Variables of `graph` in `key`, filtered as TF1's `get_collection(key, scope)` does (re.match on names). */
function collectionVariables(key: string, scope: string | Graph | null | undefined): Variable[] {
  const graph = scope instanceof Graph ? scope : getDefaultGraph();
  const all = graph.getCollection<Variable>(key);
  if (typeof scope !== 'string') return all;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${scope})`);
  } catch {
    throw new TypeError(`scope must be a regular expression matched against variable names, got '${scope}'`);
  }
  return all.filter((v) => re.test(v.op.name));
}

/**
 * TF1's `global_variables(scope=None)`: every variable, or those whose name matches `scope` from the
 * start (a regular expression, as TF1's `re.match`). A Graph may be given instead of a scope.
 *
 * @example
 * tf.globalVariables('layer1/'); // variables created under tf.variableScope('layer1', …)
 * tf.globalVariables({ scope: 'layer1/' }); // TF1's keyword form
 */
export function globalVariables(scope?: VariablesScopeArg): Variable[] {
  return collectionVariables(GraphKeys.GLOBAL_VARIABLES, scopeOf('globalVariables', scope));
}

/**
 * TF1's `trainable_variables(scope=None)`: variables created with `trainable: true` (the default),
 * filtered by `scope` as `globalVariables` does; the keyword form `{ scope }` is TF1's
 * `tf.trainable_variables(scope='generator')`.
 *
 * @example
 * const genVars = tf.trainableVariables({ scope: 'Generator' });
 */
export function trainableVariables(scope?: VariablesScopeArg): Variable[] {
  return collectionVariables(GraphKeys.TRAINABLE_VARIABLES, scopeOf('trainableVariables', scope));
}

/**
 * TF1's `variables_initializer(var_list, name='init')`: an op that runs the initializers of `varList`.
 *
 * @example
 * sess.run(tf.variablesInitializer([W, b]));
 */
export const variablesInitializer = declare(
  'variablesInitializer',
  [
    param(
      'varList',
      kinds.custom<Variable[]>(
        'a list of Variables',
        (v) => Array.isArray(v) && v.every((x) => x instanceof Variable),
        () => [],
      ),
    ),
    param('name', kinds.name, { default: 'init' }),
  ] as const,
  (a): Operation => {
    const graph = a.varList[0]?.graph ?? getDefaultGraph();
    return makeOp('NoOp', [], {}, a.name, graph, { controlInputs: a.varList.map((v) => v.initializer) });
  },
);

/**
 * An op that initializes every global variable that exists when it is created (op name `init`).
 *
 * @example
 * sess.run(tf.globalVariablesInitializer());
 */
export function globalVariablesInitializer(): Operation {
  return variablesInitializer(globalVariables(), 'init');
}

/**
 * TF1's deprecated `tf.initialize_all_variables()` (before `global_variables_initializer`, still in
 * TF1 and in many classic programs): the same op, `init`.
 *
 * @example
 * sess.run(tf.initializeAllVariables());
 */
export function initializeAllVariables(): Operation {
  return globalVariablesInitializer();
}

/**
 * TF1's deprecated `tf.initialize_variables(var_list, name='init')`: `variablesInitializer`.
 *
 * @example
 * sess.run(tf.initializeVariables([W, b]));
 */
export const initializeVariables = declare(
  'initializeVariables',
  [
    param(
      'varList',
      kinds.custom<Variable[]>(
        'a list of Variables',
        (v) => Array.isArray(v) && v.every((x) => x instanceof Variable),
        () => [],
      ),
    ),
    param('name', kinds.name, { default: 'init' }),
  ] as const,
  (a): Operation => variablesInitializer(a.varList, a.name),
);
