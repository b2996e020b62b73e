// `tf.contrib.layers`: TF1's contrib regularizers and `flatten`.
export {
  l1Regularizer,
  l2Regularizer,
  l1L2Regularizer,
  sumRegularizer,
  applyRegularization,
} from './regularizers';
export type { Regularizer } from './regularizers';
export { flatten } from './contrib_flatten';
export {
  varianceScalingInitializer,
  xavierInitializer,
  xavierInitializerConv2d,
} from './contrib_initializers';
