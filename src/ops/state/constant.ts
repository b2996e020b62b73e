import { DType } from '../../graph/dtype';
import { shapeToString, sizeOf } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { castNDArray, NDArray, NestedArray, toNDArray } from '../../ndarray';
import { makeOp } from '../op_def';
import { UnimplementedError } from '../../errors';

const isDim = (d: unknown): boolean => Number.isInteger(d) && (d as number) >= 0;

// Strings are taken here (not read as the op's name) only to reject them clearly: TF1's
// tf.constant('Hello, TensorFlow!') is a tf.string tensor, which tensorgraph does not have.
const constantValueKind = kinds.custom<
  NestedArray | NDArray | Float32Array | Int32Array | Uint8Array | string
>(
  'a number, boolean, nested array of them, typed array or NDArray',
  (v) =>
    typeof v === 'string' ||
    v instanceof NDArray ||
    v instanceof Float32Array ||
    v instanceof Int32Array ||
    v instanceof Uint8Array ||
    v instanceof Float64Array ||
    isPlain(v),
  () => 1,
  true,
);
function isPlain(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || (Array.isArray(v) && v.every(isPlain));
}

/** What a plain (JS) value holds that `dtype` cannot (TF1's `_AssertCompatible`), or undefined. */
function incompatible(v: unknown, dtype: DType): string | undefined {
  if (Array.isArray(v)) {
    for (const e of v) {
      const bad = incompatible(e, dtype);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (typeof v === 'boolean') return dtype === 'bool' ? undefined : `${String(v)} of type 'boolean'`;
  if (typeof v !== 'number') return undefined;
  if (dtype === 'bool') return `${String(v)} of type 'number'`;
  if (dtype === 'int32' && !(Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31))
    return `${String(v)} of type 'number'`;
  return undefined;
}

/**
 * A constant tensor (TF1 r1.15's `tf.constant(value, dtype=None, shape=None, name='Const',
 * verify_shape=False)`). With `shape`: a scalar value fills it; a list with fewer elements than the
 * shape holds is padded with its last element; more elements is an error. `verifyShape: true` makes any
 * difference between the value's shape and `shape` an error. A plain value `dtype` cannot hold exactly
 * (0.5 for int32, a number for bool) is a TypeError, as in TF1.
 *
 * @example
 * const a = tf.constant([[1, 2], [3, 4]]);           // float32 [2,2]
 * const b = tf.constant(0, 'int32', [3], 'zeros3');  // [0, 0, 0]
 * const c = tf.constant([1, 2], tf.float32, [2, 2]); // [[1, 2], [2, 2]]
 */
export const constant = declare(
  'constant',
  [
    param('value', constantValueKind),
    param('dtype', kinds.nullable(kinds.dtype), { default: null }),
    param(
      'shape',
      kinds.custom<number[] | number | null>(
        'a shape: a list of non-negative integers, an integer, or null',
        (v) => v === null || isDim(v) || (Array.isArray(v) && v.every(isDim)),
        () => [2],
      ),
      { default: null },
    ),
    param('name', kinds.name, { default: 'Const' }),
    param('verifyShape', kinds.bool, { default: false }),
  ] as const,
  (a): Tensor => {
    const { dtype } = a;
    if (typeof a.value === 'string') {
      throw new UnimplementedError(
        `constant(): string tensors (TF1's tf.string dtype) are not supported; got the value ${JSON.stringify(a.value)}. ` +
          'tensorgraph tensors are float32, int32 or bool (give the name as the 4th argument or { name })',
      );
    }
    const value = a.value;
    const plain = !(value instanceof NDArray) && !ArrayBuffer.isView(value);
    if (plain && dtype !== null) {
      const bad = incompatible(value, dtype);
      if (bad !== undefined) throw new TypeError(`constant(): Expected ${dtype}, got ${bad} instead.`);
    }
    // Plain JS numbers keep float64 storage: exact in float64 mode, rounded once by the Const kernel.
    let arr = toNDArray(value, dtype ?? undefined, plain);
    if (dtype !== null && arr.dtype !== dtype) arr = castNDArray(arr, dtype);
    if (a.shape !== null)
      arr = reshapeConstant(arr, typeof a.shape === 'number' ? [a.shape] : a.shape, a.verifyShape);
    return makeOp('Const', [], { value: arr, dtype: arr.dtype }, a.name).outputs[0] as Tensor;
  },
);

/** TF1's make_tensor_proto with a shape: exact fit, or fill with the last value (never truncate). */
function reshapeConstant(arr: NDArray, shape: number[], verify: boolean): NDArray {
  const n = sizeOf(shape);
  const same = arr.shape.length === shape.length && arr.shape.every((d, i) => d === shape[i]);
  if (verify && !same) {
    throw new TypeError(
      `constant(): Expected Tensor's shape: ${shapeToString(shape)}, got ${shapeToString(arr.shape)}.`,
    );
  }
  if (arr.size > n) {
    throw new TypeError(
      `constant(): Too many elements provided. Needed at most ${n}, but received ${arr.size} (value of shape ${shapeToString(arr.shape)} for shape ${shapeToString(shape)})`,
    );
  }
  if (arr.size === n) return new NDArray(arr.data, shape.slice(), arr.dtype);
  if (arr.size === 0) {
    throw new TypeError(
      `constant(): an empty value cannot fill shape ${shapeToString(shape)} (give at least one element)`,
    );
  }
  const Data = arr.data.constructor as new (n: number) => typeof arr.data;
  const filled = new Data(n);
  filled.set(arr.data);
  filled.fill(arr.data[arr.size - 1] as number, arr.size);
  return new NDArray(filled, shape.slice(), arr.dtype);
}
