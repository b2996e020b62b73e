// The `tf.image` namespace.
export { resizeBilinear, resizeNearestNeighbor } from './resize';
