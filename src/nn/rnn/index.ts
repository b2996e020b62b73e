// RNNs: `tf.nn.staticRnn`, `tf.nn.dynamicRnn`, and the cells (the `tf.nn.rnnCell` namespace is ./cells).
export { staticRnn, dynamicRnn } from './rnn';
export type { RNNOptions, DynamicRNNOptions } from './rnn';
export { RNNCell, BasicRNNCell, GRUCell, BasicLSTMCell, MultiRNNCell, LSTMStateTuple } from './cells';
export { LSTMCell } from './cells';
export { DropoutWrapper, ResidualWrapper } from './wrappers';
export { bidirectionalDynamicRnn, staticBidirectionalRnn } from './bidirectional';
export type { RNNState, StateSize, RNNCellOptions, GRUCellOptions, BasicLSTMCellOptions } from './cells';
