import { FailedPreconditionError, InvalidArgumentError } from '../errors';
import { Graph } from '../graph/graph';
import { mergeShapes, Shape, shapeToString } from '../graph/shape';
import { Operation, Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { makeOp } from '../ops/op_def';
import type { DecodedGraph, DecodedNode, DecodedVariable } from './graph_json_decode';
import { importError, isValidOpName, MAX_ELEMENTS, parseTensorRef } from './graph_json_schema';

export interface BuildOptions {
  inputMap: ReadonlyMap<string, Tensor>;
  returnElements: readonly string[];
  scope: string;
}

/**
 * Adds a validated graph to `graph`. The whole import first runs into a scratch graph (shape inference
 * of every node, with the same inputs), so a graph that fails anywhere leaves `graph` unchanged.
 */
export function buildImportedGraph(
  graph: Graph,
  d: DecodedGraph,
  opts: BuildOptions,
): (Tensor | Operation)[] {
  if (graph.isFinalized)
    throw new FailedPreconditionError('importGraphDef: the graph is finalized and cannot be modified.');
  const tensorIn = (ref: string, what: string): [number, number] => {
    const [name, output] = parseTensorRef(ref, (why) => importError(what, why));
    const node = d.byName.get(name);
    if (node === undefined || output >= (d.nodes[node] as DecodedNode).outputs.length)
      importError(what, `'${ref}' is not a tensor of the imported graph`);
    return [node as number, output];
  };
  const mapped = new Map<string, Tensor>();
  for (const [key, t] of opts.inputMap) {
    const [node, output] = tensorIn(key, 'inputMap');
    if (!(t instanceof Tensor) || t.graph !== graph)
      importError('inputMap', `the value for '${key}' must be a Tensor of the graph imported into`);
    const recorded = (d.nodes[node] as DecodedNode).outputs[output] as { dtype: string };
    if (t.dtype !== recorded.dtype)
      importError(
        'inputMap',
        `'${key}' has dtype ${recorded.dtype} but is mapped to ${t.name} of dtype ${t.dtype}`,
      );
    mapped.set(`${node}:${output}`, t);
  }
  const returns = opts.returnElements.map((r): [number, number | null] => {
    if (typeof r === 'string' && r.includes(':')) return tensorIn(r, 'returnElements');
    const node = typeof r === 'string' ? d.byName.get(r) : undefined;
    if (node === undefined)
      importError('returnElements', `'${String(r)}' is not an op of the imported graph`);
    return [node as number, null];
  });
  if (opts.scope !== '' && !isValidOpName(opts.scope))
    importError('name', `'${opts.scope}' is not a valid name scope`);
  const scope = opts.scope === '' ? '' : graph.nameScope('', () => graph.uniqueName(opts.scope, false));
  const full = (name: string): string => (scope ? `${scope}/${name}` : name);
  for (const node of d.nodes) {
    const name = full(node.name);
    if (graph.nameScope('', () => graph.uniqueName(name, false)) !== name || hasOp(graph, name)) {
      importError(
        `node '${node.name}' (op: '${node.type}')`,
        `the name '${name}' is already used in the graph (import under a name scope with the 'name' option)`,
      );
    }
  }

  // Dry run: same nodes, attrs and input shapes, in a throwaway graph.
  const scratch = new Graph();
  const scratchMap = new Map<string, Tensor>();
  scratch.asDefault(() => {
    for (const [key, t] of mapped) {
      scratchMap.set(
        key,
        makeOp('Placeholder', [], { dtype: t.dtype, shape: t.shape }, 'mapped_input', scratch)
          .outputs[0] as Tensor,
      );
    }
  });
  addNodes(scratch, d, scratchMap, scope, false);

  const ops = addNodes(graph, d, mapped, scope, true);
  if (d.seed !== null && graph.seed === undefined) graph.seed = d.seed;
  for (const [key, items] of d.collections) {
    for (const item of items) {
      if (item.kind === 'value') graph.addToCollection(key, item.value);
      else if (item.kind === 'op') graph.addToCollection(key, ops[item.node]);
      else if (item.kind === 'variable') graph.addToCollection(key, (ops[item.node] as Operation).outputs[0]);
      else graph.addToCollection(key, (ops[item.node] as Operation).outputs[item.output]);
    }
  }
  return returns.map(([node, output]) => {
    const op = ops[node] as Operation;
    return output === null ? op : (op.outputs[output] as Tensor);
  });
}

function hasOp(graph: Graph, name: string): boolean {
  try {
    graph.getOperationByName(name);
    return true;
  } catch {
    return false;
  }
}

function addNodes(
  g: Graph,
  d: DecodedGraph,
  mapped: ReadonlyMap<string, Tensor>,
  scope: string,
  real: boolean,
): Operation[] {
  const varDefs = new Map<number, DecodedVariable>(d.variables.map((v) => [v.variable, v]));
  return g.nameScope('', () =>
    g.controlDependencies(null, () => {
      if (scope) g.uniqueName(scope);
      const ops: Operation[] = [];
      const wrapped: [Variable, DecodedVariable][] = [];
      for (const node of d.nodes) {
        const where = `node '${node.name}' (op: '${node.type}')`;
        const inputs = node.inputs.map(
          ({ node: i, output }) =>
            mapped.get(`${i}:${output}`) ?? ((ops[i] as Operation).outputs[output] as Tensor),
        );
        const control = node.controlInputs.map((i) => ops[i] as Operation);
        const name = scope ? `${scope}/${node.name}` : node.name;
        claimName(g, name);
        let op: Operation;
        try {
          const create = (): Operation =>
            makeOp(node.type, inputs, node.attrs, undefined, g, { exactName: name, controlInputs: control });
          op = node.device ? g.device(node.device, create) : create();
        } catch (e) {
          return importError(where, (e as Error).message);
        }
        checkOutputs(op, node, mapped.size > 0, where);
        const def = varDefs.get(node.index);
        if (real && def) wrapped.push([wrapVariable(op), def]);
        ops.push(op);
      }
      for (const [v, def] of wrapped) completeVariable(v, def, ops);
      return ops;
    }),
  );
}

/** Marks `name` and its scopes as used, so ops created after the import get fresh names (as in TF1). */
function claimName(g: Graph, name: string): void {
  const parts = name.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    // A name already claimed here is a scope an earlier node opened (e.g. 'W' by 'W/initial_value').
    if (g.uniqueName(prefix, false) === prefix) g.uniqueName(prefix);
  }
}

