import type { Backend } from '../backends/backend';
import { InvalidArgumentError } from '../errors';
import type { DType } from '../graph/dtype';
import type { Graph } from '../graph/graph';
import { isCompatible, shapeToString } from '../graph/shape';
import { Tensor } from '../graph/tensor';
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
  for (const [key, raw] of pairs) {
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
