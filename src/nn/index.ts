// The `tf.nn` namespace.
export { relu, relu6, elu, softplus, sigmoid, tanh } from '../ops/math/builders';
