/**
 * The graph side of tf.data datasets: a dataset is a tree of `Node`s holding its input tensors, lowered
 * per iterator to plain data (`DatasetDef`, an attr) plus the list of tensors the iterator op reads; and
 * the tracing of element functions (`map`, `filter`) into function graphs.
 */
import { InvalidArgumentError } from '../errors';
import type { DType } from '../graph/dtype';
import { FuncDef, resultIn, toFuncDef, traceFunc } from '../graph/func_graph';
import { getDefaultGraph, Graph } from '../graph/graph';
import { Shape, shapeToString } from '../graph/shape';
import { Operation, Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor } from '../ops/op_def';
import type { ArgDef, DatasetDef, Padding } from './pipeline';
import { flattenNested, isValueLeaf, rebuild, Structure } from './structure';

/** A scalar argument: a JS integer or a scalar int32 tensor (e.g. a placeholder fed at initialization). */
export type Arg = number | Tensor;

/** A dataset's definition with its input tensors still in place (lowered to indices per iterator). */
export type Node =
  | { op: 'tensors' | 'slices'; components: Tensor[] }
  | { op: 'range'; start: Arg; stop: Arg; step: Arg }
  | { op: 'zip' | 'concatenate'; children: Node[] }
  | { op: 'map' | 'filter'; child: Node; fn: FuncDef; captures: Tensor[] }
  | { op: 'batch'; child: Node; batchSize: Arg; dropRemainder: boolean; padded?: Padding }
  | { op: 'shuffle'; child: Node; bufferSize: Arg; seed: number | null; reshuffle: boolean }
  | { op: 'repeat' | 'take' | 'skip'; child: Node; count: Arg }
  | { op: 'prefetch'; child: Node; bufferSize: Arg }
  | { op: 'cache'; child: Node };

/** A dataset's definition as plain data, with the input tensors it reads (for iterator ops). */
export function lowerNode(node: Node): { def: DatasetDef; inputs: Tensor[] } {
  const inputs: Tensor[] = [];
  const index = (t: Tensor): number => {
    let i = inputs.indexOf(t);
    if (i < 0) i = inputs.push(t) - 1;
    return i;
  };
  const arg = (a: Arg): ArgDef => (typeof a === 'number' ? a : { input: index(a) });
  const walk = (n: Node): DatasetDef => {
    switch (n.op) {
      case 'tensors':
      case 'slices':
        return { op: n.op, components: n.components.map(index) };
      case 'range':
        return { op: 'range', start: arg(n.start), stop: arg(n.stop), step: arg(n.step) };
      case 'zip':
      case 'concatenate':
        return { op: n.op, children: n.children.map(walk) };
      case 'map':
      case 'filter':
        return { op: n.op, child: walk(n.child), fn: n.fn, captures: n.captures.map(index) };
      case 'batch':
        return {
          op: 'batch',
          child: walk(n.child),
          batchSize: arg(n.batchSize),
          dropRemainder: n.dropRemainder,
          ...(n.padded ? { padded: n.padded } : {}),
        };
      case 'shuffle':
        return {
          op: 'shuffle',
          child: walk(n.child),
          bufferSize: arg(n.bufferSize),
          seed: n.seed,
          reshuffle: n.reshuffle,
        };
      case 'repeat':
      case 'take':
      case 'skip':
        return { op: n.op, child: walk(n.child), count: arg(n.count) };
      case 'prefetch':
        return { op: 'prefetch', child: walk(n.child), bufferSize: arg(n.bufferSize) };
      case 'cache':
        return { op: 'cache', child: walk(n.child) };
    }
  };
  return { def: walk(node), inputs };
}

/** Traces `fn` over a dataset's element into a function graph (once), as `map`/`filter` do. */
export function traceElementFn(
  ds: { structure: Structure; types: readonly DType[]; shapes: readonly Shape[]; graph: Graph },
  what: string,
  fn: (...xs: unknown[]) => unknown,
): { fn: FuncDef; captures: Tensor[]; outputs: Tensor[]; structure: Structure } {
  const args = ds.types.map((dtype, i) => ({ dtype, shape: ds.shapes[i] ?? null, name: `arg${i}` }));
  const {
    graph: fg,
    inputs,
    result,
  } = traceFunc(
    what,
    args,
    (...xs) => {
      const element = rebuild(ds.structure, xs);
      return ds.structure.kind === 'tuple' ? fn(...(element as unknown[])) : fn(element);
    },
    ds.graph,
  );
  if (result === undefined || result === null) {
    throw new InvalidArgumentError(
      `${what}: the function must return a tensor or a tuple/dict of tensors, got ${String(result)}`,
    );
  }
  const flat = flattenNested<TensorLike>(result, (x) => x instanceof Tensor || isValueLeaf(x), what);
  const outputs = flat.leaves.map((x) => resultIn(fg, x));
  const captures = fg.captures;
  for (const [outer] of captures) {
    const v = ancestorOfType(outer.op, 'VariableV2');
    if (v) {
      throw new InvalidArgumentError(
        `${what}: the function reads variable '${v.name}', whose value would be taken once when the iterator is initialized; pass its value through the dataset or compute with it after getNext()`,
      );
    }
  }
  const def = toFuncDef(fg, what.replace('.', '_'), [...inputs, ...captures.map(([, ph]) => ph)], outputs);
  return { fn: def, captures: captures.map(([t]) => t), outputs, structure: flat.structure };
}

/** Converts a nested value of tensors to tensors (plain data becomes constants, as TF1 does). */
export function toTensors(value: unknown, what: string): { structure: Structure; tensors: Tensor[] } {
  const { structure, leaves } = flattenNested<TensorLike>(
    value,
    (x) => x instanceof Tensor || isValueLeaf(x),
    what,
  );
  return { structure, tensors: leaves.map((x) => convertToTensor(x)) };
}

export function scalarArg(a: Arg, what: string): Arg {
  if (typeof a === 'number') return a;
  if (a.dtype !== 'int32' || (a.shape !== null && a.shape.length !== 0)) {
    throw new InvalidArgumentError(
      `${what} must be a scalar int32 tensor, got ${a.dtype} ${shapeToString(a.shape)} ('${a.name}')`,
    );
  }
  return a;
}

export function graphOfTensors(ts: readonly Tensor[]): Graph {
  return sameGraph(ts.map((t) => t.graph));
}

export function graphOfArgs(args: readonly Arg[]): Graph {
  return graphOfTensors(args.filter((a): a is Tensor => a instanceof Tensor));
}

export function sameGraph(graphs: readonly Graph[]): Graph {
  const g = graphs[0] ?? getDefaultGraph();
  if (graphs.some((h) => h !== g))
    throw new InvalidArgumentError('The datasets and tensors must be from the same graph');
  return g;
}

export function mostSpecificCompatible(a: Shape, b: Shape): Shape {
  if (a === null || b === null || a.length !== b.length) return null;
  return a.map((d, i) => (d === b[i] ? d : null));
}

/** The first op of `type` among `op` and its ancestors, if any. */
export function ancestorOfType(op: Operation, type: string): Operation | undefined {
  const seen = new Set<Operation>();
  const stack = [op];
  while (stack.length) {
    const o = stack.pop() as Operation;
    if (seen.has(o)) continue;
    seen.add(o);
    if (o.type === type) return o;
    for (const t of o.inputs) stack.push(t.op);
    for (const c of o.controlInputs) stack.push(c);
  }
  return undefined;
}
