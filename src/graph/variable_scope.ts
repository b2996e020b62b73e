import { InvalidArgumentError } from '../errors';
import { DType, isDType } from './dtype';
import { rootGraph } from './func_graph';
import { getDefaultGraph, Graph } from './graph';
import { isFullyDefined, Shape, shapeToString } from './shape';
import { Tensor, TensorLike } from './tensor';
import { Variable } from './variable';
import { glorotUniform, Initializer, isInitializerFactory, zeros } from '../ops/initializers';
import { declare, INVALID, kinds, OptionsOf, param } from './signature';

/** `reuse: tf.AUTO_REUSE`: get the variable if it exists, else create it. */
export const AUTO_REUSE = 'AUTO_REUSE' as const;
export type ReuseMode = boolean | typeof AUTO_REUSE;

/**
 * A variable scope (TF1's `VariableScope`): the prefix of the variables `tf.getVariable` makes or
 * reuses inside it, its reuse mode and default initializer. Obtained from `tf.variableScope(...)` (its
 * callback's argument) or `tf.getVariableScope()`; can be passed back to `tf.variableScope` to reopen.
 */
export class VariableScope {
  constructor(
    /** Full name, e.g. 'rnn/gru_cell' ('' at top level). */
    readonly name: string,
    public reuse: ReuseMode,
    public initializer: Initializer | undefined,
    /** The name scope opened with it the first time (with a trailing '/'; '' at top level). */
    readonly originalNameScope: string,
    public dtype: DType = 'float32',
  ) {}

  /** Makes `tf.getVariable` reuse existing variables in this scope from now on. */
  reuseVariables(): void {
    this.reuse = true;
  }
}

/** Per (root) graph: the open variable scopes, the variable store and the scope-name counters. */
interface ScopeState {
  stack: VariableScope[];
  store: Map<string, Variable>;
  /** How often each full scope name was opened (TF1's variable_scopes_count, for default names). */
  counts: Map<string, number>;
}
const states = new WeakMap<Graph, ScopeState>();

function stateOf(graph: Graph): ScopeState {
  const root = rootGraph(graph);
  let st = states.get(root);
  if (!st)
    states.set(
      root,
      (st = { stack: [new VariableScope('', false, undefined, '')], store: new Map(), counts: new Map() }),
    );
  return st;
}

/** The innermost open variable scope (TF1's `get_variable_scope()`). @example tf.getVariableScope().name */
export function getVariableScope(): VariableScope {
  const st = stateOf(getDefaultGraph());
  return st.stack[st.stack.length - 1] as VariableScope;
}

/** Options of `tf.variableScope`. */
export interface VariableScopeOptions {
  /** Reuse existing variables (`true`), create only new ones (default: inherit), or `tf.AUTO_REUSE`. */
  reuse?: ReuseMode;
  /** Default initializer of `tf.getVariable` inside. */
  initializer?: Initializer;
  /** When the scope argument is `null`: this name, made unique (`gru_cell`, `gru_cell_1`, …). */
  defaultName?: string;
  dtype?: DType;
  /**
   * TF1's `auxiliary_name_scope` (default true): open a name scope with the variable scope. False keeps
   * the current name scope for the ops inside (the variables are still named after the scope).
   */
  auxiliaryNameScope?: boolean;
}

/**
 * Opens a variable scope (TF1's `tf.variable_scope`) around `fn`: variables made by `tf.getVariable`
 * inside are named `<scope>/<name>`; with `reuse: true` they must already exist (and are shared);
 * `reuse` is inherited by nested scopes. Also opens a name scope of the same name (made unique). A
 * `VariableScope` object (e.g. `tf.getVariableScope()`) reopens that scope for variables, with a new name
 * scope after its last component ('outer_1/…'; none for the top-level scope). Returns `fn`'s result.
 *
 * @example
 * const w1 = tf.variableScope('layer', () => tf.getVariable('w', { shape: [3, 4] })); // 'layer/w'
 * const w2 = tf.variableScope('layer', { reuse: true }, () => tf.getVariable('w'));   // the same variable
 */
