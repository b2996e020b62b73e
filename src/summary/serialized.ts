import { NDArray } from '../ndarray';

/**
 * The value of a summary op. In TF1 a summary is a scalar string tensor holding a serialized `Summary`
 * protobuf; tensorgraph has no string dtype, so a summary tensor is a scalar `int32` in the graph and its
 * value is this NDArray: the scalar is the message's byte length and `bytes` is the message itself.
 * `FileWriter.addSummary` recognises it, so the TF1 pattern works unchanged:
 * `writer.addSummary(sess.run(merged, feed), step)`.
 */
export class SerializedSummary extends NDArray {
  constructor(readonly bytes: Uint8Array) {
    super(new Int32Array([bytes.length]), [], 'int32');
  }
}

/** The op types whose outputs are serialized summaries. */
export const SUMMARY_OP_TYPES: readonly string[] = ['ScalarSummary', 'HistogramSummary', 'MergeSummary'];
