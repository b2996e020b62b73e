/** Element types a tensor can have. JS numbers default to `float32`, booleans to `bool`. */
export type DType = 'float32' | 'int32' | 'bool';

/** Storage for tensor data. `Float64Array` appears only in the CPU backend's float64 test mode. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'int32' || x === 'bool';
}

/** Allocates zeroed storage for `size` elements of `dtype` (float32 as float64 when `float64` is set). */
export function allocArray(dtype: DType, size: number, float64 = false): TypedArray {
  switch (dtype) {
    case 'float32':
      return float64 ? new Float64Array(size) : new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32';
}

/** `tf.float32`: 32-bit float (TF1's `tf.float32`; equal to the string `'float32'`). */
export const float32 = 'float32' as const;
/** `tf.int32`: 32-bit signed integer (equal to `'int32'`). */
export const int32 = 'int32' as const;
/** `tf.bool` (equal to `'bool'`). */
export const bool = 'bool' as const;
/**
 * `tf.int64` and `tf.float64` exist so that a transliterated TF1 line such as
 * `tf.placeholder(tf.int64, [None])` fails with a clear error naming the dtype (tensorgraph has no
 * 64-bit dtypes: use `tf.int32` / `tf.float32`), not with "missing required argument 'dtype'".
 *
 * @example
 * tf.placeholder(tf.int64, [null]); // TypeError: ... must be a dtype: tf.float32 ..., got 'int64'
 */
export const int64 = 'int64' as const;
/** See `int64`: not a supported dtype; naming it is a clear error. */
export const float64 = 'float64' as const;