export function variableScope<T>(
  nameOrScope: string | VariableScope | null,
  fn: (scope: VariableScope) => T,
): T;
export function variableScope<T>(
  nameOrScope: string | VariableScope | null,
  options: VariableScopeOptions,
  fn: (scope: VariableScope) => T,
): T;
export function variableScope<T>(
  nameOrScope: string | VariableScope | null,
  optionsOrFn: VariableScopeOptions | ((scope: VariableScope) => T),
  maybeFn?: (scope: VariableScope) => T,
): T {
  const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn;
  const fn = (typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn) as (scope: VariableScope) => T;
  const graph = getDefaultGraph();
  const st = stateOf(graph);
  const parent = st.stack[st.stack.length - 1] as VariableScope;
  const auxiliary = options.auxiliaryNameScope ?? true;
  if (typeof auxiliary !== 'boolean') {
    throw new TypeError(`variableScope: auxiliaryNameScope must be a boolean, got ${typeof auxiliary}`);
  }

  if (nameOrScope instanceof VariableScope) {
    // Reopening a scope object: its exact name (and original name scope); its own reuse unless reuse
    // is given. As in TF1, ops inside get a NEW name scope named after the scope's last component under
    // the current one ('outer' reopened at top level: 'outer_1/'), and the root scope opens none, so
    // `tf.nameScope('tower_1', () => tf.variableScope(tf.getVariableScope(), …))` keeps 'tower_1/'.
    const scope = new VariableScope(
      nameOrScope.name,
      options.reuse || nameOrScope.reuse,
      options.initializer ?? nameOrScope.initializer,
      nameOrScope.originalNameScope,
      options.dtype ?? nameOrScope.dtype,
    );
    open(st, scope.name);
    const saved = new Map(st.counts);
    try {
      const last = scope.name.slice(scope.name.lastIndexOf('/') + 1);
      return last && auxiliary
        ? graph.nameScope(last, () => withScope(st, scope, fn))
        : withScope(st, scope, fn);
    } finally {
      st.counts = saved;
    }
  }

  let base: string;
  if (nameOrScope === null || nameOrScope === undefined) {
    if (!options.defaultName)
      throw new InvalidArgumentError('If default_name is None then name_or_scope is required');
    if (options.reuse === true)
      throw new InvalidArgumentError('reuse=True cannot be used without a name_or_scope');
    base = uniqueScopeName(st, parent, options.defaultName);
  } else {
    if (typeof nameOrScope !== 'string' || nameOrScope === '' || nameOrScope.endsWith('/')) {
      throw new InvalidArgumentError(`variableScope: invalid scope name '${String(nameOrScope)}'`);
    }
    base = nameOrScope;
  }
  const full = parent.name ? `${parent.name}/${base}` : base;
  open(st, full);
  try {
    // auxiliaryNameScope false: the ops stay in the current name scope, which is the scope's original one.
    return graph.nameScope(auxiliary ? base : graph.currentScope ? `${graph.currentScope}/` : null, () => {
      const ns = graph.currentScope ? `${graph.currentScope}/` : '';
      // Reuse is inherited: a nested scope cannot turn it off (TF1).
      const scope = new VariableScope(
        full,
        options.reuse || parent.reuse,
        options.initializer ?? parent.initializer,
        ns,
        options.dtype ?? parent.dtype,
      );
      return withScope(st, scope, fn);
    });
  } finally {
    // TF1: leaving a scope resets the counters of its sub-scopes, so reopening it gives the same names.
    for (const k of st.counts.keys()) if (k.startsWith(`${full}/`)) st.counts.set(k, 0);
  }
}

function withScope<T>(st: ScopeState, scope: VariableScope, fn: (scope: VariableScope) => T): T {
  st.stack.push(scope);
  try {
    return fn(scope);
  } finally {
    st.stack.pop();
  }
}