function checkOutputs(op: Operation, node: DecodedNode, relaxed: boolean, where: string): void {
  if (op.outputs.length !== node.outputs.length) {
    importError(
      where,
      `the graph records ${node.outputs.length} outputs but the op has ${op.outputs.length}`,
    );
  }
  op.outputs.forEach((t, i) => {
    const rec = node.outputs[i] as { dtype: string; shape: Shape };
    const same = relaxed ? mergeShapes(t.shape, rec.shape) !== undefined : sameShape(t.shape, rec.shape);
    if (t.dtype !== rec.dtype || !same) {
      importError(
        where,
        `output ${i} is ${t.dtype} ${shapeToString(t.shape)} when rebuilt, but the graph records ${rec.dtype} ${shapeToString(rec.shape)}`,
      );
    }
    const known = (t.shape ?? []).reduce<number>((n, dim) => (dim !== null && dim > 0 ? n * dim : n), 1);
    if (known > MAX_ELEMENTS)
      importError(
        where,
        `output ${i} has shape ${shapeToString(t.shape)}, more than ${MAX_ELEMENTS} elements`,
      );
  });
}

function sameShape(a: Shape, b: Shape): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Turns an imported VariableV2 op back into a `tf.Variable` without creating ops (TF1's
 * `Variable(variable_def=...)`): the object is a Variable whose constructor did not run; its fields are
 * set from the VariableDef once the initializer and snapshot nodes exist.
 */
function wrapVariable(op: Operation): Variable {
  const t = op.outputs[0] as Tensor;
  const v = Reflect.construct(Tensor, [op, 0, t.shape, t.dtype], Variable) as Variable;
  op.outputs[0] = v;
  return v;
}

function completeVariable(v: Variable, def: DecodedVariable, ops: Operation[]): void {
  const tensor = ([i, o]: [number, number]): Tensor => (ops[i] as Operation).outputs[o] as Tensor;
  const snapshot = tensor(def.snapshot);
  Object.defineProperties(v, {
    initializer: { value: ops[def.initializer], enumerable: true },
    initialValue: { value: tensor(def.initialValue), enumerable: true },
    trainable: { value: def.trainable, enumerable: true },
    snapshot: { value: snapshot },
    value: { value: () => snapshot },
  });
  if (!(v.initializer instanceof Operation))
    throw new InvalidArgumentError(`importGraphDef: variable '${v.op.name}' has no initializer`);
}
