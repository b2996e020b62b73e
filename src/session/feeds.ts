import type { Backend } from '../backends/backend';
import { InvalidArgumentError } from '../errors';
import type { DType } from '../graph/dtype';
import type { Graph } from '../graph/graph';
import { isCompatible, shapeToString } from '../graph/shape';
import { Operation, Tensor } from '../graph/tensor';
import { castNDArray, NDArray, NestedArray, toNDArray } from '../ndarray';

/** A value to feed: plain numbers/booleans/nested arrays, or a `tf.NDArray` (`tf.ndarray(data, shape)`). */
export type FeedValue = NDArray | NestedArray;
/** Feeds as a Map, an array of pairs, or an object keyed by tensor name (`'x:0'`, or `'x'` for output 0). */
export type FeedDict =
  | Map<Tensor | string, FeedValue>
  | readonly (readonly [Tensor | string, FeedValue])[]
  | { readonly [tensorName: string]: FeedValue };

export interface Feed {
  tensor: Tensor;
  value: NDArray;
}

/**
 * Resolves keys, converts values to the tensor's dtype and checks shapes, before anything runs. Plain JS
 * numbers fed to a float32 tensor are kept exact (float64 storage); the backend decides how it stores
 * them (`storeFeed`).
 */
export function normalizeFeeds(graph: Graph, feedDict: FeedDict | undefined): Feed[] {
  if (feedDict === undefined || feedDict === null) return [];
  let pairs: [Tensor | string, FeedValue][];
  if (feedDict instanceof Map) pairs = [...feedDict.entries()];
  else if (Array.isArray(feedDict))
    pairs = (feedDict as [Tensor | string, FeedValue][]).map(([k, v]) => [k, v]);
  else pairs = Object.entries(feedDict as Record<string, FeedValue>);
  const seen = new Map<string, Feed>();
  for (const [key, raw] of pairs.flatMap(([k, v]) => flattenFeed(k, v))) {
    const tensor = typeof key === 'string' ? graph.getTensorByName(key) : key;
    if (!(tensor instanceof Tensor))
      throw new InvalidArgumentError(`Feed key ${String(key)} is not a Tensor or tensor name.`);
    if (tensor.graph !== graph)
      throw new InvalidArgumentError(`Tensor ${tensor.name} fed is not an element of this session's graph.`);
    const value = convertFeed(tensor, raw);
    if (!isCompatible(tensor.shape, value.shape)) {
      throw new InvalidArgumentError(
        `Cannot feed value of shape ${shapeToString(value.shape)} for Tensor '${tensor.name}', which has shape ${shapeToString(tensor.shape)}`,
      );
    }
    seen.set(tensor.key, { tensor, value });
  }
  return [...seen.values()];
}

/**
 * TF1's nested feed keys: a key that is a structure of tensors (a tuple, an LSTMStateTuple, a `{ c, h }`
 * object — e.g. an RNN's initial state) takes a value of the same structure, fed leaf by leaf.
 */
function flattenFeed(key: unknown, value: unknown, path = ''): [Tensor | string, FeedValue][] {
  if (key instanceof Tensor || typeof key === 'string') return [[key, value as FeedValue]];
  const structure = (k: unknown): string => (Array.isArray(k) ? `a list of ${k.length}` : 'an object');
  if (Array.isArray(key)) {
    const v = value as { length?: unknown } | null;
    if (v === null || typeof v !== 'object' || v.length !== key.length)
      throw new InvalidArgumentError(
        `Feed key${path} is ${structure(key)} tensors: its value must have the same structure (a list of ${key.length}), got ${describe(value)}`,
      );
    return key.flatMap((k, i) => flattenFeed(k, (value as Record<number, unknown>)[i], `${path}[${i}]`));
  }
  if (key instanceof Operation)
    throw new InvalidArgumentError(
      `Feed key ${key.name}${path} is an Operation: feed one of its outputs ('${key.name}:0')`,
    );
  if (key !== null && typeof key === 'object' && !(key instanceof NDArray)) {
    const names = Object.keys(key);
    if (names.length && value !== null && typeof value === 'object' && names.every((n) => n in value))
      return names.flatMap((n) =>
        flattenFeed(
          (key as Record<string, unknown>)[n],
          (value as Record<string, unknown>)[n],
          `${path}.${n}`,
        ),
      );
    if (names.length)
      throw new InvalidArgumentError(
        `Feed key${path} is a structure of tensors (${names.join(', ')}): its value must have the same fields, got ${describe(value)}`,
      );
  }
  throw new InvalidArgumentError(
    `Feed key ${String(key)}${path ? ` (at ${path})` : ''} is not a Tensor or tensor name.`,
  );
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v instanceof NDArray) return `an array of shape ${shapeToString(v.shape)}`;
  return typeof v === 'object' ? `an object with fields ${Object.keys(v).join(', ')}` : typeof v;
}

