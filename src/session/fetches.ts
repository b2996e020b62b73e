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

/** Flattens a fetch structure and returns a function that rebuilds it from per-leaf values. */
export function flattenFetches(graph: Graph, fetches: Fetches): FlatFetches {
  const leaves: (Tensor | Operation)[] = [];
  const walk = (f: Fetches): ((vals: readonly (NDArray | null)[]) => unknown) => {
    if (f instanceof Tensor || f instanceof Operation || typeof f === 'string') {
      const leaf = resolveLeaf(graph, f);
      if (leaf.graph !== graph)
        throw new InvalidArgumentError(`Fetch ${leaf.name} is not an element of this session's graph.`);
      const i = leaves.push(leaf) - 1;
      return (vals) => vals[i];
    }
    if (Array.isArray(f)) {
      const parts = (f as readonly Fetches[]).map(walk);
      return (vals) => parts.map((p) => p(vals));
    }
    if (f !== null && typeof f === 'object') {
      const entries = Object.entries(f as Record<string, Fetches>).map(([k, v]) => [k, walk(v)] as const);
      return (vals) => Object.fromEntries(entries.map(([k, p]) => [k, p(vals)]));
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
