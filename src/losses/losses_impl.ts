// TF1's `tf.losses` loss functions (tensorflow/python/ops/losses/losses_impl.py semantics): each builds
// per-element losses, weights them (`weights` scalar or broadcastable to the losses: same rank, each
// dimension 1 or equal), reduces them per `reduction` and adds the result to `lossCollection`.
import { InvalidArgumentError } from '../errors';
import { getDefaultGraph } from '../graph/graph';
import { declare, kinds, param } from '../graph/signature';
import { Shape, shapeToString } from '../graph/shape';
import { Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor } from '../ops/op_def';
import {
  abs,
  add,
  cast,
  divide,
  equal,
  greater,
  log,
  minimum,
  multiply,
  negative,
  relu,
  squaredDifference,
  subtract,
  where,
} from '../ops/math/builders';
import { onesLike, zerosLike } from '../ops/array/broadcast';
import { squeeze } from '../ops/array/squeeze';
import { stridedSlice } from '../ops/array/strided_slice';
import { reduceSum } from '../ops/reduce/sum';
import { shape as shapeOp, size } from '../ops/fill/shape';
import { stopGradient } from '../ops/control/basic';
import {
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogitsV2,
  sparseSoftmaxCrossEntropyWithLogits,
} from '../nn/losses';

/** TF1's `tf.losses.Reduction`: how a weighted loss is reduced (values are TF1's strings). */
export const Reduction = {
  /** Un-reduced weighted losses, of the losses' shape. */
  NONE: 'none',
  /** Scalar sum of the weighted losses. */
  SUM: 'weighted_sum',
  /** The sum divided by the sum of the weights. */
  MEAN: 'weighted_mean',
  /** The sum divided by the number of elements of the losses. */
  SUM_OVER_BATCH_SIZE: 'weighted_sum_over_batch_size',
  /** The sum divided by the number of non-zero weights (TF1's default). */
  SUM_BY_NONZERO_WEIGHTS: 'weighted_sum_by_nonzero_weights',
  /** Same as SUM_BY_NONZERO_WEIGHTS. */
  SUM_OVER_NONZERO_WEIGHTS: 'weighted_sum_by_nonzero_weights',
} as const;
export type ReductionValue = (typeof Reduction)[keyof typeof Reduction];

const REDUCTIONS: string[] = Object.values(Reduction);
const reductionKind = kinds.custom<ReductionValue>(
  `a tf.losses.Reduction value (${[...new Set(REDUCTIONS)].map((r) => `'${r}'`).join(', ')})`,
  (v) => typeof v === 'string' && REDUCTIONS.includes(v),
  () => Reduction.SUM_BY_NONZERO_WEIGHTS,
  true,
);

const weightsParam = param('weights', kinds.tensor, { default: 1.0 as TensorLike });
const scopeParam = param('scope', kinds.nullable(kinds.string), { default: null as string | null });
const collectionParam = param(
  'lossCollection',
  kinds.nullable(
    kinds.custom<string>(
      'a collection name (string)',
      (v) => typeof v === 'string',
      () => 'c',
      true,
    ),
  ),
  { default: 'losses' as string | null },
);
const reductionParam = param('reduction', reductionKind, {
  default: Reduction.SUM_BY_NONZERO_WEIGHTS as ReductionValue,
});

/** TF1's `weights_broadcast_ops.assert_broadcastable`, checked on static shapes. */
function assertBroadcastable(weights: Shape, values: Shape): void {
  if (weights === null || values === null || weights.length === 0) return;
  const msg = (): string =>
    `weights can not be broadcast to values. values.rank=${values.length}. weights.rank=${weights.length}. values.shape=${shapeToString(values)}. weights.shape=${shapeToString(weights)}.`;
  if (weights.length !== values.length) throw new InvalidArgumentError(msg());
  weights.forEach((d, i) => {
    const v = values[i] as number | null;
    if (d !== null && d !== 1 && v !== null && d !== v) throw new InvalidArgumentError(msg());
  });
}

