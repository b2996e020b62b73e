import { Tensor, TensorLike } from '../graph/tensor';
import { declare, kinds, param } from '../graph/signature';
import { nameScope } from '../graph/graph';
import { InvalidArgumentError } from '../errors';
import { convertToTensor } from '../ops/op_def';
import { add, cast, divide, equal, log, multiply, subtract } from '../ops/math/builders';
import { concat } from '../ops/array/concat';
import { reshape } from '../ops/array/reshape';
import { expandDims } from '../ops/array/expand_dims';
import { onesLike, zerosLike } from '../ops/array/broadcast';
import { slice } from '../ops/array/slice';
import { shape as shapeOf } from '../ops/fill/shape';
import { reduceMax } from '../ops/reduce/extremum';
import { reduceSum } from '../ops/reduce/sum';
import { matmul } from '../ops/linalg/matmul';
import { stopGradient } from '../ops/control/basic';
import { embeddingLookup } from './embedding';
import { logUniformCandidateSampler } from './candidate_sampling';
import { sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogitsV2 } from './losses';

/** The weight TF1's ComputeAccidentalHits gives a sampled class that equals a true label: −FLT_MAX. */
const MINUS_FLT_MAX = -3.4028234663852886e38;

interface SampledArgs {
  weights: TensorLike | TensorLike[];
  biases: TensorLike;
  labels: TensorLike;
  inputs: TensorLike;
  numSampled: number;
  numClasses: number;
  numTrue: number;
  sampledValues: TensorLike[] | null;
  removeAccidentalHits: boolean;
  partitionStrategy: 'mod' | 'div';
  seed: number | null;
}

/**
 * TF1's `_compute_sampled_logits`: logits of the true classes and of the sampled candidates (each
 * minus log of its expected count), and their labels (1/numTrue for the true columns, 0 for the
 * sampled ones). Shapes [batch, numTrue + numSampled].
 */
function sampledLogits(fn: string, a: SampledArgs): [Tensor, Tensor] {
  if (!Number.isInteger(a.numTrue) || a.numTrue < 1)
    throw new InvalidArgumentError(`${fn}(): num_true must be >= 1, got ${a.numTrue}`);
  let labels = convertToTensor(a.labels, 'int32');
  if (labels.dtype !== 'int32') labels = cast(labels, 'int32');
  const inputs = convertToTensor(a.inputs, 'float32');
  const labelsFlat = reshape(labels, [-1]);
  let sv: TensorLike[];
  if (a.sampledValues === null) {
    sv = logUniformCandidateSampler(labels, a.numTrue, a.numSampled, true, a.numClasses, { seed: a.seed });
  } else {
    if (a.sampledValues.length !== 3)
      throw new TypeError(
        `${fn}(): sampledValues must be [sampledCandidates, trueExpectedCount, sampledExpectedCount] (a candidate sampler's result), got ${a.sampledValues.length} values`,
      );
    sv = a.sampledValues;
  }
  let sampled = stopGradient(sv[0] as TensorLike);
  if (sampled.dtype !== 'int32') sampled = cast(sampled, 'int32');
  const trueExpected = stopGradient(sv[1] as TensorLike);
  const sampledExpected = stopGradient(sv[2] as TensorLike);

  const weights = a.weights;
  const trueW = embeddingLookup(weights, labelsFlat, a.partitionStrategy);
  const sampledW = embeddingLookup(weights, sampled, a.partitionStrategy);
  let sLogits = matmul(inputs, sampledW, { transposeB: true });
  const trueB = embeddingLookup(a.biases, labelsFlat, a.partitionStrategy);
  const sampledB = embeddingLookup(a.biases, sampled, a.partitionStrategy);

  // Row-wise dots of each input with its numTrue true-class weight rows: [batch, numTrue].
  const dimStatic = inputs.shape?.[1] ?? null;
  const w3Shape: TensorLike =
    typeof dimStatic === 'number'
      ? [-1, a.numTrue, dimStatic]
      : concat([convertToTensor([-1, a.numTrue], 'int32'), slice(shapeOf(trueW), [1], [1])], 0);
  const trueW3 = reshape(trueW, w3Shape);
  let tLogits = reduceSum(multiply(expandDims(inputs, 1), trueW3), 2);
  tLogits = add(tLogits, reshape(trueB, [-1, a.numTrue]));
  sLogits = add(sLogits, sampledB);

  if (a.removeAccidentalHits) {
    // hit[b, s] = 1 when sampled[s] is one of row b's true labels; those logits get −FLT_MAX added.
    const eq = equal(expandDims(labels, 2), reshape(sampled, [1, 1, -1]));
    const hit = reduceMax(cast(eq, 'float32'), 1);
    sLogits = add(sLogits, multiply(hit, MINUS_FLT_MAX));
  }
  tLogits = subtract(tLogits, log(trueExpected));
  sLogits = subtract(sLogits, log(sampledExpected));
  const outLogits = concat([tLogits, sLogits], 1);
  const outLabels = concat([divide(onesLike(tLogits), a.numTrue), zerosLike(sLogits)], 1);
  return [outLogits, outLabels];
}

