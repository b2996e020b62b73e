// The `tf.layers` namespace: TF1's functional layers.
export { dense, dropout, flatten } from './core';
export { conv2d, conv2dTranspose, maxPooling2d, averagePooling2d } from './convolutional';
export { batchNormalization } from './normalization';
export {
  Layer,
  Dense,
  Conv2D,
  Conv2DTranspose,
  MaxPooling2D,
  AveragePooling2D,
  Dropout,
  Flatten,
  BatchNormalization,
} from './classes';
