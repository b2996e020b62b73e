import { InvalidArgumentError } from '../errors';
import type { Graph } from '../graph/graph';
import { Operation, Tensor } from '../graph/tensor';
import type { NDArray } from '../ndarray';

/** One fetch: a Tensor or Variable (its value), an Operation (run it), or a name (`'loss:0'`, `'train'`). */
export type FetchLeaf = Tensor | Operation | string;
/** Any nesting of arrays and plain objects of fetch leaves. */
export type Fetches = FetchLeaf | readonly Fetches[] | { readonly [key: string]: Fetches };

/** The result of `run` mirrors the fetch structure: Tensor → NDArray, Operation → null. */
export type FetchResult<F> = F extends Tensor
  ? NDArray
  : F extends Operation
    ? null
    : F extends string
      ? NDArray | null
      : F extends readonly unknown[]
        ? { -readonly [K in keyof F]: FetchResult<F[K]> }
        : F extends object
          ? { -readonly [K in keyof F]: FetchResult<F[K]> }
          : never;

export interface FlatFetches {
  /** Every leaf in depth-first order (duplicates kept; the plan computes each once). */
  leaves: (Tensor | Operation)[];
  rebuild(values: readonly (NDArray | null)[]): unknown;
}

/** Deepest nesting of fetch arrays/objects accepted (deeper would overflow the stack). */
const MAX_FETCH_DEPTH = 1000;

/** Flattens a fetch structure and returns a function that rebuilds it from per-leaf values. */
export function flattenFetches(graph: Graph, fetches: Fetches): FlatFetches {
  const leaves: (Tensor | Operation)[] = [];
  // Containers being walked: a structure that contains itself is an error, not a stack overflow.
  const open = new Set<object>();
  const enter = (f: object): void => {
    if (open.has(f))
      throw new InvalidArgumentError('Fetch argument contains itself (a cyclic array or object).');
    open.add(f);
    if (open.size > MAX_FETCH_DEPTH)
      throw new InvalidArgumentError(`Fetch argument is nested more than ${MAX_FETCH_DEPTH} levels deep.`);
  };
  const walk = (f: Fetches): ((vals: readonly (NDArray | null)[]) => unknown) => {
    if (f instanceof Tensor || f instanceof Operation || typeof f === 'string') {
      const leaf = resolveLeaf(graph, f);
      if (leaf.graph !== graph)
        throw new InvalidArgumentError(`Fetch ${leaf.name} is not an element of this session's graph.`);
      const i = leaves.push(leaf) - 1;
      return (vals) => vals[i];
    }
    if (Array.isArray(f)) {
      enter(f);
      const parts = (f as readonly Fetches[]).map(walk);
      open.delete(f);
      return (vals) => parts.map((p) => p(vals));
    }
    if (f !== null && typeof f === 'object') {
      enter(f);
      const entries = Object.entries(f as Record<string, Fetches>).map(([k, v]) => [k, walk(v)] as const);
      open.delete(f);
      // A class instance (an LSTMStateTuple) comes back as one of its class, as TF1's namedtuples do.
      const proto = Object.getPrototypeOf(f) as object | null;
      return (vals) => {
        const out = Object.fromEntries(entries.map(([k, p]) => [k, p(vals)]));
        return proto === Object.prototype || proto === null ? out : Object.assign(Object.create(proto), out);
      };
    }
    throw new InvalidArgumentError(
      `Fetch argument ${String(f)} has invalid type ${typeof f}: must be a Tensor, Operation, name string, or an array/object of them.`,
    );
  };
  const rebuild = walk(fetches);
  return { leaves, rebuild };
}

function resolveLeaf(graph: Graph, f: FetchLeaf): Tensor | Operation {
  if (typeof f !== 'string') return f;
  return f.includes(':') ? graph.getTensorByName(f) : graph.getOperationByName(f);
}