/** `num / den`, 0 where `den` is 0 (TF1's div_no_nan), for scalar tensors. */
function safeDiv(num: Tensor, den: Tensor): Tensor {
  return where(
    greater(den, 0),
    divide(num, where(equal(den, 0), onesLike(den), den)),
    zerosLike(num),
    'value',
  );
}

function numElements(losses: Tensor): Tensor {
  return getDefaultGraph().nameScope('num_elements', () => cast(size(losses), 'float32'));
}

/** TF1's `_num_present`: the number of loss elements with a non-zero (broadcast) weight. */
function numPresent(losses: Tensor, weights: TensorLike): Tensor {
  if (typeof weights === 'number' && weights !== 0) return numElements(losses);
  return getDefaultGraph().nameScope('num_present', () => {
    const w = cast(convertToTensor(weights, 'float32'), 'float32');
    const present = where(equal(w, 0), zerosLike(w), onesLike(w));
    return reduceSum(multiply(present, onesLike(losses)));
  });
}

/** The body of compute_weighted_loss; called inside the loss's name scope. */
function weightedLoss(
  lossesIn: TensorLike,
  weightsIn: TensorLike,
  lossCollection: string | null,
  reduction: ReductionValue,
  ownScope = false,
): Tensor {
  const g = getDefaultGraph();
  // TF1 reuses the calling loss's scope; compute_weighted_loss alone opens 'weighted_loss'.
  return g.nameScope(ownScope ? 'weighted_loss' : `${g.currentScope}/`, () => {
    const losses = cast(convertToTensor(lossesIn, 'float32'), 'float32');
    const weights = cast(convertToTensor(weightsIn, 'float32'), 'float32');
    assertBroadcastable(weights.shape, losses.shape);
    const weighted = multiply(losses, weights, 'Mul');
    let loss: Tensor;
    if (reduction === Reduction.NONE) loss = weighted;
    else {
      loss = reduceSum(weighted, null, false, 'Sum');
      if (reduction === Reduction.MEAN) loss = safeDiv(loss, reduceSum(multiply(onesLike(losses), weights)));
      else if (reduction === Reduction.SUM_BY_NONZERO_WEIGHTS)
        loss = safeDiv(loss, numPresent(losses, weightsIn));
      else if (reduction === Reduction.SUM_OVER_BATCH_SIZE) loss = safeDiv(loss, numElements(losses));
    }
    if (lossCollection !== null) g.addToCollection(lossCollection, loss);
    return loss;
  });
}

function toFloat(x: TensorLike, what: string): Tensor {
  const t = convertToTensor(x, 'float32');
  if (t.dtype === 'bool') throw new TypeError(`${what} must be numeric, got a bool tensor ('${t.name}')`);
  return cast(t, 'float32');
}

function assertCompatible(a: Tensor, b: Tensor): void {
  const [s, t] = [a.shape, b.shape];
  if (s === null || t === null) return;
  const ok = s.length === t.length && s.every((d, i) => d === null || t[i] === null || d === t[i]);
  if (!ok)
    throw new InvalidArgumentError(`Shapes ${shapeToString(s)} and ${shapeToString(t)} are incompatible`);
}

type LossArgs = {
  weights: TensorLike;
  scope: string | null;
  lossCollection: string | null;
  reduction: ReductionValue;
};

function elementwiseLoss(
  defaultScope: string,
  labelsIn: TensorLike,
  predictionsIn: TensorLike,
  a: LossArgs,
  body: (labels: Tensor, predictions: Tensor) => Tensor,
): Tensor {
  return getDefaultGraph().nameScope(a.scope ?? defaultScope, () => {
    const predictions = toFloat(predictionsIn, 'predictions');
    const labels = toFloat(labelsIn, 'labels');
    assertCompatible(predictions, labels);
    return weightedLoss(body(labels, predictions), a.weights, a.lossCollection, a.reduction);
  });
}

