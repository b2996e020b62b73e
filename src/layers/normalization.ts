// TF1's `tf.layers.batch_normalization`.
import { InvalidArgumentError } from '../errors';
import { getDefaultGraph } from '../graph/graph';
import { BoundArgs, declare, kinds, param } from '../graph/signature';
import { Tensor, TensorLike } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { convertToTensor } from '../ops/op_def';
import { ones, zeros } from '../ops/initializers';
import { cond } from '../ops/control/cond';
import { identity, stopGradient } from '../ops/control/basic';
import { reshape } from '../ops/array/reshape';
import { cast, multiply, rsqrt, squaredDifference, subtract, add, negative } from '../ops/math/builders';
import { reduceMean } from '../ops/reduce/mean';
import { size } from '../ops/fill/shape';
import { assignSub } from '../ops/state/variable_ops';
import {
  constraintKind,
  initializerKind,
  InitializerArg,
  functionalScope,
  regularizerKind,
  reuseKind,
  ScopeRunner,
} from './common';
import { addWeight } from './core';

const nullOnly = (what: string) =>
  kinds.custom<null>(
    `null (${what} is not supported)`,
    (v) => v === null,
    () => null,
  );

const P_inputs = param('inputs', kinds.tensor);
const P_axis = param('axis', kinds.union(kinds.int, kinds.ints), { default: -1 as number | number[] });
const P_momentum = param('momentum', kinds.number, { default: 0.99 });
const P_epsilon = param('epsilon', kinds.number, { default: 1e-3 });
const P_center = param('center', kinds.bool, { default: true });
const P_scale = param('scale', kinds.bool, { default: true });
const P_betaInitializer = param('betaInitializer', initializerKind, {
  default: zeros() as InitializerArg | null,
});
const P_gammaInitializer = param('gammaInitializer', initializerKind, {
  default: ones() as InitializerArg | null,
});
const P_movingMeanInitializer = param('movingMeanInitializer', initializerKind, {
  default: zeros() as InitializerArg | null,
});
const P_movingVarianceInitializer = param('movingVarianceInitializer', initializerKind, {
  default: ones() as InitializerArg | null,
});
const P_betaRegularizer = param('betaRegularizer', regularizerKind, { default: null });
const P_gammaRegularizer = param('gammaRegularizer', regularizerKind, { default: null });
const P_betaConstraint = param('betaConstraint', constraintKind, { default: null });
const P_gammaConstraint = param('gammaConstraint', constraintKind, { default: null });
const P_training = param('training', kinds.union(kinds.bool, kinds.tensor), {
  default: false as boolean | TensorLike,
});
const P_trainable = param('trainable', kinds.bool, { default: true });
const P_name = param('name', kinds.name, { default: undefined as string | undefined });
const P_reuse = param('reuse', reuseKind, { default: null });
const P_renorm = param(
  'renorm',
  kinds.custom<false>('false (renorm is not supported)', (v) => v === false),
  { default: false as const },
);
const P_renormClipping = param('renormClipping', nullOnly('renorm_clipping'), { default: null });
const P_renormMomentum = param('renormMomentum', kinds.number, { default: 0.99 });
const P_fused = param('fused', kinds.nullable(kinds.bool), { default: null });
const P_virtualBatchSize = param('virtualBatchSize', nullOnly('virtual_batch_size'), { default: null });
const P_adjustment = param('adjustment', nullOnly('adjustment'), { default: null });
const BN_PARAMS = [
  P_inputs,
  P_axis,
  P_momentum,
  P_epsilon,
  P_center,
  P_scale,
  P_betaInitializer,
  P_gammaInitializer,
  P_movingMeanInitializer,
  P_movingVarianceInitializer,
  P_betaRegularizer,
  P_gammaRegularizer,
  P_betaConstraint,
  P_gammaConstraint,
  P_training,
  P_trainable,
  P_name,
  P_reuse,
  P_renorm,
  P_renormClipping,
  P_renormMomentum,
  P_fused,
  P_virtualBatchSize,
  P_adjustment,
] as const;
/** TF1's `BatchNormalization` class signature (its own order: no inputs, training or reuse). */
export const BN_LAYER_PARAMS = [
  P_axis,
  P_momentum,
  P_epsilon,
  P_center,
  P_scale,
  P_betaInitializer,
  P_gammaInitializer,
  P_movingMeanInitializer,
  P_movingVarianceInitializer,
  P_betaRegularizer,
  P_gammaRegularizer,
  P_betaConstraint,
  P_gammaConstraint,
  P_renorm,
  P_renormClipping,
  P_renormMomentum,
  P_fused,
  P_trainable,
  P_virtualBatchSize,
  P_adjustment,
  P_name,
] as const;
export type BatchNormArgs = BoundArgs<typeof BN_PARAMS>;

