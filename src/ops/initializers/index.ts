// The `tf.initializers` namespace: TF1's variable initializers with TF1's signatures and defaults (not
// Keras's). Each factory is also exported at top level under its TF1 name (`tf.zerosInitializer`, …).
import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { declare, kinds, param } from '../../graph/signature';
import { Tensor } from '../../graph/tensor';
import { NDArray, toNDArray } from '../../ndarray';
import { fill } from '../fill/fill';
import { randomNormal } from '../random/random_normal';
import { randomUniform as randomUniformOp } from '../random/random_uniform';
import { truncatedNormal } from '../random/truncated_normal';
import { convertToTensor } from '../op_def';
import { assertFloat, computeFans, Initializer, initializer, registerFactory } from './initializer';

export { computeFans, isInitializerFactory } from './initializer';
export type { Initializer } from './initializer';

const dtypeParam = param('dtype', kinds.dtype, { default: 'float32' as DType });
const seedParam = param('seed', kinds.nullable(kinds.int), { default: null as number | null });

function scalarFill(shape: number[], value: number, dtype: DType): Tensor {
  return fill(shape, convertToTensor(toNDArray(value, dtype, true)));
}

/**
 * Zeros — TF1's `zeros_initializer(dtype=tf.float32)`.
 *
 * @example
 * tf.getVariable('b', [10], { initializer: tf.initializers.zeros() });
 */
export const zeros = registerFactory(
  declare('initializers.zeros', [dtypeParam] as const, (a) =>
    initializer('zeros_initializer', a.dtype, (shape, dt) => scalarFill(shape, 0, dt)),
  ),
);

/** Ones — TF1's `ones_initializer(dtype=tf.float32)`. @example tf.initializers.ones()([2, 3]) */
export const ones = registerFactory(
  declare('initializers.ones', [dtypeParam] as const, (a) =>
    initializer('ones_initializer', a.dtype, (shape, dt) => scalarFill(shape, 1, dt)),
  ),
);

type ConstantValue = number | boolean | NDArray | Float32Array | Int32Array | Uint8Array | readonly unknown[];
const isConstantValue = (v: unknown): boolean =>
  typeof v === 'number' ||
  typeof v === 'boolean' ||
  v instanceof NDArray ||
  v instanceof Float32Array ||
  v instanceof Int32Array ||
  v instanceof Uint8Array ||
  (Array.isArray(v) && v.every(isConstantValue));

/**
 * A constant — TF1's `constant_initializer(value=0, dtype=tf.float32, verify_shape=False)`. A scalar
 * fills the shape; a list is laid out in row-major order, and when it has fewer elements than the shape
 * the last one fills the rest (TF1's documented rule); more elements is an error. With `verifyShape`
 * the value's shape must equal the variable's.
 *
 * @example
 * tf.initializers.constant(1.0)([4]);                 // the GRU gates' bias
 * tf.initializers.constant([1, 2, 3, 4])([2, 2]);     // [[1, 2], [3, 4]]
 * tf.constantInitializer([1, 2])([3]);                // [1, 2, 2]
 */
export const constant = registerFactory(
  declare(
    'initializers.constant',
    [
      param(
        'value',
        kinds.custom<ConstantValue>(
          'a number, boolean, nested list of them or an NDArray (not a Tensor)',
          isConstantValue,
          () => 1,
        ),
        { default: 0 as ConstantValue },
      ),
      dtypeParam,
      param('verifyShape', kinds.bool, { default: false }),
    ] as const,
    (a) =>
      initializer('constant_initializer', a.dtype, (shape, dt) => {
        const value = a.value;
        if (typeof value === 'number' || typeof value === 'boolean') {
          if (a.verifyShape && shape.length !== 0) {
            throw new TypeError(`Expected Tensor's shape: (${shape.join(', ')}), got ().`);
          }
          checkRepresentable(Number(value), dt);
          return scalarFill(shape, Number(value), dt);
        }
        const arr = value instanceof NDArray ? value : toNDArray(value as never, undefined, true);
        if (a.verifyShape && arr.shape.join(',') !== shape.join(',')) {
          throw new TypeError(
            `Expected Tensor's shape: (${shape.join(', ')}), got (${arr.shape.join(', ')}).`,
          );
        }
        const size = shape.reduce((p, q) => p * q, 1);
        if (arr.size > size) {
          throw new InvalidArgumentError(
            `Too many elements provided. Needed at most ${size}, but received ${arr.size}`,
          );
        }
        const src = Array.from(arr.data as ArrayLike<number>);
        src.forEach((x) => checkRepresentable(x, dt));
        const last = src.length > 0 ? (src[src.length - 1] as number) : 0;
        const flat = Array.from({ length: size }, (_v, i) => (i < src.length ? (src[i] as number) : last));
        const data = toNDArray(flat, dt, true);
        return convertToTensor(new NDArray(data.data, shape, dt));
      }),
  ),
);

