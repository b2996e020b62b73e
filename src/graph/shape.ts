/** A static dimension: a size, or `null` when unknown until run time. */
export type Dim = number | null;
/** A static shape: a list of dims, or `null` when even the rank is unknown. */
export type Shape = Dim[] | null;

/** TF1's rendering of a shape: `[?,784]`, `[]`, or `<unknown>`. */
export function shapeToString(shape: Shape | readonly number[]): string {
  if (shape === null) return '<unknown>';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Number of elements when every dim is known, else `null`. */
export function staticSize(shape: Shape): number | null {
  if (shape === null || shape.some((d) => d === null)) return null;
  return sizeOf(shape as number[]);
}

export function isFullyDefined(shape: Shape): shape is number[] {
  return shape !== null && shape.every((d) => d !== null);
}

/** Row-major strides of a concrete shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/**
 * Numpy broadcasting of two static shapes. Returns the broadcast shape, or `undefined` when two known
 * dims differ and neither is 1 (the caller reports the error with the op's name).
 */
export function broadcastShapes(a: Shape, b: Shape): Shape | undefined {
  if (a === null || b === null) return null;
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = new Array<Dim>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : (a[i - (rank - a.length)] as Dim);
    const db = i < rank - b.length ? 1 : (b[i - (rank - b.length)] as Dim);
    if (da === 1) out[i] = db;
    else if (db === 1) out[i] = da;
    else if (da === null) out[i] = db;
    else if (db === null) out[i] = da;
    else if (da === db) out[i] = da;
    else return undefined;
  }
  return out;
}

/** True when a concrete shape can be a value of a tensor with this static shape. */
export function isCompatible(staticShape: Shape, concrete: readonly number[]): boolean {
  if (staticShape === null) return true;
  if (staticShape.length !== concrete.length) return false;
  return staticShape.every((d, i) => d === null || d === concrete[i]);
}

/** The most specific shape compatible with both, or `undefined` if they conflict. */
export function mergeShapes(a: Shape, b: Shape): Shape | undefined {
  if (a === null) return b;
  if (b === null) return a;
  if (a.length !== b.length) return undefined;
  const out: Dim[] = [];
  for (let i = 0; i < a.length; i++) {
    const da = a[i] as Dim;
    const db = b[i] as Dim;
    if (da !== null && db !== null && da !== db) return undefined;
    out.push(da ?? db);
  }
  return out;
}

/** Normalises a possibly negative axis against `rank`; returns `undefined` when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank && Number.isInteger(a) ? a : undefined;
}

/** Largest dimension size (TF1's int32 dims): every dim lies in [0, 2**31). */
export const MAX_DIM = 2 ** 31 - 1;

/**
 * Most outputs one op may have (`Split`'s `num_split`, `Unpack`'s `num`): each output is a graph object,
 * so a hostile attr must be refused before they are built.
 */
export const MAX_OP_OUTPUTS = 65536;

/** Why `d` is not a valid concrete dim (an integer in [0, 2**31)), or `undefined` when it is. */
export function badDim(d: unknown): string | undefined {
  if (typeof d !== 'number' || !Number.isInteger(d)) return `${String(d)} is not an integer`;
  if (d < 0) return `${d} is negative`;
  if (d > MAX_DIM) return `${d} is out of the int32 range (dims must be below 2**31)`;
  return undefined;
}

/** Why a count of op outputs is invalid, or `undefined`. */
export function badOutputCount(n: unknown): string | undefined {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return `${String(n)} is not a positive integer`;
  if (n > MAX_OP_OUTPUTS) return `${n} exceeds the limit of ${MAX_OP_OUTPUTS} outputs per op`;
  return undefined;
}

/** Most elements one tensor may have (TF1's int32-indexable tensors): 2**31 - 1. */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

/**
 * Default most bytes one tensor may take (2 GiB): what a Node typed array and a typical machine hold. A
 * `Session({ maxTensorBytes })` or `importGraphDef(json, { maxTensorBytes })` sets another bound.
 */