function open(st: ScopeState, full: string): void {
  st.counts.set(full, (st.counts.get(full) ?? 0) + 1);
}

function uniqueScopeName(st: ScopeState, parent: VariableScope, prefix: string): string {
  const full = (p: string) => (parent.name ? `${parent.name}/${p}` : p);
  if (!st.counts.get(full(prefix))) return prefix;
  let i = 1;
  while (st.counts.get(full(`${prefix}_${i}`))) i++;
  return `${prefix}_${i}`;
}

/** An uncalled initializer factory (TF1 accepts the class: `initializer=tf.zeros_initializer`). */
type InitializerFactory = (...a: never[]) => Initializer;

const nullOnly = (what: string) =>
  kinds.custom<null>(
    `null (${what} is not supported)`,
    (v) => v === null,
    () => null,
  );
const shapeArgKind = kinds.custom<(number | null)[]>(
  'a list of sizes (integers, or null for unknown)',
  (v) => Array.isArray(v) && v.every((d) => d === null || (Number.isInteger(d) && (d as number) >= -1)),
);

/** TF1's `tf.get_variable` signature (r1.15), in its positional order. */
const GET_VARIABLE_PARAMS = [
  param('name', kinds.name),
  param('shape', kinds.nullable(shapeArgKind), { default: null as (number | null)[] | null }),
  param('dtype', kinds.nullable(kinds.dtype), { default: null as DType | null }),
  param(
    'initializer',
    kinds.nullable(
      kinds.custom<Initializer | InitializerFactory | TensorLike>(
        'an initializer (e.g. tf.initializers.zeros()) or an initial value',
        (v) => typeof v === 'function' || kinds.tensor.parse(v) !== INVALID,
      ),
    ),
    { default: null as Initializer | InitializerFactory | TensorLike | null },
  ),
  param(
    'regularizer',
    kinds.nullable(
      kinds.custom<(v: Tensor) => Tensor | null>(
        'a function of the variable',
        (v) => typeof v === 'function',
      ),
    ),
    { default: null as ((v: Tensor) => Tensor | null) | null },
  ),
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
  param('cachingDevice', nullOnly('caching_device'), { default: null }),
  param('partitioner', nullOnly('partitioner'), { default: null }),
  param(
    'validateShape',
    kinds.custom<true>('true (validate_shape=False is not supported)', (v) => v === true),
    {
      default: true as const,
    },
  ),
  param(
    'useResource',
    kinds.custom<boolean | null>(
      'null or false (resource variables are not supported)',
      (v) => v === null || v === false,
    ),
    { default: null as boolean | null },
  ),
  param('customGetter', nullOnly('custom_getter'), { default: null }),
  param('constraint', nullOnly('constraint'), { default: null }),
  param('synchronization', nullOnly('synchronization'), { default: null }),
  param('aggregation', nullOnly('aggregation'), { default: null }),
] as const;

/** Keyword options of `tf.getVariable` (TF1's keyword names in camelCase). */
export type GetVariableOptions = Omit<OptionsOf<typeof GET_VARIABLE_PARAMS>, 'name'>;

/**
 * Gets an existing variable `<scope>/<name>` or creates a new one (TF1's `tf.get_variable`), following
 * the enclosing `tf.variableScope`'s reuse mode. New variables default to the scope's initializer, else
 * glorot uniform for floats (zeros otherwise), as in TF1. Variables are always created in the outermost
 * graph, outside any `tf.cond` / `tf.whileLoop` function being traced, so cells can be first called
 * inside a loop body.
 *
 * TF1's signature `get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
 * trainable=None, collections=None, caching_device=None, partitioner=None, validate_shape=True,
 * use_resource=None, custom_getter=None, constraint=None, …)`, positionally or by keyword; options this
 * framework does not implement are rejected unless null. A regularizer's loss joins the
 * `'regularization_losses'` collection.
 *
 * @example
 * const W = tf.getVariable('W', [784, 10]);                     // TF1 positional
 * const W2 = tf.getVariable('W2', { shape: [784, 10] });
 * const b = tf.getVariable('b', { shape: [10], initializer: tf.initializers.zeros() });
 */
