import { fs, hostname, path } from '../platform';
import { FailedPreconditionError, InvalidArgumentError } from '../errors';
import type { Graph } from '../graph/graph';
import { shapeToString } from '../graph/shape';
import { NDArray } from '../ndarray';
import { maskedCrc32c } from '../io/crc32c';
import { Graph as GraphClass } from '../graph/graph';
import { bindCall, declareConstructor, kinds, param } from '../graph/signature';
import { encodeGraphDef } from './graph_def';
import { EventProto, RunMetadataProto, SummaryData, SummaryProto } from './proto';
import { RunMetadata } from '../session/run_options';
import { SerializedSummary } from './serialized';

export interface FileWriterOptions {
  /** Events buffered before they are written (default 10). */
  maxQueue?: number;
  /** Buffered events are written at least this often, in seconds (default 120). */
  flushSecs?: number;
  /** Appended to the event file's name. */
  filenameSuffix?: string;
}

/**
 * A summary as `addSummary` takes it: the value of a summary op (an NDArray that is a
 * `SerializedSummary`, as `sess.run(merged)` returns it), serialized bytes, or a Summary object.
 */
export type SummaryInput = NDArray | Uint8Array | SummaryData;

/**
 * One TFRecord: u64 length, masked crc32c of the length bytes, the data, masked crc32c of the data
 * (all little-endian), as tensorflow/core/lib/io/record_writer.cc writes it.
 */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length >>> 0, true);
  dv.setUint32(4, Math.floor(data.length / 2 ** 32), true);
  dv.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  dv.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

const FILE_WRITER_SIGNATURE = declareConstructor(
  'FileWriter',
  [
    param('logdir', kinds.string),
    param('graph', kinds.nullable(kinds.custom<Graph>('a tf.Graph', (v) => v instanceof GraphClass)), {
      default: null,
    }),
    param('maxQueue', kinds.nonNegInt, { default: 10 }),
    param('flushSecs', kinds.number, { default: 120 }),
    param(
      'graphDef',
      kinds.custom<unknown>('null (graph_def is not supported)', () => true),
      { default: null },
    ),
    param('filenameSuffix', kinds.nullable(kinds.string), { default: null }),
    param(
      'session',
      kinds.custom<unknown>('null (session is not supported)', () => true),
      { default: null },
    ),
  ] as const,
  (...args: unknown[]) => new FileWriter(...(args as [string])),
);

const ADD_RUN_METADATA_PARAMS = [
  param(
    'runMetadata',
    kinds.custom<RunMetadata>('a tf.RunMetadata', (v) => v instanceof RunMetadata),
  ),
  param('tag', kinds.string),
  param('globalStep', kinds.nullable(kinds.nonNegInt), { default: null }),
] as const;

/** Writers not yet closed: their buffered events are written when the process exits normally. */
const openWriters = new Set<FileWriter>();
let exitHookInstalled = false;
function flushOnExit(w: FileWriter): void {
  openWriters.add(w);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const writer of openWriters) {
      try {
        writer.flush();
      } catch {
        // the process is ending: nothing useful to do with the error
      }
    }
  });
}

/**
 * Writes TensorBoard event files (TF1's `tf.summary.FileWriter`): `<logdir>/events.out.tfevents.<time>.<host>`,
 * a sequence of TFRecords each holding an `Event` protobuf — first the file version, then the graph (if
 * given) and the summaries. Point TensorBoard at `logdir`.
 *
 * @example
 * const writer = new tf.summary.FileWriter('logs/run1', sess.graph);
 * for (let step = 0; step < 100; step++) {
 *   const [s] = sess.run([merged, train], feed);
 *   writer.addSummary(s, step);
 * }
 * writer.close();
 */
export class FileWriter {
  /** The event file being written. */
  readonly path: string;
  private fd: number | null;
  private queue: Uint8Array[] = [];
  private readonly maxQueue: number;
  private readonly timer: NodeJS.Timeout;

  private readonly logdir: string;
  /** Tags given to addRunMetadata (each may be used once, as in TF1). */
  private readonly runTags = new Set<string>();

  /**
   * TF1's `FileWriter(logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
   * filename_suffix=None, session=None)`: positional, or keywords in an options object
   * (`new FileWriter('logs', { graph: sess.graph })`). `graphDef` and `session` are not supported (a
   * TypeError, never ignored).
   */
  constructor(
    logdir: string,
    graph?: Graph | null | (FileWriterOptions & { graph?: Graph | null }),
    ...rest: unknown[]
  ) {
    const a = bindCall(FILE_WRITER_SIGNATURE, [logdir, graph, ...rest]);
    if (a.graphDef !== null)
      throw new TypeError('FileWriter(): graphDef is not supported; pass the tf.Graph as graph');
    if (a.session !== null)
      throw new TypeError('FileWriter(): session (a summary-ops writer) is not supported; leave it out');
    const options: FileWriterOptions = {
      maxQueue: a.maxQueue,
      flushSecs: a.flushSecs,
      ...(a.filenameSuffix !== null ? { filenameSuffix: a.filenameSuffix } : {}),
    };
    graph = a.graph;
    logdir = a.logdir;
    this.logdir = logdir;
    if (typeof logdir !== 'string' || logdir === '')
      throw new InvalidArgumentError('FileWriter needs a log directory');
    fs.mkdirSync(logdir, { recursive: true });
    const time = Math.floor(Date.now() / 1000);
    const base = `events.out.tfevents.${String(time).padStart(10, '0')}.${hostname()}${options.filenameSuffix ?? ''}`;
    // Two writers started in the same second must not share a file: add a counter then.
    let file = path.join(logdir, base);
    let fd: number | undefined;
    for (let n = 1; fd === undefined; n++) {
      try {
        fd = fs.openSync(file, 'wx');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw e;
        file = path.join(logdir, `${base}.${n}`);
      }
    }
    this.fd = fd;
    this.path = file;
    this.maxQueue = options.maxQueue ?? 10;
    this.timer = setInterval(() => this.flush(), (options.flushSecs ?? 120) * 1000);
    this.timer.unref?.(); // Node (a page's timers are numbers)
    this.addEvent({ fileVersion: 'brain.Event:2' });
    this.flush();
    flushOnExit(this);
    if (graph) this.addGraph(graph);
  }

