import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../errors';
import type { DType } from './dtype';
import type { Shape } from './shape';
import { userCallSite } from './site';
import { bindCall, declare, INVALID, Kind, param } from './signature';
import { Attrs, Operation, Tensor } from './tensor';
import type { OpDef } from '../ops/op_def';
import type { GraphJSON } from '../io/graph_json_schema';

/** Standard collection keys (TF1's `tf.GraphKeys`). */
export const GraphKeys = {
  GLOBAL_VARIABLES: 'variables',
  TRAINABLE_VARIABLES: 'trainable_variables',
  SUMMARIES: 'summaries',
  GLOBAL_STEP: 'global_step',
  LOCAL_VARIABLES: 'local_variables',
  MODEL_VARIABLES: 'model_variables',
  MOVING_AVERAGE_VARIABLES: 'moving_average_variables',
  UPDATE_OPS: 'update_ops',
  LOSSES: 'losses',
  REGULARIZATION_LOSSES: 'regularization_losses',
  TRAIN_OP: 'train_op',
  SUMMARY_OP: 'summary_op',
  SAVERS: 'savers',
  INIT_OP: 'init_op',
  LOCAL_INIT_OP: 'local_init_op',
  READY_OP: 'ready_op',
  ACTIVATIONS: 'activations',
} as const;

/** What `Graph.addOp` needs: everything except the derived name, id, site and outputs. */
export interface NewOp {
  type: string;
  name: string;
  inputs: Tensor[];
  attrs: Attrs;
  def: OpDef;
  outputs: { shape: Shape; dtype: DType }[];
  /** Name already made unique by `uniqueName` (used when inference had to know it first). */
  nameIsFinal?: boolean;
  /** Extra control inputs beyond the ones from `controlDependencies`. */
  controlInputs?: Operation[];
}

/**
 * A dataflow graph: operations in creation order, unique TF1 names, name scopes, control-dependency and
 * device contexts, and collections.
 *
 * @example
 * const g = new tf.Graph();
 * g.asDefault(() => {
 *   const c = tf.constant(3, 'float32', [], 'c');
 * });
 * g.getOperationByName('c').type; // 'Const'
 */
export class Graph {
  private readonly ops: Operation[] = [];
  private readonly byName = new Map<string, Operation>();
  private readonly usedNames = new Map<string, number>();
  private readonly scopeStack: string[] = [];
  private readonly controlStack: Operation[][] = [];
  private readonly deviceStack: (string | DeviceFunction)[] = [];
  private readonly collections = new Map<string, unknown[]>();
  private finalized = false;
  /** Graph-level random seed (`tf.setRandomSeed`). */
  seed: number | undefined;

  /**
   * The enclosing graph when this is a function sub-graph (a `FuncGraph`: cond branch or loop body, see
   * func_graph.ts), else undefined. Ops built while such a graph is the default go into it even when their
   * inputs come from an enclosing graph: the sub-graph captures those tensors (`graphOf` in op_def.ts).
   */
  get outerGraph(): Graph | undefined {
    return undefined;
  }

  /** Number of operations; grows monotonically. */
  get version(): number {
    return this.ops.length;
  }

  get isFinalized(): boolean {
    return this.finalized;
  }

  /** Makes the graph read-only: creating an op afterwards is an error (catches ops built in a loop). */
  finalize(): void {
    this.finalized = true;
  }

  /** All operations in creation order. */
  getOperations(): Operation[] {
    return this.ops.slice();
  }

  getOperationByName(name: string): Operation {
    const op = this.byName.get(name);
    if (!op) throw new NotFoundError(`The name '${name}' refers to an Operation not in the graph.`);
    return op;
  }

