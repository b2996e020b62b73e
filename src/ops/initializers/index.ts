// The `tf.initializers` namespace: TF1's variable initializers (`tf.initializers.glorotUniform()`, …).
import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Tensor, TensorLike } from '../../graph/tensor';
import { NDArray, toNDArray } from '../../ndarray';
import { fill } from '../fill/fill';
import { randomNormal } from '../random/random_normal';
import { randomUniform } from '../random/random_uniform';
import { truncatedNormal } from '../random/truncated_normal';
import { convertToTensor } from '../op_def';
import { cast } from '../math/builders';

/**
 * Makes a variable's initial value from its shape (TF1's initializer objects, called as
 * `init(shape, dtype)`). Used by `tf.getVariable` and the RNN cells.
 */
export type Initializer = (shape: readonly number[], dtype?: DType) => Tensor;

/** Options of the random initializers. */
export interface SeedOption {
  /** Op-level seed, combined with the graph seed as in TF1. */
  seed?: number;
}

function scalarFill(shape: readonly number[], value: number, dtype: DType): Tensor {
  const v = convertToTensor(toNDArray(value, dtype, true));
  return fill(shape.slice(), v);
}

/**
 * Zeros.
 *
 * @example
 * tf.getVariable('b', { shape: [10], initializer: tf.initializers.zeros() });
 */
export function zeros(): Initializer {
  return (shape, dtype = 'float32') => scalarFill(shape, 0, dtype);
}

/** Ones. @example tf.initializers.ones()([2, 3]) */
export function ones(): Initializer {
  return (shape, dtype = 'float32') => scalarFill(shape, 1, dtype);
}

/**
 * A constant: a number fills the shape; an array (or NDArray) must have as many elements as the shape
 * and is laid out in row-major order (TF1's `constant_initializer`).
 *
 * @example
 * tf.initializers.constant(1.0)([4]);                 // the GRU gates' bias
 * tf.initializers.constant([1, 2, 3, 4])([2, 2]);     // [[1, 2], [3, 4]]
 */
export function constant(value: number | boolean | TensorLike): Initializer {
  return (shape, dtype = 'float32') => {
    if (typeof value === 'number' || typeof value === 'boolean')
      return scalarFill(shape, Number(value), dtype);
    if (value instanceof Tensor)
      throw new InvalidArgumentError('initializers.constant: the value must be data, not a Tensor');
    const arr = value instanceof NDArray ? value : toNDArray(value, dtype, true);
    const size = shape.reduce((a, b) => a * b, 1);
    if (arr.size !== size) {
      const what = arr.size > size ? 'Too many' : 'Too few';
      throw new InvalidArgumentError(`${what} elements provided. Needed ${size}, but received ${arr.size}`);
    }
    const t = convertToTensor(new NDArray(arr.data, shape.slice(), arr.dtype));
    return t.dtype === dtype ? t : cast(t, dtype);
  };
}

/**
 * Uniform in `[minval, maxval)` (default `[0, 0.05)`, TF1's defaults).
 *
 * @example
 * tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 1 })([3, 4]);
 */
export function randomUniformInit(
  options: { minval?: number; maxval?: number } & SeedOption = {},
): Initializer {
  const { minval = 0, maxval = 0.05, seed } = options;
  return (shape, dtype = 'float32') => randomUniform(shape.slice(), { minval, maxval, dtype, seed });
}

/**
 * Normal with `mean` and `stddev` (default 0 and 0.05, TF1's defaults).
 *
 * @example
 * tf.initializers.randomNormal({ stddev: 0.1 })([784, 10]);
 */
export function randomNormalInit(options: { mean?: number; stddev?: number } & SeedOption = {}): Initializer {
  const { mean = 0, stddev = 0.05, seed } = options;
  return (shape, dtype = 'float32') => randomNormal(shape.slice(), { mean, stddev, dtype, seed });
}

/**
 * Normal with `mean` and `stddev` (default 0 and 0.05), redrawn beyond two standard deviations.
 *
 * @example
 * tf.initializers.truncatedNormal({ stddev: 0.1 })([5, 5, 1, 32]);
 */
export function truncatedNormalInit(
  options: { mean?: number; stddev?: number } & SeedOption = {},
): Initializer {
  const { mean = 0, stddev = 0.05, seed } = options;
  return (shape, dtype = 'float32') => truncatedNormal(shape.slice(), { mean, stddev, dtype, seed });
}

export {
  randomUniformInit as randomUniform,
  randomNormalInit as randomNormal,
  truncatedNormalInit as truncatedNormal,
};

/** TF1's fan computation: [in, out] for matrices, receptive field × channels for conv kernels. */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0] as number, shape[0] as number];
  if (shape.length === 2) return [shape[0] as number, shape[1] as number];
  let receptive = 1;
  for (const d of shape.slice(0, -2)) receptive *= d;
  return [(shape[shape.length - 2] as number) * receptive, (shape[shape.length - 1] as number) * receptive];
}

/** Options of `varianceScaling`. */
export interface VarianceScalingOptions extends SeedOption {
  scale?: number;
  mode?: 'fan_in' | 'fan_out' | 'fan_avg';
  distribution?: 'truncated_normal' | 'untruncated_normal' | 'uniform' | 'normal';
}

/**
 * Samples with variance `scale / n`, where n is the fan-in, fan-out or their average (TF1's
 * `variance_scaling_initializer`; 'normal' means truncated normal, as in TF1).
 *
 * @example
 * tf.initializers.varianceScaling({ scale: 2, mode: 'fan_in' })([784, 256]); // He init
 */
export function varianceScaling(options: VarianceScalingOptions = {}): Initializer {
  const { scale = 1, mode = 'fan_in', distribution = 'truncated_normal', seed } = options;
  if (!(scale > 0)) throw new InvalidArgumentError('`scale` must be positive float.');
  return (shape, dtype = 'float32') => {
    const [fanIn, fanOut] = computeFans(shape);
    const n = Math.max(1, mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2);
    const s = scale / n;
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * s);
      return randomUniform(shape.slice(), { minval: -limit, maxval: limit, dtype, seed });
    }
    if (distribution === 'untruncated_normal')
      return randomNormal(shape.slice(), { stddev: Math.sqrt(s), dtype, seed });
    // Constant from scipy.stats.truncnorm.std(a=-2, b=2, loc=0, scale=1): the truncation's shrinkage.
    return truncatedNormal(shape.slice(), { stddev: Math.sqrt(s) / 0.8796256610342398, dtype, seed });
  };
}

/**
 * Glorot (Xavier) uniform: uniform in ±sqrt(6 / (fanIn + fanOut)). TF1's default for variables made by
 * `tf.getVariable` (and so for the RNN cells' kernels).
 *
 * @example
 * tf.getVariable('W', { shape: [784, 10], initializer: tf.initializers.glorotUniform({ seed: 1 }) });
 */
export function glorotUniform(options: SeedOption = {}): Initializer {
  return varianceScaling({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: options.seed });
}

/** Glorot (Xavier) normal: truncated normal with stddev sqrt(2 / (fanIn + fanOut)). @example tf.initializers.glorotNormal()([3, 4]) */
export function glorotNormal(options: SeedOption = {}): Initializer {
  return varianceScaling({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: options.seed });
}
