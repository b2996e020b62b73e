// The `tf.losses` namespace: TF1's loss functions, their reduction modes and the loss collections.
export {
  Reduction,
  computeWeightedLoss,
  absoluteDifference,
  meanSquaredError,
  hingeLoss,
  huberLoss,
  logLoss,
  cosineDistance,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
  sparseSoftmaxCrossEntropy,
} from './losses_impl';
export type { ReductionValue } from './losses_impl';
export { addLoss, getLosses, getRegularizationLosses, getRegularizationLoss, getTotalLoss } from './util';