export const DEFAULT_MAX_TENSOR_BYTES = 2 ** 31;

/** Bytes per element of each dtype. */
const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * Why a tensor of this concrete shape and dtype may not be allocated, in TF1's OOM wording, or
 * `undefined` when it fits the limits.
 */
export function tensorTooLarge(
  shape: readonly number[],
  dtype: string,
  maxBytes: number = DEFAULT_MAX_TENSOR_BYTES,
): string | undefined {
  const n = sizeOf(shape);
  const bytes = n * (BYTES[dtype] ?? 8);
  if (n <= MAX_TENSOR_ELEMENTS && bytes <= maxBytes) return undefined;
  const tfType = dtype === 'float32' ? 'float' : dtype;
  const why =
    n > MAX_TENSOR_ELEMENTS
      ? `${n} elements, more than ${MAX_TENSOR_ELEMENTS}`
      : `${bytes} bytes, more than the limit of ${maxBytes} bytes (maxTensorBytes)`;
  return `OOM when allocating tensor with shape${shapeToString(shape)} and type ${tfType}: ${why}`;
}

/**
 * One dimension of a TensorShape (TF1's `Dimension`): `value` is the size, or `null` when unknown;
 * `Number(dim)` is the size (TF1's `int(dim)`).
 *
 * @example
 * x.getShape()[1].value; // 784
 */
export class Dimension {
  constructor(readonly value: number | null) {}

  valueOf(): number {
    if (this.value === null) throw new Error('Cannot convert an unknown Dimension to an integer.');
    return this.value;
  }

  toString(): string {
    return this.value === null ? '?' : String(this.value);
  }
}

/**
 * TF1's `TensorShape` as returned by `Tensor.get_shape()` (here `tensor.getShape()`): `asList()` gives
 * the dims with `null` for unknown ones (TF1's `None`), and throws for an unknown rank as TF1 does.
 *
 * @example
 * const w = new tf.Variable(tf.randomNormal([7 * 7 * 64, 1024]));
 * tf.reshape(conv2, [-1, w.getShape().asList()[0]]);
 * w.getShape()[1].value; // 1024 (TF1's shape[1].value)
 */
export class TensorShape {
  /** `shape[i]`: TF1's indexing, a `Dimension` (`.value` is the size or `null`). */
  readonly [index: number]: Dimension;

  constructor(private readonly shape: Shape) {
    shape?.forEach((d, i) => Object.defineProperty(this, i, { value: new Dimension(d) }));
  }

  /** TF1's `len(shape)`: the rank; an error for an unknown rank, as TF1's ValueError. */
  get length(): number {
    if (this.shape === null) throw new Error('Cannot take the length of shape with unknown rank.');
    return this.shape.length;
  }

  /** The dims (`null` for unknown ones), or `null` for an unknown rank (TF1's `dims`). */
  get dims(): Dim[] | null {
    return this.shape === null ? null : [...this.shape];
  }

  /** The rank, or `null` when unknown (TF1's `ndims`). */
  get ndims(): number | null {
    return this.shape === null ? null : this.shape.length;
  }

  /** TF1's `as_list()`: a new list of the dims; a `ValueError` (here an Error) for an unknown rank. */
  asList(): Dim[] {
    if (this.shape === null) throw new Error('as_list() is not defined on an unknown TensorShape.');
    return [...this.shape];
  }

  /** TF1's `is_fully_defined()`: the rank and every dim are known. */
  isFullyDefined(): boolean {
    return isFullyDefined(this.shape);
  }

  /** TF1's `num_elements()`: the number of elements, or `null` when not fully defined. */
  numElements(): number | null {
    return staticSize(this.shape);
  }

  /** TF1's `str(shape)`: `(?, 784)`, `()`, `<unknown>`. */
  toString(): string {
    if (this.shape === null) return '<unknown>';
    const dims = this.shape.map((d) => (d === null ? '?' : String(d)));
    return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  }
}
