import { InvalidArgumentError, FailedPreconditionError, ResourceExhaustedError } from '../../errors';
import { DEFAULT_MAX_TENSOR_BYTES, tensorTooLarge } from '../../graph/shape';
import { Graph } from '../../graph/graph';
import { Operation, Tensor } from '../../graph/tensor';
import { Variable } from '../../graph/variable';
import { constant } from '../../ops/state/constant';
import { placeholder } from '../../ops/state/placeholder';
import { NDArray } from '../../ndarray';
import { NodeAttrs, nodeError, toDType } from './attrs';
import type { OpContext } from './context';
import { OP_MAP } from './op_map';
import type { GraphDefJSON, NodeDefJSON } from './proto';

export interface TFImportOptions {
  inputMap: ReadonlyMap<string, Tensor>;
  returnElements: readonly string[];
  /** Scope prefix (TF1's default `'import'`; `''` keeps the names). */
  name: string;
  graph: Graph;
  /** Values of Const nodes by node name (a TensorFlow.js weights manifest), replacing their `value` attrs. */
  weights?: ReadonlyMap<string, NDArray>;
  /** Float32 constants that have a weight become trainable Variables. */
  trainable?: boolean;
  /** Most bytes one constant may take (a larger one is refused before the graph changes). */
  maxTensorBytes?: number;
}

export interface TFImportResult {
  returned: (Tensor | Operation)[];
  /** Each node's output tensors by node name (in the graph imported into). */
  outputs: Map<string, readonly Tensor[]>;
  /** Each node's operation by node name. */
  ops: Map<string, Operation>;
  /** The Variables made from constants (`trainable`). */
  variables: Variable[];
}

interface Parsed {
  node: NodeDefJSON;
  data: [string, number][];
  control: string[];
}

function fail(why: string): never {
  throw new InvalidArgumentError(`importGraphDef: ${why}`);
}

/** `'a:1'` → ['a', 1], `'a'` → ['a', 0]; `'^a'` is a control input. */
export function parseInputName(ref: string): [string, number] {
  const m = /^(.*):(\d+)$/.exec(ref);
  return m ? [m[1] as string, Number(m[2])] : [ref, 0];
}

function parseGraph(def: GraphDefJSON): Map<string, Parsed> {
  if (def === null || typeof def !== 'object' || (def.node !== undefined && !Array.isArray(def.node)))
    fail("a GraphDef needs a 'node' list");
  const nodes = new Map<string, Parsed>();
  for (const node of def.node ?? []) {
    if (!node || typeof node.name !== 'string' || node.name === '' || typeof node.op !== 'string')
      fail(`every node needs a 'name' and an 'op' (got ${JSON.stringify(node).slice(0, 80)})`);
    if (nodes.has(node.name)) fail(`duplicate node name '${node.name}'`);
    const data: [string, number][] = [];
    const control: string[] = [];
    for (const ref of node.input ?? []) {
      if (typeof ref !== 'string') nodeError(node, `input ${JSON.stringify(ref)} is not a string`);
      if (ref.startsWith('^')) control.push(ref.slice(1));
      else {
        if (control.length) nodeError(node, `data input '${ref}' follows a control input`);
        data.push(parseInputName(ref));
      }
    }
    nodes.set(node.name, { node, data, control });
  }
  const missing: string[] = [];
  for (const p of nodes.values())
    for (const src of [...p.data.map(([n]) => n), ...p.control])
      if (!nodes.has(src))
        missing.push(`node '${p.node.name}' (op: '${p.node.op}') has unknown input node '${src}'`);
  if (missing.length) fail(missing.join('; '));
  const unsupported = new Map<string, string[]>();
  for (const p of nodes.values())
    if (!Object.prototype.hasOwnProperty.call(OP_MAP, p.node.op))
      unsupported.set(p.node.op, [...(unsupported.get(p.node.op) ?? []), p.node.name]);
  if (unsupported.size) {
    const list = [...unsupported].map(([op, names]) => {
      const shown = names
        .slice(0, 5)
        .map((n) => `'${n}'`)
        .join(', ');
      return `${op} (${names.length} node${names.length > 1 ? 's' : ''}: ${shown}${names.length > 5 ? ', …' : ''})`;
    });
    throw new InvalidArgumentError(
      `importGraphDef: ${unsupported.size} op type${unsupported.size > 1 ? 's are' : ' is'} not supported: ${list.join('; ')}`,
    );
  }
  return nodes;
}