export const getVariable = declare('getVariable', GET_VARIABLE_PARAMS, (a): Variable => {
  const name = a.name;
  const options = {
    shape: a.shape ?? undefined,
    dtype: a.dtype ?? undefined,
    initializer: a.initializer ?? undefined,
    trainable: a.trainable ?? undefined,
    collections: a.collections ?? undefined,
  };
  const graph = getDefaultGraph();
  const st = stateOf(graph);
  const scope = getVariableScope();
  const full = scope.name ? `${scope.name}/${name}` : name;
  const dtype = options.dtype ?? scope.dtype;
  if (!isDType(dtype)) throw new InvalidArgumentError(`getVariable: unknown dtype '${String(dtype)}'`);
  const shape: Shape | undefined =
    options.shape === undefined
      ? undefined
      : options.shape === null
        ? null
        : options.shape.map((d) => (d === null || d < 0 ? null : d));
  const existing = st.store.get(full);

  if (existing) {
    if (scope.reuse === false) {
      throw new InvalidArgumentError(
        `Variable ${full} already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n  ${existing.op.site}`,
      );
    }
    if (shape !== undefined && !compatibleShapes(shape, existing.shape)) {
      throw new InvalidArgumentError(
        `Trying to share variable ${full}, but specified shape ${shapeToString(shape)} and found shape ${shapeToString(existing.shape)}.`,
      );
    }
    if (options.dtype !== undefined && options.dtype !== existing.dtype) {
      throw new InvalidArgumentError(
        `Trying to share variable ${full}, but specified dtype ${options.dtype} and found dtype ${existing.dtype}.`,
      );
    }
    return existing;
  }
  if (scope.reuse === true) {
    throw new InvalidArgumentError(
      `Variable ${full} does not exist, or was not created with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?`,
    );
  }

  let init = options.initializer ?? scope.initializer ?? (dtype === 'float32' ? glorotUniform() : zeros());
  // TF1 accepts an initializer class uncalled (`initializer=tf.zeros_initializer`): make it for dtype.
  if (isInitializerFactory(init)) init = init({ dtype });
  const isFn = typeof init === 'function';
  if (!isFn && shape !== undefined)
    throw new InvalidArgumentError('If initializer is a constant, do not specify shape.');
  if (isFn && (shape === undefined || !isFullyDefined(shape))) {
    throw new InvalidArgumentError(
      `Shape of a new variable (${full}) must be fully defined, but instead was ${shape === undefined ? '<unknown>' : shapeToString(shape)}.`,
    );
  }
  // Like TF1's init_scope: build in the outermost graph, outside name scopes and control dependencies.
  const root = rootGraph(graph);
  const v = root.asDefault(() =>
    root.controlDependencies(null, () =>
      root.nameScope('', () => {
        const value = isFn
          ? () => root.nameScope('Initializer', () => (init as Initializer)(shape as number[], dtype))
          : (init as TensorLike);
        if (value instanceof Tensor && value.graph !== root) {
          throw new InvalidArgumentError(
            `getVariable: the initial value of ${full} must be built outside control flow`,
          );
        }
        return new Variable(value, {
          name: full,
          dtype,
          trainable: options.trainable ?? true,
          collections: options.collections,
        });
      }),
    ),
  );
  st.store.set(full, v);
  if (a.regularizer) {
    // TF1: the regularizer's loss (if any) joins the REGULARIZATION_LOSSES collection.
    const loss = root.asDefault(() =>
      root.nameScope('', () =>
        root.nameScope(`${full}/Regularizer/`, () => (a.regularizer as (v: Tensor) => Tensor | null)(v)),
      ),
    );
    if (loss) root.addToCollection('regularization_losses', loss);
  }
  return v;
});

function compatibleShapes(a: Shape, b: Shape): boolean {
  if (a === null || b === null) return true;
  return a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
}