  /** Looks up `"op:index"` (a bare op name means output 0). */
  getTensorByName(name: string): Tensor {
    const m = /^(.*):(\d+)$/.exec(name);
    const opName = m ? (m[1] as string) : name;
    const index = m ? Number(m[2]) : 0;
    const op = this.byName.get(opName);
    if (!op)
      throw new NotFoundError(
        `The name '${name}' refers to a Tensor which does not exist. The operation, '${opName}', does not exist in the graph.`,
      );
    const t = op.outputs[index];
    if (!t)
      throw new NotFoundError(
        `The name '${name}' refers to a Tensor which does not exist. The operation, '${opName}', exists but only has ${op.outputs.length} outputs.`,
      );
    return t;
  }

  /** Runs `fn` with this graph as the default graph. */
  asDefault<T>(fn: () => T): T {
    defaultStack.push(this);
    try {
      return fn();
    } finally {
      defaultStack.pop();
    }
  }

  /** Current name-scope prefix without trailing slash ('' at top level). */
  get currentScope(): string {
    return this.scopeStack.length ? (this.scopeStack[this.scopeStack.length - 1] as string) : '';
  }

  /**
   * TF1's unique naming: `name` under the current scope, suffixed `_1`, `_2`, … when already used.
   * Names of ops and scopes share one namespace, compared case-insensitively.
   */
  uniqueName(name: string, markAsUsed = true): string {
    const full = this.currentScope ? `${this.currentScope}/${name}` : name;
    const key = full.toLowerCase();
    let count = this.usedNames.get(key) ?? 0;
    let candidate = full;
    if (count > 0) {
      while (this.usedNames.has(`${key}_${count}`)) count++;
      candidate = `${full}_${count}`;
    }
    if (markAsUsed) {
      this.usedNames.set(key, count + 1);
      if (candidate !== full) this.usedNames.set(candidate.toLowerCase(), 1);
    }
    return candidate;
  }

  /**
   * Opens a name scope: `'layer1'` → `layer1/…` (reopened: `layer1_1/…`); a name ending in '/' reuses it
   * exactly. `fn` gets the scope's full name with a trailing '/' (`''` at top level), like TF1's
   * `with tf.name_scope(...) as scope`.
   */
  nameScope<T>(name: string | null, fn: (scope: string) => T): T {
    if ((name !== null && typeof name !== 'string') || typeof fn !== 'function') {
      throw new TypeError(
        `Graph.nameScope(name, fn): name must be a string (or null for the top-level scope) and fn a function, got ${typeof name} and ${typeof fn}`,
      );
    }
    let scope: string;
    if (name === null || name === '') scope = '';
    else if (name.endsWith('/')) scope = name.slice(0, -1);
    else scope = this.uniqueName(name);
    this.scopeStack.push(scope);
    try {
      return fn(this.currentScope ? `${this.currentScope}/` : '');
    } finally {
      this.scopeStack.pop();
    }
  }

  /** Ops created inside `fn` run only after `deps` (TF1's `control_dependencies`); `null` clears the context. */
  controlDependencies<T>(deps: (Operation | Tensor)[] | null, fn: () => T): T {
    if (
      (deps !== null &&
        !(Array.isArray(deps) && deps.every((d) => d instanceof Operation || d instanceof Tensor))) ||
      typeof fn !== 'function'
    ) {
      throw new TypeError(
        'Graph.controlDependencies(controlInputs, fn): controlInputs must be a list of Operations or Tensors (or null) and fn a function',
      );
    }
    const ops = deps === null ? null : deps.map((d) => (d instanceof Tensor ? d.op : d));
    const saved = ops === null ? this.controlStack.splice(0) : null;
    if (ops) this.controlStack.push(ops);
    try {
      return fn();
    } finally {
      if (saved) this.controlStack.push(...saved);
      else this.controlStack.pop();
    }
  }