/** Nodes in dependency order (inputs first; ties in GraphDef order); a cycle is an error naming its nodes. */
function topoOrder(nodes: Map<string, Parsed>): Parsed[] {
  const indegree = new Map<string, number>();
  const consumers = new Map<string, string[]>();
  for (const p of nodes.values()) {
    const deps = new Set([...p.data.map(([n]) => n), ...p.control]);
    indegree.set(p.node.name, deps.size);
    for (const d of deps) consumers.set(d, [...(consumers.get(d) ?? []), p.node.name]);
  }
  const ready = [...nodes.keys()].filter((n) => indegree.get(n) === 0);
  const order: Parsed[] = [];
  for (let i = 0; i < ready.length; i++) {
    const name = ready[i] as string;
    order.push(nodes.get(name) as Parsed);
    for (const c of consumers.get(name) ?? []) {
      const k = (indegree.get(c) as number) - 1;
      indegree.set(c, k);
      if (k === 0) ready.push(c);
    }
  }
  if (order.length !== nodes.size) {
    const stuck = [...nodes.keys()].filter((n) => (indegree.get(n) as number) > 0);
    fail(
      `the graph has a cycle (TF1 raw control flow such as NextIteration is not supported) through nodes: ${stuck
        .slice(0, 8)
        .map((n) => `'${n}'`)
        .join(', ')}`,
    );
  }
  return order;
}

/**
 * Imports a TensorFlow GraphDef (TF's JSON form) into `opts.graph`. Everything is checked first and the
 * whole graph is built once into a scratch graph, so a failing import leaves the target unchanged.
 */
export function importTFGraphDef(def: GraphDefJSON, opts: TFImportOptions): TFImportResult {
  const graph = opts.graph;
  if (graph.isFinalized)
    throw new FailedPreconditionError('importGraphDef: the graph is finalized and cannot be modified.');
  const nodes = parseGraph(def);
  const order = topoOrder(nodes);
  const mapped = new Map<string, Tensor>();
  const notFound: string[] = [];
  for (const [key, t] of opts.inputMap) {
    if (key.startsWith('^')) fail(`inputMap: control input '${key}' cannot be mapped here`);
    const [n, i] = parseInputName(key);
    if (!nodes.has(n)) notFound.push(key);
    if (!(t instanceof Tensor))
      throw new TypeError(`importGraphDef(): inputMap must map names to Tensors ('${key}' is not one)`);
    if (t.graph !== graph)
      fail(`inputMap: the value for '${key}' must be a Tensor of the graph imported into`);
    mapped.set(`${n}:${i}`, t);
  }
  if (notFound.length)
    fail(`Attempted to map inputs that were not found in graph_def: [${notFound.join(', ')}]`);
  for (const r of opts.returnElements) {
    if (typeof r !== 'string') fail(`returnElements: ${JSON.stringify(r)} is not a string`);
    if (!nodes.has(r.includes(':') ? parseInputName(r)[0] : r))
      fail(`Requested return_element '${r}' not found in graph_def.`);
  }
  if (opts.name !== '' && !/^[A-Za-z0-9.][A-Za-z0-9_.\-/]*$/.test(opts.name))
    fail(`'${opts.name}' is not a valid name scope`);

  // Dry run into a scratch graph (mapped tensors stand in as placeholders of the same dtype and shape).
  const scratch = new Graph();
  const scratchMap = new Map<string, Tensor>();
  scratch.asDefault(() => {
    for (const [k, t] of mapped) scratchMap.set(k, placeholder(t.dtype, t.shape, 'mapped_input'));
  });
  build(scratch, order, scratchMap, opts, opts.name);
  if (opts.name === '') {
    for (const name of nodes.keys())
      if (graph.getOperations().some((o) => o.name === name))
        fail(`Duplicate node name in graph: '${name}' (import under a name scope with the 'name' option)`);
  }
  const scope = opts.name === '' ? '' : graph.nameScope('', () => graph.uniqueName(opts.name));
  return build(graph, order, mapped, opts, scope);
}

