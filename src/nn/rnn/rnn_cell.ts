// The \`tf.nn.rnnCell\` namespace (TF1's tf.nn.rnn_cell): the cells and the cell wrappers.
export * from './cells';
export { DropoutWrapper, ResidualWrapper } from './wrappers';
