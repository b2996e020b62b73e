// `tf.contrib.layers` initializers (TF1 contrib/layers/python/layers/initializers.py): the
// `xavier_initializer` used by many classic TF1 programs and contrib's own `variance_scaling_initializer`
// (upper-case modes, `uniform` flag, and a truncated normal with stddev sqrt(1.3 · factor / n)).
import { DType } from '../graph/dtype';
import { declare, kinds, param } from '../graph/signature';
import { randomUniform } from '../ops/random/random_uniform';
import { truncatedNormal } from '../ops/random/truncated_normal';
import { computeFans, Initializer, initializer, registerFactory } from '../ops/initializers/initializer';

type ContribMode = 'FAN_IN' | 'FAN_OUT' | 'FAN_AVG';

function contribScaling(
  factor: number,
  mode: ContribMode,
  uniform: boolean,
  seed: number | null,
  dtype: DType,
): Initializer {
  if (dtype !== 'float32') throw new TypeError('Cannot create initializer for non-floating point type.');
  return initializer('variance_scaling_initializer', dtype, (shape, dt) => {
    if (dt !== 'float32') throw new TypeError('Cannot create initializer for non-floating point type.');
    const [fanIn, fanOut] = computeFans(shape);
    const n = mode === 'FAN_IN' ? fanIn : mode === 'FAN_OUT' ? fanOut : (fanIn + fanOut) / 2;
    if (uniform) {
      // To get stddev = sqrt(factor / n) from a uniform distribution.
      const limit = Math.sqrt((3 * factor) / n);
      return randomUniform(shape, -limit, limit, dt, seed);
    }
    // TF1 contrib's adjustment for the truncation (1.3, not core's 1 / 0.8796²).
    return truncatedNormal(shape, 0, Math.sqrt((1.3 * factor) / n), dt, seed);
  });
}

const seedParam = param('seed', kinds.nullable(kinds.int), { default: null as number | null });
const dtypeParam = param('dtype', kinds.dtype, { default: 'float32' as DType });

/**
 * TF1's `tf.contrib.layers.variance_scaling_initializer(factor=2.0, mode='FAN_IN', uniform=False,
 * seed=None, dtype=tf.float32)`: n is fan-in, fan-out or their average; uniform in ±sqrt(3·factor/n), or
 * a truncated normal with stddev sqrt(1.3·factor/n).
 *
 * @example
 * tf.getVariable('W', [784, 256], { initializer: tf.contrib.layers.varianceScalingInitializer() });
 */
export const varianceScalingInitializer = registerFactory(
  declare(
    'contrib.layers.varianceScalingInitializer',
    [
      param('factor', kinds.number, { default: 2.0 }),
      param('mode', kinds.oneOf('FAN_IN', 'FAN_OUT', 'FAN_AVG'), { default: 'FAN_IN' as ContribMode }),
      param('uniform', kinds.bool, { default: false }),
      seedParam,
      dtypeParam,
    ] as const,
    (a) => contribScaling(a.factor, a.mode, a.uniform, a.seed, a.dtype),
  ),
);

/**
 * TF1's `tf.contrib.layers.xavier_initializer(uniform=True, seed=None, dtype=tf.float32)` (also
 * `xavier_initializer_conv2d`): `variance_scaling_initializer(factor=1.0, mode='FAN_AVG', uniform)`, i.e.
 * uniform in ±sqrt(6 / (fanIn + fanOut)) by default.
 *
 * @example
 * const W = tf.getVariable('W', [784, 256], { initializer: tf.contrib.layers.xavierInitializer() });
 */
export const xavierInitializer = registerFactory(
  declare(
    'contrib.layers.xavierInitializer',
    [param('uniform', kinds.bool, { default: true }), seedParam, dtypeParam] as const,
    (a) => contribScaling(1.0, 'FAN_AVG', a.uniform, a.seed, a.dtype),
  ),
);

/** TF1's `xavier_initializer_conv2d`: the same function as `xavier_initializer`. @example tf.contrib.layers.xavierInitializerConv2d() */
export const xavierInitializerConv2d = xavierInitializer;
