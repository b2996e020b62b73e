// The `tf.train` namespace.
export {};