/**
 * TF1's `tf.losses.compute_weighted_loss(losses, weights=1.0, scope=None,
 * loss_collection=tf.GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS)`: `losses · weights`
 * reduced per `reduction` (NONE: unreduced; SUM; MEAN: / Σ weights; SUM_OVER_BATCH_SIZE: / #elements;
 * SUM_BY_NONZERO_WEIGHTS: / #non-zero weights; 0 when dividing by 0), added to `lossCollection`.
 *
 * @example
 * const loss = tf.losses.computeWeightedLoss(perExample, mask);
 */
export const computeWeightedLoss = declare(
  'computeWeightedLoss',
  [param('losses', kinds.tensor), weightsParam, scopeParam, collectionParam, reductionParam] as const,
  (a): Tensor =>
    a.scope === null
      ? weightedLoss(a.losses as TensorLike, a.weights, a.lossCollection, a.reduction, true)
      : getDefaultGraph().nameScope(a.scope, () =>
          weightedLoss(a.losses as TensorLike, a.weights, a.lossCollection, a.reduction),
        ),
);

const pairParams = <A extends string, B extends string>(first: A, second: B) =>
  [
    param(first, kinds.tensor),
    param(second, kinds.tensor),
    weightsParam,
    scopeParam,
    collectionParam,
    reductionParam,
  ] as const;

/**
 * TF1's `tf.losses.absolute_difference(labels, predictions, weights=1.0, scope=None,
 * loss_collection=tf.GraphKeys.LOSSES, reduction=SUM_BY_NONZERO_WEIGHTS)`: weighted `|predictions − labels|`.
 *
 * @example
 * const l1 = tf.losses.absoluteDifference(y, yHat);
 */
export const absoluteDifference = declare(
  'absoluteDifference',
  pairParams('labels', 'predictions'),
  (a): Tensor =>
    elementwiseLoss('absolute_difference', a.labels as TensorLike, a.predictions as TensorLike, a, (l, p) =>
      abs(subtract(p, l)),
    ),
);

/**
 * TF1's `tf.losses.mean_squared_error(labels, predictions, weights=1.0, scope=None,
 * loss_collection=tf.GraphKeys.LOSSES, reduction=SUM_BY_NONZERO_WEIGHTS)`: weighted
 * `(predictions − labels)²`, by default averaged over the non-zero weights.
 *
 * @example
 * const mse = tf.losses.meanSquaredError(y, yHat);
 */
export const meanSquaredError = declare(
  'meanSquaredError',
  pairParams('labels', 'predictions'),
  (a): Tensor =>
    elementwiseLoss('mean_squared_error', a.labels as TensorLike, a.predictions as TensorLike, a, (l, p) =>
      squaredDifference(p, l),
    ),
);

/**
 * TF1's `tf.losses.hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=LOSSES,
 * reduction=SUM_BY_NONZERO_WEIGHTS)`: labels in {0, 1} become ±1, loss `max(0, 1 − label·logit)`.
 *
 * @example
 * const loss = tf.losses.hingeLoss(labels01, scores);
 */
export const hingeLoss = declare('hingeLoss', pairParams('labels', 'logits'), (a): Tensor =>
  elementwiseLoss('hinge_loss', a.labels as TensorLike, a.logits as TensorLike, a, (l, z) => {
    const allOnes = onesLike(l);
    const signed = subtract(multiply(2, l), allOnes);
    return relu(subtract(allOnes, multiply(signed, z)));
  }),
);

/**
 * TF1's `tf.losses.huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
 * loss_collection=LOSSES, reduction=SUM_BY_NONZERO_WEIGHTS)`: for `e = predictions − labels`,
 * `0.5·e²` where `|e| ≤ delta`, else `0.5·delta² + delta·(|e| − delta)`.
 *
 * @example
 * const loss = tf.losses.huberLoss(y, yHat, { delta: 2.0 });
 */