function checkRepresentable(x: number, dtype: DType): void {
  if (dtype === 'int32' && !(Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31)) {
    throw new TypeError(`Expected int32, got ${x} of type 'float' instead.`);
  }
}

/**
 * Uniform in `[minval, maxval)` — TF1's `random_uniform_initializer(minval=0, maxval=None, seed=None,
 * dtype=tf.float32)`; `maxval` None means 1 for floats (int dtypes need it).
 *
 * @example
 * tf.initializers.randomUniform(-0.1, 0.1)([3, 4]);               // TF1 positional
 * tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 1 })([3, 4]);
 */
export const randomUniform = registerFactory(
  declare(
    'initializers.randomUniform',
    [
      param('minval', kinds.number, { default: 0 }),
      param('maxval', kinds.nullable(kinds.number), { default: null as number | null }),
      seedParam,
      dtypeParam,
    ] as const,
    (a) =>
      initializer('random_uniform_initializer', a.dtype, (shape, dt) =>
        randomUniformOp(shape, a.minval, a.maxval, dt, a.seed),
      ),
  ),
);

/**
 * Normal — TF1's `random_normal_initializer(mean=0.0, stddev=1.0, seed=None, dtype=tf.float32)`.
 *
 * @example
 * tf.initializers.randomNormal(0, 0.1)([784, 10]);
 */
export const randomNormalInit = registerFactory(
  declare(
    'initializers.randomNormal',
    [
      param('mean', kinds.number, { default: 0 }),
      param('stddev', kinds.number, { default: 1 }),
      seedParam,
      dtypeParam,
    ] as const,
    (a) => {
      assertFloat(a.dtype);
      return initializer('random_normal_initializer', a.dtype, (shape, dt) =>
        randomNormal(shape, a.mean, a.stddev, dt, a.seed),
      );
    },
  ),
);

/**
 * Normal redrawn beyond two standard deviations — TF1's `truncated_normal_initializer(mean=0.0,
 * stddev=1.0, seed=None, dtype=tf.float32)`.
 *
 * @example
 * tf.initializers.truncatedNormal(0, 0.1)([5, 5, 1, 32]);
 */
export const truncatedNormalInit = registerFactory(
  declare(
    'initializers.truncatedNormal',
    [
      param('mean', kinds.number, { default: 0 }),
      param('stddev', kinds.number, { default: 1 }),
      seedParam,
      dtypeParam,
    ] as const,
    (a) => {
      assertFloat(a.dtype);
      return initializer('truncated_normal_initializer', a.dtype, (shape, dt) =>
        truncatedNormal(shape, a.mean, a.stddev, dt, a.seed),
      );
    },
  ),
);

export { randomNormalInit as randomNormal, truncatedNormalInit as truncatedNormal };

type Mode = 'fan_in' | 'fan_out' | 'fan_avg';
type Distribution = 'normal' | 'uniform' | 'truncated_normal' | 'untruncated_normal';

/** The body of every variance-scaling initializer (TF1's `VarianceScaling.__call__`). */
function scaled(
  what: string,
  scale: number,
  mode: Mode,
  distribution: Distribution,
  seed: number | null,
  dtype: DType,
): Initializer {
  if (!(scale > 0)) throw new InvalidArgumentError('`scale` must be positive float.');
  assertFloat(dtype);
  return initializer(what, dtype, (shape, dt) => {
    const [fanIn, fanOut] = computeFans(shape);
    const n = Math.max(1, mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2);
    const s = scale / n;
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * s);
      return randomUniformOp(shape, -limit, limit, dt, seed);
    }
    if (distribution === 'untruncated_normal') return randomNormal(shape, 0, Math.sqrt(s), dt, seed);
    // TF1's constant: the std of a standard normal truncated to [-2, 2] (the truncation's shrinkage).
    return truncatedNormal(shape, 0, Math.sqrt(s) / 0.87962566103423978, dt, seed);
  });
}

/**
 * Samples with variance `scale / n`, n the fan-in, fan-out or their average — TF1's
 * `variance_scaling_initializer(scale=1.0, mode='fan_in', distribution='truncated_normal', seed=None,
 * dtype=tf.float32)`; 'normal' means truncated normal, as in TF1.
 *
 * @example
 * tf.initializers.varianceScaling(2.0)([784, 256]);  // He init
 * tf.initializers.varianceScaling({ scale: 1, mode: 'fan_avg', distribution: 'uniform' });
 */
export const varianceScaling = registerFactory(
  declare(
    'initializers.varianceScaling',
    [
      param('scale', kinds.number, { default: 1 }),
      param('mode', kinds.oneOf('fan_in', 'fan_out', 'fan_avg'), { default: 'fan_in' as Mode }),
      param('distribution', kinds.oneOf('truncated_normal', 'untruncated_normal', 'uniform', 'normal'), {
        default: 'truncated_normal' as Distribution,
      }),
      seedParam,
      dtypeParam,
    ] as const,
    (a) => scaled('variance_scaling_initializer', a.scale, a.mode, a.distribution, a.seed, a.dtype),
  ),
);

