// The `tf.image` namespace.
export { resizeBilinear, resizeNearestNeighbor } from './resize';
export { nonMaxSuppression, nonMaxSuppressionWithScores, nonMaxSuppressionV5 } from './nms';