const commonParams = (removeAccidentalHits: boolean) =>
  [
    param('weights', kinds.union(kinds.tensor, kinds.tensors)),
    param('biases', kinds.tensor),
    param('labels', kinds.tensor),
    param('inputs', kinds.tensor),
    param('numSampled', kinds.int),
    param('numClasses', kinds.int),
    param('numTrue', kinds.int, { default: 1 }),
    param('sampledValues', kinds.nullable(kinds.tensors), { default: null as TensorLike[] | null }),
    param('removeAccidentalHits', kinds.bool, { default: removeAccidentalHits }),
    param('partitionStrategy', kinds.oneOf('mod', 'div'), { default: 'mod' as 'mod' | 'div' }),
  ] as const;

/**
 * Noise-contrastive estimation loss (TF1 `tf.nn.nce_loss(weights, biases, labels, inputs, num_sampled,
 * num_classes, num_true=1, sampled_values=None, remove_accidental_hits=False, partition_strategy='mod',
 * name='nce_loss')`): per example, the sigmoid cross-entropy of the true-class logits (label 1/numTrue)
 * and of `numSampled` sampled-class logits (label 0), each logit minus log of its expected count; the
 * candidates come from `logUniformCandidateSampler(labels, numTrue, numSampled, unique=true,
 * numClasses)` unless `sampledValues` gives them. `weights` [numClasses, dim] (or a list of shards under
 * `partitionStrategy`), `biases` [numClasses], `labels` [batch, numTrue] int, `inputs` [batch, dim].
 * Returns the per-example loss [batch]. (TF1's nce_loss has no seed; use `tf.setRandomSeed` or pass
 * `sampledValues`.)
 *
 * @example
 * const loss = tf.reduceMean(tf.nn.nceLoss(nceW, nceB, trainLabels, embed, 64, vocabularySize));
 */
export const nceLoss = declare(
  'nceLoss',
  [...commonParams(false), param('name', kinds.name, { default: 'nce_loss' as string | undefined })] as const,
  (a): Tensor =>
    nameScope(a.name ?? 'nce_loss', () => {
      const [logits, labels] = sampledLogits('nceLoss', { ...a, seed: null } as SampledArgs);
      const losses = sigmoidCrossEntropyWithLogits({ labels, logits, name: 'sampled_losses' });
      return reduceSum(losses, 1);
    }),
);

/**
 * Sampled softmax loss (TF1 `tf.nn.sampled_softmax_loss(weights, biases, labels, inputs, num_sampled,
 * num_classes, num_true=1, sampled_values=None, remove_accidental_hits=True, partition_strategy='mod',
 * name='sampled_softmax_loss', seed=None)`): the softmax cross-entropy over the true-class logits
 * (label 1/numTrue each) and `numSampled` sampled-class logits, each minus log of its expected count;
 * sampled classes equal to a true label are masked out (−FLT_MAX) unless `removeAccidentalHits` is
 * false. Returns the per-example loss [batch]; use only for training (evaluate with the full softmax).
 *
 * @example
 * const loss = tf.reduceMean(tf.nn.sampledSoftmaxLoss(W, b, labels, h, 64, 10000, { seed: 1 }));
 */
export const sampledSoftmaxLoss = declare(
  'sampledSoftmaxLoss',
  [
    ...commonParams(true),
    param('name', kinds.name, { default: 'sampled_softmax_loss' as string | undefined }),
    param('seed', kinds.nullable(kinds.int), { default: null as number | null }),
  ] as const,
  (a): Tensor =>
    nameScope(a.name ?? 'sampled_softmax_loss', () => {
      const [logits, labels] = sampledLogits('sampledSoftmaxLoss', a as SampledArgs);
      return softmaxCrossEntropyWithLogitsV2({
        labels: stopGradient(labels, 'labels_stop_gradient'),
        logits,
      });
    }),
);