  /**
   * Ops created inside `fn` are placed on `device` (`'/cpu:0'`, `'/cpu:1'`, `'/gpu:0'`), or on what a
   * device function returns for each of them (TF1's `tf.device(device_function)`).
   */
  device<T>(device: string | null | DeviceFunction, fn: () => T): T {
    if (
      (device !== null && typeof device !== 'string' && typeof device !== 'function') ||
      typeof fn !== 'function'
    ) {
      throw new TypeError(
        "Graph.device(deviceNameOrFunction, fn): deviceNameOrFunction must be a device name string ('/cpu:0', '/gpu:0'), a device function (op) => string, or null, and fn a function",
      );
    }
    this.deviceStack.push(device ?? '');
    try {
      return fn();
    } finally {
      this.deviceStack.pop();
    }
  }

  /** Adds an operation; called by op builders after shape inference. */
  /**
   * Whether input `i` of `spec` may come from another graph: never in a plain graph; a function graph
   * (FuncGraph) accepts a variable of an enclosing graph as the variable an assignment updates.
   */
  protected acceptsForeignInput(_spec: NewOp, _i: number): boolean {
    return false;
  }

  /** The device of a new op: the innermost `device` scope's name, or what its device function returns. */
  private deviceFor(spec: NewOp, name: string): string {
    const top = this.deviceStack[this.deviceStack.length - 1];
    if (top === undefined || typeof top === 'string') return top ?? '';
    const view: DeviceFunctionOp = {
      type: spec.type,
      name,
      nodeDef: { op: spec.type, name },
      inputs: spec.inputs,
      attrs: spec.attrs,
    };
    const d = top(view);
    if (d === null || d === undefined) return '';
    if (typeof d !== 'string')
      throw new TypeError(
        `tf.device: the device function returned ${typeof d} for op '${name}' (${spec.type}); it must return a device name string or null`,
      );
    return d;
  }

  addOp(spec: NewOp): Operation {
    if (this.finalized) {
      throw new FailedPreconditionError(
        `Graph is finalized and cannot be modified (while adding '${spec.name}' of type ${spec.type}).`,
      );
    }
    for (let i = 0; i < spec.inputs.length; i++) {
      const t = spec.inputs[i] as Tensor;
      if (t.graph !== this && !this.acceptsForeignInput(spec, i)) {
        throw new InvalidArgumentError(
          `Tensor ${t.name} must be from the same graph as the op '${spec.name}' (${spec.type}).`,
        );
      }
    }
    const name = spec.nameIsFinal ? spec.name : this.uniqueName(spec.name);
    const control = new Set<Operation>(spec.controlInputs ?? []);
    for (const level of this.controlStack) for (const op of level) control.add(op);
    const device = this.deviceFor(spec, name);
    const op = new Operation(
      this,
      this.ops.length,
      name,
      spec.type,
      spec.inputs,
      spec.attrs,
      [...control],
      spec.def,
      device,
      userCallSite(),
    );
    op.outputs = spec.outputs.map((o, i) => new Tensor(op, i, o.shape, o.dtype));
    this.ops.push(op);
    this.byName.set(name, op);
    return op;
  }

  addToCollection(key: string, value: unknown): void {
    const list = this.collections.get(key) ?? [];
    list.push(value);
    this.collections.set(key, list);
  }

  getCollection<T>(key: string): T[] {
    return ((this.collections.get(key) ?? []) as T[]).slice();
  }

  /** The collection itself (mutable), as TF1's `get_collection_ref`. */
  getCollectionRef<T>(key: string): T[] {
    let list = this.collections.get(key);
    if (!list) this.collections.set(key, (list = []));
    return list as T[];
  }

  /**
   * The graph as versioned JSON data; `tf.importGraphDef` reads it back (also used by `JSON.stringify`).
   *
   * @example
   * const json = JSON.stringify(graph.toJSON());
   * tf.importGraphDef(json, { graph: new tf.Graph() });
   */
  toJSON(): GraphJSON {
    if (!graphSerializer)
      throw new Error(
        'Graph.toJSON(): the graph JSON writer (src/io/graph_json) is not loaded; import tensorgraph',
      );
    return graphSerializer(this);
  }
}