/**
 * A fed value as `backend` stores it: its own `adoptFeed` (the CPU backend's float64 reference mode keeps
 * exact JS numbers), or float32 values in a Float32Array (rounded once, here, as TF1 does on feeding).
 */
export function storeFeed(backend: Backend, value: NDArray): NDArray {
  if (backend.adoptFeed) return backend.adoptFeed(value);
  if (value.dtype !== 'float32' || value.data instanceof Float32Array) return value;
  return new NDArray(Float32Array.from(value.data), value.shape, value.dtype);
}

/** Plain JS numbers are converted exactly (float64 storage for float32); see storeFeed. */
function convertFeed(tensor: Tensor, raw: FeedValue): NDArray {
  const dtype: DType = tensor.dtype;
  if (raw instanceof NDArray) {
    if (raw.dtype === dtype) return raw;
    // TF1 converts a fed array to the tensor's dtype (np.asarray): done here where it loses nothing —
    // bool/int32 to wider types, and float values that are all int32 integers (np.ones(...) targets).
    if (raw.dtype === 'float32' && dtype === 'int32') {
      const bad = firstNonInt32(Array.from(raw.data));
      if (bad !== undefined)
        throw new InvalidArgumentError(
          `Cannot feed value of dtype float32 for Tensor '${tensor.name}' of dtype int32: its element ${String(bad)} is not an int32 integer`,
        );
      return castNDArray(raw, dtype);
    }
    const lossless = (raw.dtype === 'bool' || raw.dtype === 'int32') && dtype !== 'bool';
    if (!lossless) {
      throw new InvalidArgumentError(
        `Cannot feed value of dtype ${raw.dtype} for Tensor '${tensor.name}' of dtype ${dtype}`,
      );
    }
    return castNDArray(raw, dtype);
  }
  if (dtype === 'int32') {
    // Checked before converting: an Int32Array would silently wrap 2**31 to -2**31 and truncate 0.5.
    const bad = firstNonInt32(raw as NestedArray);
    if (bad !== undefined) {
      throw new InvalidArgumentError(
        Number.isInteger(bad)
          ? `Cannot feed value ${String(bad)} for Tensor '${tensor.name}' of dtype int32: it is outside the int32 range [-2**31, 2**31)`
          : `Cannot feed non-integer value ${String(bad)} for Tensor '${tensor.name}' of dtype int32: int32 holds only integers`,
      );
    }
  }
  let value: NDArray;
  try {
    value = toNDArray(raw as NestedArray, dtype, true);
  } catch (e) {
    throw new InvalidArgumentError(`Cannot feed value for Tensor '${tensor.name}': ${(e as Error).message}`);
  }
  return value;
}

/** The first element an int32 cannot hold exactly (non-integer, NaN, ±Infinity, out of range), if any. */
function firstNonInt32(v: NestedArray): number | undefined {
  if (Array.isArray(v)) {
    for (const e of v) {
      const bad = firstNonInt32(e as NestedArray);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (typeof v !== 'number') return undefined;
  return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 ? undefined : v;
}