function build(
  graph: Graph,
  order: Parsed[],
  mapped: ReadonlyMap<string, Tensor>,
  opts: TFImportOptions,
  scope: string,
): TFImportResult {
  const outputs = new Map<string, readonly Tensor[]>();
  const ops = new Map<string, Operation>();
  const consts = new Map<string, NDArray>();
  const variables: Variable[] = [];
  graph.asDefault(() => {
    for (const p of order) {
      const { node } = p;
      const inputs = p.data.map(([src, i]) => {
        const m = mapped.get(`${src}:${i}`);
        if (m) return m;
        const t = (outputs.get(src) as readonly Tensor[])[i];
        if (t === undefined)
          nodeError(
            node,
            `input '${src}:${i}' does not exist ('${src}' has ${outputs.get(src)?.length} outputs here)`,
          );
        return t;
      });
      const attrs = new NodeAttrs(node);
      const slash = node.name.lastIndexOf('/');
      const dir = [scope, slash >= 0 ? node.name.slice(0, slash) : ''].filter((s) => s !== '').join('/');
      const base = node.name.slice(slash + 1);
      const fail = (why: string): never => nodeError(node, why);
      const constOf = (i: number): NDArray | undefined => {
        const [src, k] = p.data[i] ?? fail(`input ${i} is missing (the node has ${p.data.length})`);
        return mapped.has(`${src}:${k}`) ? undefined : consts.get(`${src}:${k}`);
      };
      const ctx: OpContext = {
        node,
        attrs,
        name: base,
        inputs,
        input: (i) => inputs[i] ?? fail(`input ${i} is missing (the node has ${inputs.length})`),
        constant: constOf,
        value: (i) => {
          const c = constOf(i);
          if (c === undefined) return ctx.input(i);
          return c.dtype === 'bool' ? ctx.input(i) : (c.toArray() as number | number[]);
        },
        ints: (i) => {
          const c = constOf(i);
          if (c === undefined) return fail(`input ${i} must be a constant of the graph`);
          return Array.from(c.data as ArrayLike<number>);
        },
        makeConst: () => {
          const dtype = toDType(attrs.node.attr?.dtype?.type, fail);
          const value = opts.weights?.get(node.name) ?? attrs.tensor('value');
          if (value.dtype !== dtype) fail(`the value has dtype ${value.dtype}, attr 'dtype' says ${dtype}`);
          const tooLarge = tensorTooLarge(
            value.shape,
            dtype,
            opts.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES,
          );
          if (tooLarge !== undefined)
            throw new ResourceExhaustedError(
              `importGraphDef: node '${node.name}' (op: 'Const'): ${tooLarge}`,
            );
          consts.set(`${node.name}:0`, value);
          if (opts.trainable && dtype === 'float32' && opts.weights?.has(node.name)) {
            const v = new Variable(value, { name: base, trainable: true });
            variables.push(v);
            return v.value();
          }
          return constant(value, dtype, undefined, base);
        },
        fail,
      };
      const controls = p.control.map((c) => ops.get(c) as Operation);
      const run = (): ReturnType<(typeof OP_MAP)[string]> =>
        graph.nameScope(dir === '' ? '' : `${dir}/`, () => (OP_MAP[node.op] as (c: OpContext) => never)(ctx));
      let result: Tensor | readonly Tensor[] | Operation;
      try {
        result = controls.length ? graph.controlDependencies(controls, run) : run();
      } catch (e) {
        if (e instanceof Error && e.message.includes(`importGraphDef: node '${node.name}'`)) throw e;
        const err = e as Error;
        const wrapped = new (
          err instanceof TypeError ? InvalidArgumentError : (err.constructor as typeof Error)
        )(`importGraphDef: node '${node.name}' (op: '${node.op}'): ${err.message}`);
        throw wrapped;
      }
      const unused = attrs.unused();
      if (unused.length)
        fail(`attr${unused.length > 1 ? 's' : ''} ${unused.map((a) => `'${a}'`).join(', ')} not supported`);
      const outs = result instanceof Operation ? [] : result instanceof Tensor ? [result] : result;
      outputs.set(node.name, outs);
      ops.set(node.name, result instanceof Operation ? result : (outs[0] as Tensor).op);
    }
  });
  const returned = opts.returnElements.map((r): Tensor | Operation => {
    if (!r.includes(':')) return ops.get(r) as Operation;
    const [n, i] = parseInputName(r);
    const t = (outputs.get(n) as readonly Tensor[])[i];
    if (t === undefined) fail(`Requested return_element '${r}' not found in graph_def.`);
    return t;
  });
  return { returned, outputs, ops, variables };
}
