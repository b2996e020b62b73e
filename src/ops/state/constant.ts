import { DType } from '../../graph/dtype';
import { sizeOf } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { castNDArray, NDArray, NestedArray, toNDArray } from '../../ndarray';
import { makeOp } from '../op_def';

/**
 * A constant tensor. A scalar value with a `shape` is repeated to fill it, as in TF1.
 *
 * @example
 * const a = tf.constant([[1, 2], [3, 4]]);           // float32 [2,2]
 * const b = tf.constant(0, 'int32', [3], 'zeros3');  // [0, 0, 0]
 */
export function constant(
  value: NestedArray | NDArray | Float32Array | Int32Array | Uint8Array,
  dtype?: DType,
  shape?: number[],
  name?: string,
): Tensor {
  let arr = toNDArray(value, dtype, !(value instanceof NDArray) && !ArrayBuffer.isView(value));
  if (dtype && arr.dtype !== dtype) arr = castNDArray(arr, dtype);
  if (shape) {
    const n = sizeOf(shape);
    if (arr.size === 1 && n !== 1) {
      const data = arr.data.constructor as new (n: number) => typeof arr.data;
      const filled = new data(n).fill(arr.data[0] as number);
      arr = new NDArray(filled, shape.slice(), arr.dtype);
    } else if (arr.size === n) {
      arr = new NDArray(arr.data, shape.slice(), arr.dtype);
    } else {
      throw new Error(`constant: ${arr.size} values cannot fill shape [${shape.join(',')}]`);
    }
  }
  return makeOp('Const', [], { value: arr, dtype: arr.dtype }, name).outputs[0] as Tensor;
}