/** Builds batch normalization in the scope `run` opens (shared by the function and the class). */
export function batchNormImpl(a: BatchNormArgs, run: ScopeRunner): Tensor {
  const x = convertToTensor(a.inputs as TensorLike, 'float32');
  if (x.dtype !== 'float32') {
    throw new InvalidArgumentError(`batch_normalization: inputs must be float32, got ${x.dtype}`);
  }
  const rank = x.rank;
  if (rank === null) throw new InvalidArgumentError('Input has undefined rank: batch_normalization needs it');
  const axes = typeof a.axis === 'number' ? [a.axis] : a.axis;
  if (axes.length !== 1) {
    throw new InvalidArgumentError(
      `batch_normalization: only one normalized axis is supported, got axis=[${axes.join(', ')}]`,
    );
  }
  const axis = (axes[0] as number) < 0 ? (axes[0] as number) + rank : (axes[0] as number);
  if (axis < 0 || axis >= rank) throw new InvalidArgumentError(`Invalid axis: ${axes[0]}`);
  const c = (x.shape as (number | null)[])[axis];
  if (c === null || c === undefined) {
    throw new InvalidArgumentError(
      `Input has undefined \`axis\` dimension. Input shape: ${JSON.stringify(x.shape)}`,
    );
  }
  let training: boolean | Tensor;
  if (typeof a.training === 'boolean') training = a.training;
  else {
    training = convertToTensor(a.training, 'bool');
    if (training.dtype !== 'bool') {
      throw new TypeError(
        `batchNormalization(): argument 'training' must be a bool tensor, got ${training.dtype}`,
      );
    }
  }
  const fused = a.fused !== false && rank === 4 && (axis === 1 || axis === 3);
  const epsilon = fused ? Math.max(a.epsilon, 1.001e-5) : a.epsilon;
  const reduceAxes = Array.from({ length: rank }, (_v, i) => i).filter((i) => i !== axis);
  const bshape = Array.from({ length: rank }, (_v, i) => (i === axis ? c : 1));
  const g = getDefaultGraph();

  return run('batch_normalization', () => {
    const gamma = a.scale
      ? addWeight('gamma', [c], a.gammaInitializer, a.gammaRegularizer, a.trainable)
      : null;
    const beta = a.center ? addWeight('beta', [c], a.betaInitializer, a.betaRegularizer, a.trainable) : null;
    const movingMean = addWeight('moving_mean', [c], a.movingMeanInitializer, null, false) as Variable;
    const movingVar = addWeight('moving_variance', [c], a.movingVarianceInitializer, null, false) as Variable;
    const bc = (t: Tensor): Tensor => (axis === rank - 1 ? t : reshape(t, bshape));

    let mean: Tensor = movingMean;
    let variance: Tensor = movingVar;
    if (training !== false) {
      const [bMean, bVar] = g.nameScope('moments', () => {
        const m = reduceMean(x, reduceAxes, true, 'mean');
        const v = reduceMean(squaredDifference(x, stopGradient(m)), reduceAxes, true, 'variance');
        return [reshape(m, [c], 'Squeeze'), reshape(v, [c], 'Squeeze_1')];
      });
      if (training === true) {
        mean = bMean;
        variance = bVar;
      } else {
        const t = training;
        mean = cond(
          t,
          () => identity(bMean),
          () => identity(movingMean),
        ) as Tensor;
        variance = cond(
          t,
          () => identity(bVar),
          () => identity(movingVar),
        ) as Tensor;
      }
      // The moving statistics' updates (TF1: `_assign_moving_average`), in UPDATE_OPS.
      let target = bVar;
      if (fused) {
        const n = (x.shape as (number | null)[]).reduce<number | null>(
          (p, d, i) => (i === axis ? p : p === null || d === null ? null : p * d),
          1,
        );
        const nT = n !== null ? convertToTensor(n, 'float32') : cast(size(x), 'float32').div(c);
        target = multiply(bVar, nT.div(subtract(nT, 1)));
      }
      const decay = 1 - a.momentum;
      const gate = training === true ? null : cast(training, 'float32');
      const update = (v: Variable, value: Tensor, scope: string): Tensor =>
        g.nameScope(scope, () => {
          let delta = multiply(subtract(v, value), decay);
          if (gate) delta = multiply(delta, gate);
          return assignSub(v, delta);
        });
      g.addToCollection('update_ops', update(movingMean, bMean, 'AssignMovingAvg'));
      g.addToCollection('update_ops', update(movingVar, target, 'AssignMovingAvg_1'));
    }
    // nn.batch_normalization: x·inv + (beta − mean·inv), inv = gamma / sqrt(variance + epsilon).
    return g.nameScope('batchnorm', () => {
      let inv = rsqrt(add(variance, epsilon));
      if (gamma) inv = multiply(inv, gamma);
      const shift = beta ? subtract(beta, multiply(mean, inv)) : negative(multiply(mean, inv));
      return add(multiply(x, bc(inv)), bc(shift));
    });
  });
}

