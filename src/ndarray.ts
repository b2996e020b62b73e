import { DType, TypedArray, allocArray, isDType } from './graph/dtype';
import { InvalidArgumentError } from './errors';
import { badDim, shapeToString, sizeOf } from './graph/shape';

/** Nested JS arrays of numbers or booleans, as a user writes them. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * A concrete value: what `Session.run` returns for a fetched tensor, and one of the forms a feed may take.
 *
 * @example
 * const a = tf.ndarray(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * a.get(1, 0); // 3
 * a.toArray(); // [[1, 2], [3, 4]]
 */
export class NDArray {
  /** The elements, row-major. */
  declare readonly data: TypedArray;
  /** The dims (a frozen copy: changing it later is impossible, so data and shape always agree). */
  declare readonly shape: number[];
  declare readonly dtype: DType;

  constructor(data: TypedArray, shape: readonly number[], dtype: DType) {
    if (!isDType(dtype)) {
      throw new InvalidArgumentError(
        `NDArray: unknown dtype ${JSON.stringify(String(dtype))} (expected 'float32', 'int32' or 'bool')`,
      );
    }
    if (!isStorageFor(data, dtype)) {
      throw new InvalidArgumentError(
        `NDArray: data for dtype ${dtype} must be a ${STORAGE[dtype].name}, got ${describe(data)}`,
      );
    }
    const dims = checkShapeArg(shape, 'NDArray');
    if (data.length !== sizeOf(dims)) {
      throw new InvalidArgumentError(
        `NDArray: ${data.length} elements do not fill shape ${shapeToString(dims)}`,
      );
    }
    // Non-writable own properties: kernels trust `data.length === size(shape)` (the WASM kernels copy
    // exactly that many elements), so neither may be swapped after the check above.
    Object.defineProperties(this, {
      data: { value: data, enumerable: true },
      shape: { value: Object.freeze(dims), enumerable: true },
      dtype: { value: dtype, enumerable: true },
    });
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The single element of a tensor with one element (any rank). */
  item(): number | boolean {
    if (this.data.length !== 1) {
      throw new InvalidArgumentError(
        `item() needs exactly one element, but this array has shape ${shapeToString(this.shape)}`,
      );
    }
    return this.read(0);
  }

  /** The element at a full index; negative indices count from the end. */
  get(...index: number[]): number | boolean {
    if (index.length !== this.shape.length) {
      throw new InvalidArgumentError(
        `get() needs ${this.shape.length} indices for shape ${shapeToString(this.shape)}`,
      );
    }
    let flat = 0;
    for (let i = 0; i < index.length; i++) {
      const dim = this.shape[i] as number;
      const raw = index[i] as number;
      const k = raw < 0 ? raw + dim : raw;
      if (!Number.isInteger(k) || k < 0 || k >= dim) {
        throw new InvalidArgumentError(`get(): index ${raw} is out of range for axis ${i} with size ${dim}`);
      }
      flat = flat * dim + k;
    }
    return this.read(flat);
  }

  /** The values as nested JS arrays (booleans for `bool`). */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.read(0);
    let pos = 0;
    const build = (axis: number): NestedArray[] => {
      const dim = this.shape[axis] as number;
      const out: NestedArray[] = new Array(dim);
      for (let i = 0; i < dim; i++)
        out[i] = axis === this.shape.length - 1 ? this.read(pos++) : build(axis + 1);
      return out;
    };
    return build(0);
  }

