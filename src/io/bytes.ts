import { DType, isDType, TypedArray } from '../graph/dtype';
import { NDArray } from '../ndarray';

/**
 * Raw little-endian storage of tensor data, shared by checkpoints, graph JSON (base64) and TensorBoard
 * tensor protos. `float64` is the storage of float32 tensors in the CPU backend's float64 mode (and of
 * constants built from JS numbers): keeping it makes a round trip exact in every mode.
 */
export type Encoding = 'float32' | 'float64' | 'int32' | 'uint8';

const ENCODINGS: readonly Encoding[] = ['float32', 'float64', 'int32', 'uint8'];

export function isEncoding(x: unknown): x is Encoding {
  return typeof x === 'string' && (ENCODINGS as readonly string[]).includes(x);
}

export function bytesPerElement(e: Encoding): number {
  return e === 'float64' ? 8 : e === 'uint8' ? 1 : 4;
}

/** The encoding that stores `a` exactly. */
export function encodingOf(a: NDArray): Encoding {
  if (a.dtype === 'bool') return 'uint8';
  if (a.dtype === 'int32') return 'int32';
  return a.data instanceof Float64Array ? 'float64' : 'float32';
}

/** Encodings allowed for a dtype. */
export function encodingFits(dtype: DType, e: Encoding): boolean {
  if (dtype === 'float32') return e === 'float32' || e === 'float64';
  if (dtype === 'int32') return e === 'int32';
  return e === 'uint8';
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The little-endian bytes of `a`'s data in encoding `e` (a view when no conversion is needed). */
export function toBytes(a: NDArray, e: Encoding = encodingOf(a)): Uint8Array {
  const src = a.data;
  let typed: TypedArray;
  if (e === 'float32') typed = src instanceof Float32Array ? src : Float32Array.from(src);
  else if (e === 'float64') typed = src instanceof Float64Array ? src : Float64Array.from(src);
  else if (e === 'int32') typed = src instanceof Int32Array ? src : Int32Array.from(src);
  else typed = src instanceof Uint8Array ? src : Uint8Array.from(src);
  const view = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  if (LITTLE_ENDIAN || e === 'uint8') return view;
  const out = new Uint8Array(view);
  swapBytes(out, bytesPerElement(e));
  return out;
}

/** Decodes little-endian bytes into a fresh NDArray. The caller has checked the length. */
export function fromBytes(bytes: Uint8Array, e: Encoding, dtype: DType, shape: number[]): NDArray {
  const copy = new Uint8Array(bytes); // aligned, owned copy
  if (!LITTLE_ENDIAN && e !== 'uint8') swapBytes(copy, bytesPerElement(e));
  const buf = copy.buffer;
  const data: TypedArray =
    e === 'float32'
      ? new Float32Array(buf)
      : e === 'float64'
        ? new Float64Array(buf)
        : e === 'int32'
          ? new Int32Array(buf)
          : copy;
  if (dtype === 'bool') for (let i = 0; i < data.length; i++) data[i] = data[i] ? 1 : 0;
  return new NDArray(data, shape, dtype);
}

function swapBytes(b: Uint8Array, width: number): void {
  for (let i = 0; i < b.length; i += width) b.subarray(i, i + width).reverse();
}

/** Checks `shape` is a list of non-negative safe integers with at most `maxElements` elements in all. */
export function checkConcreteShape(shape: unknown, maxElements: number): string | undefined {
  if (!Array.isArray(shape)) return 'shape is not an array';
  if (shape.length > 32) return `rank ${shape.length} exceeds 32`;
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0)
      return `dimension ${JSON.stringify(d)} is not a non-negative integer`;
    n *= d;
  }
  if (n > maxElements) return `${n} elements exceed the limit of ${maxElements}`;
  return undefined;
}

export { isDType };
