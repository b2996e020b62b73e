/**
 * `tf.summary`: summary ops and TensorBoard event files.
 *
 * @example
 * tf.summary.scalar('loss', loss);
 * tf.summary.histogram('W', W);
 * const merged = tf.summary.mergeAll()!;
 * const writer = new tf.summary.FileWriter('logs', sess.graph);
 * writer.addSummary(sess.run(merged, feed), step);
 * writer.close();
 */
export { scalar, histogram, merge, mergeAll } from './ops';
export type { SummaryOptions } from './ops';
export { FileWriter } from './file_writer';
export type { FileWriterOptions, SummaryInput } from './file_writer';
export { SerializedSummary } from './serialized';
export type { SummaryData, SummaryValueData, HistogramData } from './proto';
export {
  readEvents,
  decodeEvent,
  decodeRunMetadata,
  decodeGraphDef,
  EventFileReader,
  LogdirReader,
  RunData,
} from './event_reader';
export type {
  EventRecord,
  EventValue,
  RunMetadataData,
  GraphDefData,
  GraphDefNode,
  ScalarPoint,
  HistogramPoint,
} from './event_reader';
export { graphToSvg, graphToHtml } from './graph_svg';
export type { GraphSource, GraphSvgOptions, GraphHtmlOptions } from './graph_svg';
export { startBoard } from '../board/server';
export type { Board, BoardOptions } from '../board/server';