export const huberLoss = declare(
  'huberLoss',
  [
    param('labels', kinds.tensor),
    param('predictions', kinds.tensor),
    weightsParam,
    param('delta', kinds.number, { default: 1.0 }),
    scopeParam,
    collectionParam,
    reductionParam,
  ] as const,
  (a): Tensor =>
    elementwiseLoss('huber_loss', a.labels as TensorLike, a.predictions as TensorLike, a, (l, p) => {
      const absError = abs(subtract(p, l));
      const quadratic = minimum(absError, a.delta);
      const linear = subtract(absError, quadratic);
      return add(multiply(0.5, multiply(quadratic, quadratic)), multiply(a.delta, linear));
    }),
);

/**
 * TF1's `tf.losses.log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
 * loss_collection=LOSSES, reduction=SUM_BY_NONZERO_WEIGHTS)`: `−y·log(p + ε) − (1 − y)·log(1 − p + ε)`.
 *
 * @example
 * const loss = tf.losses.logLoss(y, tf.sigmoid(logits));
 */
export const logLoss = declare(
  'logLoss',
  [
    param('labels', kinds.tensor),
    param('predictions', kinds.tensor),
    weightsParam,
    param('epsilon', kinds.number, { default: 1e-7 }),
    scopeParam,
    collectionParam,
    reductionParam,
  ] as const,
  (a): Tensor =>
    elementwiseLoss('log_loss', a.labels as TensorLike, a.predictions as TensorLike, a, (l, p) =>
      subtract(
        negative(multiply(l, log(add(p, a.epsilon)))),
        multiply(subtract(1, l), log(add(subtract(1, p), a.epsilon))),
      ),
    ),
);

/**
 * TF1's `tf.losses.cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None,
 * loss_collection=LOSSES, reduction=SUM_BY_NONZERO_WEIGHTS, dim=None)`: `1 − Σ_axis labels·predictions`
 * (inputs assumed unit-normalized), kept along `axis`.
 *
 * @example
 * const loss = tf.losses.cosineDistance(u, v, 1);
 */
export const cosineDistance = declare(
  'cosineDistance',
  [
    param('labels', kinds.tensor),
    param('predictions', kinds.tensor),
    param('axis', kinds.nullable(kinds.int), { default: null as number | null }),
    weightsParam,
    scopeParam,
    collectionParam,
    reductionParam,
    param('dim', kinds.nullable(kinds.int), { default: null as number | null }),
  ] as const,
  (a): Tensor => {
    if (a.dim !== null && a.axis !== null)
      throw new InvalidArgumentError("Cannot specify both 'axis' and 'dim'");
    const axis = a.axis ?? a.dim;
    if (axis === null) throw new InvalidArgumentError("You must specify 'axis'.");
    return elementwiseLoss(
      'cosine_distance_loss',
      a.labels as TensorLike,
      a.predictions as TensorLike,
      a,
      (l, p) => subtract(1, reduceSum(multiply(p, l), [axis], true)),
    );
  },
);

/**
 * TF1's `tf.losses.sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0,
 * scope=None, loss_collection=LOSSES, reduction=SUM_BY_NONZERO_WEIGHTS)`: elementwise
 * `sigmoid_cross_entropy_with_logits`, labels smoothed to `y·(1 − s) + 0.5·s` when `labelSmoothing > 0`.
 *
 * @example
 * const loss = tf.losses.sigmoidCrossEntropy(labels, logits, { labelSmoothing: 0.1 });
 */
export const sigmoidCrossEntropy = declare(
  'sigmoidCrossEntropy',
  [
    param('multiClassLabels', kinds.tensor),
    param('logits', kinds.tensor),
    weightsParam,
    param('labelSmoothing', kinds.number, { default: 0 }),
    scopeParam,
    collectionParam,
    reductionParam,
  ] as const,
  (a): Tensor =>
    getDefaultGraph().nameScope(a.scope ?? 'sigmoid_cross_entropy_loss', () => {
      const logits = toFloat(a.logits as TensorLike, 'logits');
      let labels = toFloat(a.multiClassLabels as TensorLike, 'multi_class_labels');
      assertCompatible(logits, labels);
      if (a.labelSmoothing > 0) {
        labels = add(multiply(labels, 1 - a.labelSmoothing), 0.5 * a.labelSmoothing);
      }
      const losses = sigmoidCrossEntropyWithLogits({ labels, logits, name: 'xentropy' });
      return weightedLoss(losses, a.weights, a.lossCollection, a.reduction);
    }),
);