/** The graph JSON writer; src/io/graph_json installs it (io depends on graph, not the other way). */
let graphSerializer: ((g: Graph) => GraphJSON) | undefined;
export function installGraphSerializer(write: (g: Graph) => GraphJSON): void {
  graphSerializer = write;
}

let rootGraph = new Graph();
const defaultStack: Graph[] = [];

/** The graph new ops go into: the innermost `asDefault` graph, else the global default graph. */
export function getDefaultGraph(): Graph {
  return defaultStack.length ? (defaultStack[defaultStack.length - 1] as Graph) : rootGraph;
}

/** Replaces the global default graph with a new empty one (TF1's `reset_default_graph`). */
export function resetDefaultGraph(): void {
  if (defaultStack.length) throw new Error('resetDefaultGraph() cannot be called inside graph.asDefault()');
  rootGraph = new Graph();
}

/** Splits a context function's arguments: TF1's arguments, then the callback (SPEC §2: callback last). */
function splitCallback<T>(fn: string, usage: string, args: readonly unknown[]): [unknown[], () => T] {
  const rest = args.slice();
  while (rest.length > 0 && rest[rest.length - 1] === undefined) rest.pop();
  const cb = rest.pop();
  if (typeof cb !== 'function') {
    throw new TypeError(
      `${fn}() takes the function to run in the context as its last argument: ${usage}; got ${
        cb === undefined ? 'no function' : typeof cb === 'object' && cb !== null ? 'an object' : String(cb)
      }`,
    );
  }
  return [rest, cb as () => T];
}

const nullableString = (accepts: string): Kind<string | null> => ({
  accepts: `${accepts}, or null`,
  parse: (v) => (v === null || typeof v === 'string' ? v : INVALID),
  sample: () => 's',
  takesStrings: true,
});

const opsOrTensors = (accepts: string): Kind<(Operation | Tensor)[] | null> => ({
  accepts,
  parse: (v) =>
    v === null
      ? null
      : Array.isArray(v) && v.every((x) => x instanceof Operation || x instanceof Tensor)
        ? (v as (Operation | Tensor)[])
        : INVALID,
  sample: () => [],
});

const nameScopeSig = {
  fn: 'nameScope',
  params: [
    param('name', nullableString('a string (the scope name)')),
    param('defaultName', nullableString('a string'), { default: null }),
    param('values', opsOrTensors('a list of Tensors or Operations, or null'), { default: null }),
  ] as const,
};

/**
 * Opens a name scope on the default graph: TF1's `tf.name_scope(name, default_name=None, values=None)`
 * with the function to run last: `tf.nameScope('layer1', () => ...)`, `tf.nameScope(null, 'dense',
 * [x], () => ...)` or `tf.nameScope(name, { defaultName, values }, fn)`. `name` null means
 * `defaultName` (made unique); both null (without values) resets to the top-level scope, as in TF1.
 * `values` picks the graph their tensors belong to (they must share one). `fn` gets the scope's full
 * name with a trailing '/', like TF1's `with tf.name_scope('tower_0') as scope:` (`'tower_0/'`).
 */
export function nameScope<T>(name: string | null, fn: (scope: string) => T): T;
export function nameScope<T>(
  name: string | null,
  defaultName: string | null | { defaultName?: string | null; values?: (Operation | Tensor)[] | null },
  fn: (scope: string) => T,
): T;
export function nameScope<T>(
  name: string | null,
  defaultName: string | null,
  values: (Operation | Tensor)[] | null,
  fn: (scope: string) => T,
): T;
export function nameScope<T>(...args: unknown[]): T {
  const [rest, fn] = splitCallback<T>('nameScope', 'tf.nameScope(name, fn)', args);
  const a = bindCall(nameScopeSig, rest);
  let graph = getDefaultGraph();
  if (a.values) {
    const graphs = new Set(a.values.map((v) => v.graph));
    if (graphs.size > 1)
      throw new InvalidArgumentError(
        `nameScope(): the values given to '${a.name ?? a.defaultName}' are from different graphs`,
      );
    graph = [...graphs][0] ?? graph;
  }
  const scopeName = a.name ?? a.defaultName;
  if (scopeName === null && a.values !== null)
    throw new InvalidArgumentError('At least one of name (null) and defaultName (null) must be provided.');
  const open = (): T => graph.nameScope(scopeName, fn);
  return graph === getDefaultGraph() ? open() : graph.asDefault(open);
}

