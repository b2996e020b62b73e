// `tf.contrib.rnn`: TF1's aliases of the core RNN cells and functions (the same classes and functions
// as `tf.nn.rnnCell` and `tf.nn`, so variables, names and results are identical).
export {
  RNNCell,
  BasicRNNCell,
  GRUCell,
  BasicLSTMCell,
  LSTMCell,
  MultiRNNCell,
  DropoutWrapper,
  ResidualWrapper,
  LSTMStateTuple,
} from '../nn/rnn/rnn_cell';
export { staticRnn, staticBidirectionalRnn } from '../nn/rnn';
export { OutputProjectionWrapper } from '../nn/rnn/projection';
