// The `tf.contrib` namespace: the parts of TF1's contrib that classic programs use.
export * as seq2seq from './seq2seq';
export * as rnn from './rnn';
export * as layers from '../layers/contrib_layers';
export * as legacySeq2seq from '../nn/legacy_seq2seq';