const controlDependenciesSig = {
  fn: 'controlDependencies',
  params: [
    param('controlInputs', opsOrTensors('a list of Operations or Tensors, or null (clears the context)')),
  ] as const,
};

/**
 * `tf.controlDependencies(controlInputs, fn)` on the default graph (TF1's `control_dependencies`): ops
 * created inside `fn` run after `controlInputs`; `null` clears the enclosing contexts.
 */
export function controlDependencies<T>(controlInputs: (Operation | Tensor)[] | null, fn: () => T): T;
export function controlDependencies<T>(...args: unknown[]): T {
  const [rest, fn] = splitCallback<T>('controlDependencies', 'tf.controlDependencies(deps, fn)', args);
  const a = bindCall(controlDependenciesSig, rest);
  return getDefaultGraph().controlDependencies(a.controlInputs, fn);
}

const deviceSig = {
  fn: 'device',
  params: [
    param('deviceNameOrFunction', {
      accepts:
        "a device name string ('/cpu:0', '/gpu:0'), a device function (op) => device name, or null (clears the device)",
      parse: (v: unknown) => (v === null || typeof v === 'string' || typeof v === 'function' ? v : INVALID),
      takesStrings: true,
    } as Kind<string | null | DeviceFunction>),
  ] as const,
};

/**
 * `tf.device('/cpu:1', fn)` on the default graph (TF1's `tf.device(device_name_or_function)`; `null`
 * clears the device). A device function gets each new op (`type`, `name`, `nodeDef.op`, `inputs`,
 * `attrs`) and returns its device, as TF1's `assign_to_device` helpers do.
 *
 * @example
 * const y = tf.device('/cpu:1', () => tf.matmul(x, W)); // runs on CPU device 1 (SPEC §9)
 * // Variables on '/cpu:0', everything else on '/cpu:1' (TF1's multi-GPU assign_to_device):
 * tf.device((op) => (op.type === 'VariableV2' ? '/cpu:0' : '/cpu:1'), () => buildTower());
 */
export function device<T>(deviceNameOrFunction: string | null | DeviceFunction, fn: () => T): T;
export function device<T>(...args: unknown[]): T {
  const [rest, fn] = splitCallback<T>('device', "tf.device('/gpu:0', fn)", args);
  const a = bindCall(deviceSig, rest);
  return getDefaultGraph().device(a.deviceNameOrFunction, fn);
}

/**
 * Sets the default graph's random seed (TF1's `tf.set_random_seed(seed)`): an integer, or null to
 * clear it.
 */
export const setRandomSeed = declare(
  'setRandomSeed',
  [
    param('seed', {
      accepts: 'an integer, or null',
      parse: (v: unknown) => (v === null || (typeof v === 'number' && Number.isInteger(v)) ? v : INVALID),
      sample: () => 1,
    } as Kind<number | null>),
  ] as const,
  (a): void => {
    getDefaultGraph().seed = a.seed ?? undefined;
  },
);

/** What a device function sees of a new op (TF1 passes the Operation; `nodeDef.op` is its type). */
export interface DeviceFunctionOp {
  type: string;
  name: string;
  nodeDef: { op: string; name: string };
  inputs: readonly Tensor[];
  attrs: Readonly<Attrs>;
}

/** TF1's device function: the device name for an op (null or '' for none). */
export type DeviceFunction = (op: DeviceFunctionOp) => string | null;
