/**
 * Error classes with TF1's names. Each message carries TF1's wording; errors about a node add the node's
 * name, its op type and the place in the user's code where it was created.
 */
export class TensorGraphError extends Error {
  override name = 'TensorGraphError';
}
/** Bad shapes, dtypes or values (build time or run time). */
export class InvalidArgumentError extends TensorGraphError {
  override name = 'InvalidArgumentError';
}
/** Using state that is not ready: an uninitialized variable, a closed session, a finalized graph. */
export class FailedPreconditionError extends TensorGraphError {
  override name = 'FailedPreconditionError';
}
/** A name that does not exist in the graph. */
export class NotFoundError extends TensorGraphError {
  override name = 'NotFoundError';
}
/** Something the library does not support (e.g. a missing gradient). */
export class UnimplementedError extends TensorGraphError {
  override name = 'UnimplementedError';
}
/** Data in a file is corrupt or truncated (checkpoints, event files). */
export class DataLossError extends TensorGraphError {
  override name = 'DataLossError';
}
/** An iterator (tf.data) or queue reached its end: TF1's `End of sequence`, caught to end an input loop. */
export class OutOfRangeError extends TensorGraphError {
  override name = 'OutOfRangeError';
}
/** A tensor or file larger than the configured memory limits (TF1's OOM / ResourceExhaustedError). */
export class ResourceExhaustedError extends TensorGraphError {
  override name = 'ResourceExhaustedError';
}
/** A failure inside the runtime itself, e.g. a device thread that stopped (TF1's `InternalError`). */
export class InternalError extends TensorGraphError {
  override name = 'InternalError';
}