  getLogdir(): string {
    return this.logdir;
  }

  /** Adds a summary (the value of a summary op, e.g. of `tf.summary.mergeAll()`) at `globalStep`. */
  addSummary(summary: SummaryInput, globalStep = 0): void {
    let message: object;
    if (summary instanceof SerializedSummary) message = SummaryProto.decode(summary.bytes);
    else if (summary instanceof Uint8Array) message = SummaryProto.decode(summary);
    else if (summary instanceof NDArray) {
      throw new InvalidArgumentError(
        `FileWriter.addSummary: expected the value of a summary op (tf.summary.scalar, histogram, merge, mergeAll), got a ${summary.dtype} NDArray of shape ${shapeToString(summary.shape)}`,
      );
    } else {
      const err = SummaryProto.verify(summary);
      if (err) throw new InvalidArgumentError(`FileWriter.addSummary: not a Summary: ${err}`);
      message = SummaryProto.fromObject(summary);
    }
    this.addEvent({ step: globalStep, summary: message });
  }

  /**
   * Adds the trace of one `sess.run` (TF1's `add_run_metadata(run_metadata, tag, global_step=None)`): an
   * Event holding a `TaggedRunMetadata` with `tag` and the serialized `RunMetadata` (its step stats:
   * each op's device and timings). A tag can be used once per writer (TF1's ValueError otherwise).
   *
   * @example
   * const meta = new tf.RunMetadata();
   * sess.run([merged, train], feed, new tf.RunOptions({ traceLevel: tf.RunOptions.FULL_TRACE }), meta);
   * writer.addRunMetadata(meta, 'step099', 99);
   */
  addRunMetadata(
    runMetadata: RunMetadata,
    tag: string,
    ...rest: (number | null | { globalStep?: number | null })[]
  ): void {
    const a = bindCall({ fn: 'FileWriter.addRunMetadata', params: ADD_RUN_METADATA_PARAMS }, [
      runMetadata,
      tag,
      ...rest,
    ]);
    if (this.runTags.has(a.tag))
      throw new InvalidArgumentError(
        `FileWriter.addRunMetadata: the provided tag ${JSON.stringify(a.tag)} was already used for this event type`,
      );
    this.runTags.add(a.tag);
    const stepStats = {
      devStats: a.runMetadata.stepStats.devStats.map((d) => ({
        device: d.device,
        nodeStats: d.nodeStats.map((n) => ({
          nodeName: n.nodeName,
          allStartMicros: Math.round(n.allStartMicros),
          opStartRelMicros: Math.round(n.opStartRelMicros),
          opEndRelMicros: Math.round(n.opEndRelMicros),
          allEndRelMicros: Math.round(n.allEndRelMicros),
          timelineLabel: n.timelineLabel,
        })),
      })),
    };
    const bytes = RunMetadataProto.encode(RunMetadataProto.fromObject({ stepStats })).finish();
    this.addEvent({
      ...(a.globalStep !== null ? { step: a.globalStep } : {}),
      taggedRunMetadata: { tag: a.tag, runMetadata: bytes },
    });
  }

  /** Adds the graph (shown in TensorBoard's Graphs tab). */
  addGraph(graph: Graph, globalStep = 0): void {
    this.addEvent({ step: globalStep, graphDef: encodeGraphDef(graph) });
  }

  /** Adds an `Event` (its fields as protobufjs plain objects; `wallTime` defaults to now). */
  addEvent(event: {
    wallTime?: number;
    step?: number;
    fileVersion?: string;
    graphDef?: Uint8Array;
    summary?: object;
    taggedRunMetadata?: { tag: string; runMetadata: Uint8Array };
  }): void {
    if (this.fd === null) throw new FailedPreconditionError(`FileWriter for ${this.logdir} is closed.`);
    const msg = EventProto.fromObject({ wallTime: Date.now() / 1000, ...event });
    this.queue.push(tfRecord(EventProto.encode(msg).finish()));
    if (this.queue.length >= this.maxQueue) this.flush();
  }

  /** Writes buffered events to disk (and fsyncs). Also done every `flushSecs`, on `close` and at process exit. */
  flush(): void {
    if (this.fd === null || this.queue.length === 0) return;
    const data = Buffer.concat(this.queue);
    this.queue = [];
    let off = 0;
    while (off < data.length) off += fs.writeSync(this.fd, data, off, data.length - off);
    fs.fsyncSync(this.fd);
  }

  /**
   * The event file written so far, as a Blob (in a browser the file lives in memory: hand it to a
   * download link or upload it). Flushes first.
   */
  toBlob(): Blob {
    this.flush();
    return new Blob([fs.readFileSync(this.path) as Uint8Array<ArrayBuffer>], {
      type: 'application/octet-stream',
    });
  }

  /** Flushes and closes the file; adding afterwards is an error. */
  close(): void {
    if (this.fd === null) return;
    this.flush();
    clearInterval(this.timer);
    fs.closeSync(this.fd);
    this.fd = null;
    openWriters.delete(this);
  }
}