/**
 * TF1's `tf.layers.batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True,
 * scale=True, beta_initializer=zeros, gamma_initializer=ones, moving_mean_initializer=zeros,
 * moving_variance_initializer=ones, beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
 * gamma_constraint=None, training=False, trainable=True, name=None, reuse=None, renorm=False,
 * renorm_clipping=None, renorm_momentum=0.99, fused=None, virtual_batch_size=None, adjustment=None)`.
 *
 * Variables `<scope>/gamma`, `beta` (trainable) and `moving_mean`, `moving_variance` (not trainable);
 * the scope is `name`, else `batch_normalization`, `batch_normalization_1`, …. With `training` true (or a
 * bool tensor fed true) the batch's mean and (biased) variance normalize the inputs, and the ops
 * `moving = moving − (moving − batch)·(1 − momentum)` join `tf.GraphKeys.UPDATE_OPS`: run them with the
 * train op (`tf.controlDependencies(tf.getCollection(tf.GraphKeys.UPDATE_OPS), ...)`). Otherwise the
 * moving statistics are used. As TF1's fused kernel does for 4-D inputs normalized over axis 1 or 3
 * (`fused` null or true), the moving variance then takes the batch variance with Bessel's correction
 * (n/(n−1)) and epsilon is at least 1.001e-5.
 *
 * @example
 * const isTraining = tf.placeholder('bool', [], 'is_training');
 * const h = tf.layers.batchNormalization(conv, { training: isTraining });
 * const updateOps = tf.getCollection(tf.GraphKeys.UPDATE_OPS);
 * const trainOp = tf.controlDependencies(updateOps, () => optimizer.minimize(loss));
 */
export const batchNormalization = declare('batchNormalization', BN_PARAMS, (a): Tensor =>
  batchNormImpl(a, functionalScope(a.name, a.reuse)),
);
