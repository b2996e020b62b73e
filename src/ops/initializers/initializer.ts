// Initializer objects (TF1's `init_ops`): made by declared factories, called as `init(shape, dtype?)`.
import { DType } from '../../graph/dtype';
import { parseDType } from '../../graph/signature';
import { Tensor } from '../../graph/tensor';

/**
 * Makes a variable's initial value from its shape (TF1's initializer objects, called as
 * `init(shape, dtype=None, partitionInfo=None)`; `dtype` defaults to the one the initializer was made
 * with). Used by `tf.getVariable` and the RNN cells.
 */
export type Initializer = (shape: readonly number[], dtype?: DType | null, partitionInfo?: null) => Tensor;

/** The factories (`tf.initializers.zeros`, …): `tf.getVariable` accepts one uncalled, as TF1 accepts the class. */
const factories = new WeakSet<object>();

/** Marks `f` as an initializer factory (callable with no arguments). */
export function registerFactory<F extends (...a: never[]) => Initializer>(f: F): F {
  factories.add(f);
  return f;
}

/** Is `v` an uncalled initializer factory (TF1's `initializer=tf.zeros_initializer`)? */
export function isInitializerFactory(v: unknown): v is (options: { dtype: DType }) => Initializer {
  return typeof v === 'function' && factories.has(v);
}

/**
 * Wraps `make(shape, dtype)` into an initializer that checks its call (TF1's `__call__`): the shape is
 * a list of non-negative integers, the dtype one of ours (default `defaultDType`), and partitioned
 * variables are not supported.
 */
export function initializer(
  what: string,
  defaultDType: DType,
  make: (shape: number[], dtype: DType) => Tensor,
): Initializer {
  return (shape, dtype, partitionInfo) => {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new TypeError(`${what}: the shape must be a list of non-negative integers, got ${String(shape)}`);
    }
    if (partitionInfo !== undefined && partitionInfo !== null) {
      throw new TypeError(`${what}: partitioned variables (partition_info) are not supported`);
    }
    let dt = defaultDType;
    if (dtype !== undefined && dtype !== null) {
      const parsed = parseDType(dtype);
      if (!parsed) throw new TypeError(`${what}: unknown dtype '${String(dtype)}'`);
      dt = parsed;
    }
    return make(shape.slice(), dt);
  };
}

/** TF1's `_assert_float_dtype`: the random and scaling initializers take float dtypes only. */
export function assertFloat(dtype: DType): DType {
  if (dtype !== 'float32') throw new TypeError(`Expected floating point type, got ${dtype}.`);
  return dtype;
}

/** TF1's fan computation: [in, out] for matrices, receptive field × channels for conv kernels. */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0] as number, shape[0] as number];
  if (shape.length === 2) return [shape[0] as number, shape[1] as number];
  let receptive = 1;
  for (const d of shape.slice(0, -2)) receptive *= d;
  return [(shape[shape.length - 2] as number) * receptive, (shape[shape.length - 1] as number) * receptive];
}