  /** Numpy-like rendering: `[[1, 2], [3, 4]]`. */
  toString(): string {
    const fmt = (v: number | boolean): string => {
      if (typeof v === 'boolean') return v ? 'True' : 'False';
      if (this.dtype === 'int32') return String(v);
      return Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.` : String(Number(v.toPrecision(8)));
    };
    const render = (v: NestedArray, depth: number): string => {
      if (!Array.isArray(v)) return fmt(v);
      const sep = depth === this.shape.length - 1 ? ', ' : ',\n' + ' '.repeat(depth + 1);
      return `[${v.map((x) => render(x, depth + 1)).join(sep)}]`;
    };
    return render(this.toArray(), 0);
  }

  private read(i: number): number | boolean {
    const v = this.data[i] as number;
    return this.dtype === 'bool' ? v !== 0 : v;
  }
}

/**
 * Builds an NDArray from a typed array (or plain numbers) and a shape.
 *
 * @example
 * const x = tf.ndarray(new Float32Array(784 * 100), [100, 784]);
 */
export function ndarray(
  data: TypedArray | ArrayLike<number> | NestedArray,
  shape?: number[],
  dtype?: DType,
): NDArray {
  if (data instanceof NDArray) return data;
  if (dtype !== undefined && !isDType(dtype)) {
    throw new InvalidArgumentError(
      `ndarray: unknown dtype ${JSON.stringify(String(dtype))} (expected 'float32', 'int32' or 'bool')`,
    );
  }
  if (shape !== undefined) checkShapeArg(shape, 'ndarray');
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const typed = data as TypedArray;
    const dt = dtype ?? dtypeOfTyped(typed);
    const sh = shape ?? [typed.length];
    const converted = typedMatches(typed, dt) ? typed : copyInto(typed, allocArray(dt, typed.length));
    return new NDArray(converted, sh, dt);
  }
  const arr = toNDArray(data as NestedArray, dtype);
  if (shape === undefined) return arr;
  if (sizeOf(shape) !== arr.size) {
    throw new InvalidArgumentError(`ndarray: ${arr.size} values cannot take shape ${shapeToString(shape)}`);
  }
  return new NDArray(arr.data, shape, arr.dtype);
}

const STORAGE = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/** The typed array class of each dtype (Float64Array also holds any dtype in the CPU float64 mode). */
function isStorageFor(data: unknown, dtype: DType): data is TypedArray {
  return data instanceof STORAGE[dtype] || data instanceof Float64Array;
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return typeof x;
}

/**
 * A copy of a concrete shape after checking it: an array of integer dims in [0, 2**31) whose element
 * count is at most 2**53 (so sizes are exact). `what` names the caller in the error.
 */
export function checkShapeArg(shape: unknown, what: string): number[] {
  if (!Array.isArray(shape))
    throw new InvalidArgumentError(`${what}: shape must be an array of dims, got ${describe(shape)}`);
  const dims: number[] = [];
  for (const d of shape as unknown[]) {
    const bad = badDim(d);
    if (bad !== undefined)
      throw new InvalidArgumentError(
        `${what}: invalid dim in shape [${shape.map(String).join(',')}]: ${bad}`,
      );
    dims.push(d as number);
  }
  return dims;
}

function dtypeOfTyped(a: TypedArray): DType {
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return 'float32';
}

function typedMatches(a: TypedArray, dtype: DType): boolean {
  return dtypeOfTyped(a) === dtype;
}

function copyInto(src: ArrayLike<number>, dst: TypedArray): TypedArray {
  for (let i = 0; i < src.length; i++) dst[i] = src[i] as number;
  return dst;
}

/** Infers the shape of nested arrays; throws on ragged input. */
export function inferShapeOf(value: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0] as NestedArray;
  }
  return shape;
}

/** Converts a plain JS value (number, boolean, nested arrays, typed array, NDArray) to an NDArray. */
export function toNDArray(
  value: NestedArray | NDArray | TypedArray,
  dtype?: DType,
  float64Storage = false,
): NDArray {
  if (value instanceof NDArray)
    return dtype === undefined || dtype === value.dtype ? value : castNDArray(value, dtype);
  if (ArrayBuffer.isView(value)) return ndarray(value, undefined, dtype);
  const shape = inferShapeOf(value);
  const size = sizeOf(shape);
  const flat: (number | boolean)[] = [];
  const walk = (v: NestedArray, axis: number): void => {
    if (axis === shape.length) {
      if (Array.isArray(v))
        throw new InvalidArgumentError(
          `Can't convert ragged nested array: expected shape ${shapeToString(shape)}`,
        );
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new InvalidArgumentError(`Can't convert value ${String(v)} of type ${typeof v} to a tensor`);
      }
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[axis]) {
      throw new InvalidArgumentError(
        `Can't convert ragged nested array: expected shape ${shapeToString(shape)}`,
      );
    }
    for (const x of v) walk(x, axis + 1);
  };
  walk(value, 0);
  const inferred: DType = flat.length > 0 && flat.every((x) => typeof x === 'boolean') ? 'bool' : 'float32';
  const dt = dtype ?? inferred;
  if (!isDType(dt)) throw new InvalidArgumentError(`Unknown dtype '${String(dt)}'`);
  const data = allocArray(dt, size, float64Storage);
  for (let i = 0; i < size; i++) {
    const x = flat[i] as number | boolean;
    data[i] = typeof x === 'boolean' ? (x ? 1 : 0) : dt === 'bool' ? (x !== 0 ? 1 : 0) : x;
  }
  return new NDArray(data, shape, dt);
}

/** Converts an NDArray's elements to another dtype (bool: non-zero → true; int32: truncation). */
export function castNDArray(a: NDArray, dtype: DType): NDArray {
  if (a.dtype === dtype) return a;
  const out = allocArray(dtype, a.size);
  const src = a.data;
  if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
  else for (let i = 0; i < src.length; i++) out[i] = src[i] as number;
  return new NDArray(out, a.shape.slice(), dtype);
}
