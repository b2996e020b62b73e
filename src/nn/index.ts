// The `tf.nn` namespace.
export { relu, relu6, elu, softplus, sigmoid, tanh } from '../ops/math/builders';
export { conv2d, conv2dBackpropInput, conv2dBackpropFilter, conv2dTranspose } from './conv2d';
export type { Conv2DOptions } from './conv2d';
export {
  depthwiseConv2d,
  depthwiseConv2dNative,
  depthwiseConv2dNativeBackpropInput,
  depthwiseConv2dNativeBackpropFilter,
  separableConv2d,
} from './depthwise_conv2d';
export { maxPool, avgPool, maxPoolGrad, avgPoolGrad } from './pool';
export type { PoolOptions } from './pool';
export type { Padding, Window } from './window';
export { biasAdd, biasAddGrad } from './bias_add';
export { dropout } from './dropout';
export type { DropoutOptions } from './dropout';
export { l2Loss } from './l2_loss';
export { zeroFraction } from './zero_fraction';
export { softmax, logSoftmax } from './softmax';
export type { SoftmaxOptions } from './softmax';
export {
  softmaxCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogitsV2,
  sparseSoftmaxCrossEntropyWithLogits,
  sigmoidCrossEntropyWithLogits,
} from './losses';
export type { XentArgs } from './losses';
export { embeddingLookup } from './embedding';
export { leakyRelu, selu, swish } from './activations';
export { l2Normalize, xwPlusB } from './normalize';
export { moments, batchNormalization } from './moments';
export { fusedBatchNorm } from './batch_norm';
export { topK, inTopK } from './top_k';
export { logUniformCandidateSampler, uniformCandidateSampler } from './candidate_sampling';
export { nceLoss, sampledSoftmaxLoss } from './sampled_losses';
export * as rnnCell from './rnn/rnn_cell';
export { staticRnn, dynamicRnn } from './rnn';
export { bidirectionalDynamicRnn, staticBidirectionalRnn } from './rnn';
export type { RNNOptions, DynamicRNNOptions } from './rnn';