/**
 * TF1's `tf.losses.softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0,
 * scope=None, loss_collection=LOSSES, reduction=SUM_BY_NONZERO_WEIGHTS)`: per-example softmax cross
 * entropy (`[batch]`, weights scalar or `[batch]`); labels smoothed to `y·(1 − s) + s/num_classes` when
 * `labelSmoothing > 0`; no gradient flows into the labels. Default: the mean over the batch.
 *
 * @example
 * const loss = tf.losses.softmaxCrossEntropy(onehotLabels, logits);
 */
export const softmaxCrossEntropy = declare(
  'softmaxCrossEntropy',
  [
    param('onehotLabels', kinds.tensor),
    param('logits', kinds.tensor),
    weightsParam,
    param('labelSmoothing', kinds.number, { default: 0 }),
    scopeParam,
    collectionParam,
    reductionParam,
  ] as const,
  (a): Tensor =>
    getDefaultGraph().nameScope(a.scope ?? 'softmax_cross_entropy_loss', () => {
      const logits = toFloat(a.logits as TensorLike, 'logits');
      let labels = toFloat(a.onehotLabels as TensorLike, 'onehot_labels');
      assertCompatible(logits, labels);
      if (a.labelSmoothing > 0) {
        const lastDim =
          labels.shape === null ? null : (labels.shape[labels.shape.length - 1] as number | null);
        const numClasses =
          lastDim !== null
            ? convertToTensor(lastDim, 'float32')
            : cast(
                stridedSlice(shapeOp(labels), [-1], [0], [1], { endMask: 1, shrinkAxisMask: 1 }),
                'float32',
              );
        labels = add(multiply(labels, 1 - a.labelSmoothing), divide(a.labelSmoothing, numClasses));
      }
      labels = stopGradient(labels, 'labels_stop_gradient');
      const losses = softmaxCrossEntropyWithLogitsV2(labels, logits, { name: 'xentropy' });
      return weightedLoss(losses, a.weights, a.lossCollection, a.reduction);
    }),
);

/**
 * TF1's `tf.losses.sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
 * loss_collection=LOSSES, reduction=SUM_BY_NONZERO_WEIGHTS)`: softmax cross entropy with integer class
 * labels (`[batch]`, or `[batch, 1]` squeezed); weights scalar or of the labels' shape.
 *
 * @example
 * const loss = tf.losses.sparseSoftmaxCrossEntropy(labels, logits);
 */
export const sparseSoftmaxCrossEntropy = declare(
  'sparseSoftmaxCrossEntropy',
  pairParams('labels', 'logits'),
  (a): Tensor =>
    getDefaultGraph().nameScope(a.scope ?? 'sparse_softmax_cross_entropy_loss', () => {
      let labels = convertToTensor(a.labels as TensorLike, 'int32');
      const logits = toFloat(a.logits as TensorLike, 'logits');
      // TF1's _remove_squeezable_dimensions(labels, logits, weights, expected_rank_diff=1).
      if (labels.rank !== null && logits.rank !== null && logits.rank - labels.rank === 0) {
        labels = squeeze(labels, [-1]);
      }
      let weights: TensorLike = a.weights;
      if (typeof weights !== 'number') {
        const w = convertToTensor(weights, 'float32');
        if (w.rank !== null && labels.rank !== null && w.rank - labels.rank === 1) weights = squeeze(w, [-1]);
        else weights = w;
      }
      const losses = sparseSoftmaxCrossEntropyWithLogits({ labels, logits, name: 'xentropy' });
      return weightedLoss(losses, weights, a.lossCollection, a.reduction);
    }),
);