const seedDtype = [seedParam, dtypeParam] as const;

/**
 * Glorot (Xavier) uniform: uniform in ±sqrt(6 / (fanIn + fanOut)) — TF1's
 * `glorot_uniform_initializer(seed=None, dtype=tf.float32)`, the default of `tf.getVariable`.
 *
 * @example
 * tf.getVariable('W', [784, 10], { initializer: tf.initializers.glorotUniform(1) });
 */
export const glorotUniform = registerFactory(
  declare('initializers.glorotUniform', seedDtype, (a) =>
    scaled('glorot_uniform_initializer', 1, 'fan_avg', 'uniform', a.seed, a.dtype),
  ),
);

/** Glorot normal: truncated normal, variance 2 / (fanIn + fanOut) — TF1's `glorot_normal_initializer(seed, dtype)`. @example tf.initializers.glorotNormal()([3, 4]) */
export const glorotNormal = registerFactory(
  declare('initializers.glorotNormal', seedDtype, (a) =>
    scaled('glorot_normal_initializer', 1, 'fan_avg', 'truncated_normal', a.seed, a.dtype),
  ),
);

/** He normal — TF1's `tf.initializers.he_normal(seed=None)`: truncated normal, variance 2 / fanIn. @example tf.initializers.heNormal()([784, 256]) */
export const heNormal = registerFactory(
  declare('initializers.heNormal', [seedParam] as const, (a) =>
    scaled('he_normal', 2, 'fan_in', 'truncated_normal', a.seed, 'float32'),
  ),
);

/** He uniform — TF1's `tf.initializers.he_uniform(seed=None)`. @example tf.initializers.heUniform()([784, 256]) */
export const heUniform = registerFactory(
  declare('initializers.heUniform', [seedParam] as const, (a) =>
    scaled('he_uniform', 2, 'fan_in', 'uniform', a.seed, 'float32'),
  ),
);

/** LeCun normal — TF1's `tf.initializers.lecun_normal(seed=None)`. @example tf.initializers.lecunNormal()([784, 256]) */
export const lecunNormal = registerFactory(
  declare('initializers.lecunNormal', [seedParam] as const, (a) =>
    scaled('lecun_normal', 1, 'fan_in', 'truncated_normal', a.seed, 'float32'),
  ),
);

/** LeCun uniform — TF1's `tf.initializers.lecun_uniform(seed=None)`. @example tf.initializers.lecunUniform()([784, 256]) */
export const lecunUniform = registerFactory(
  declare('initializers.lecunUniform', [seedParam] as const, (a) =>
    scaled('lecun_uniform', 1, 'fan_in', 'uniform', a.seed, 'float32'),
  ),
);

/**
 * TF1's deprecated `uniform_unit_scaling_initializer(factor=1.0, seed=None, dtype=tf.float32)`: uniform
 * in ±factor·sqrt(3 / inputSize), inputSize the product of all dims but the last.
 *
 * @example
 * tf.initializers.uniformUnitScaling(1.43)([100, 50]);
 */
export const uniformUnitScaling = registerFactory(
  declare(
    'initializers.uniformUnitScaling',
    [param('factor', kinds.number, { default: 1 }), seedParam, dtypeParam] as const,
    (a) => {
      assertFloat(a.dtype);
      return initializer('uniform_unit_scaling_initializer', a.dtype, (shape, dt) => {
        const inputSize = Math.max(
          1,
          shape.slice(0, -1).reduce((p, q) => p * q, 1),
        );
        const maxVal = Math.sqrt(3 / inputSize) * a.factor;
        return randomUniformOp(shape, -maxVal, maxVal, dt, a.seed);
      });
    },
  ),
);

/**
 * `gain` times the identity matrix (rectangular allowed) — TF1's `identity_initializer(gain=1.0,
 * dtype=tf.float32)`; 2-D shapes only.
 *
 * @example
 * tf.initializers.identity()([3, 3]);
 */
export const identity = registerFactory(
  declare('initializers.identity', [param('gain', kinds.number, { default: 1 }), dtypeParam] as const, (a) =>
    initializer('identity_initializer', a.dtype, (shape, dt) => {
      if (shape.length !== 2) {
        throw new InvalidArgumentError('Identity matrix initializer can only be used for 2D matrices.');
      }
      const [rows, cols] = shape as [number, number];
      const data = Array.from({ length: rows * cols }, (_v, i) =>
        Math.floor(i / cols) === i % cols ? a.gain : 0,
      );
      data.forEach((x) => checkRepresentable(x, dt));
      const arr = toNDArray(data, dt, true);
      return convertToTensor(new NDArray(arr.data, shape, dt));
    }),
  ),
);
