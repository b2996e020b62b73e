import * as fs from 'fs';
import * as path from 'path';
import { DataLossError, NotFoundError } from '../errors';
import { maskedCrc32c } from '../io/crc32c';
import { EventProto, GraphDefProto, RunMetadataProto, type HistogramData } from './proto';

/**
 * Reading TensorBoard event files (what `tf.summary.FileWriter` writes, and what TensorFlow writes):
 * TFRecord framing (tensorflow/core/lib/io/record_reader.cc — u64 length, masked CRC-32C of the length,
 * data, masked CRC-32C of the data) with both checksums verified, and the `Event` protobuf decoded.
 * Files are read incrementally: a reader remembers how far it got, so records appended later (a training
 * run still writing) and event files created later are picked up by the next `reload()`.
 */

/** One decoded summary value. Scalars have `simpleValue`, histograms `histo`. */
export interface EventValue {
  tag: string;
  simpleValue?: number;
  histo?: HistogramData;
}

/** One decoded `Event` record. */
export interface EventRecord {
  /** Seconds since the epoch. */
  wallTime: number;
  step: number;
  fileVersion?: string;
  /** A serialized `GraphDef` (decode with `decodeGraphDef`, draw with `tf.summary.graphToSvg`). */
  graphDef?: Uint8Array;
  summary?: { value: EventValue[] };
  /** A traced run (`FileWriter.addRunMetadata`): its tag and serialized `RunMetadata` (see `decodeRunMetadata`). */
  taggedRunMetadata?: { tag: string; runMetadata: Uint8Array };
}

/** A decoded `RunMetadata` (its step stats: per device, each op's name, label and timings in µs). */
export interface RunMetadataData {
  stepStats: {
    devStats: {
      device: string;
      nodeStats: {
        nodeName: string;
        timelineLabel: string;
        allStartMicros: number;
        opStartRelMicros: number;
        opEndRelMicros: number;
        allEndRelMicros: number;
      }[];
    }[];
  };
}

/**
 * Decodes the serialized `RunMetadata` of an event's `taggedRunMetadata`.
 *
 * @example
 * const traced = tf.summary.readEvents('logs/train').filter((e) => e.taggedRunMetadata);
 * const meta = tf.summary.decodeRunMetadata(traced[0].taggedRunMetadata.runMetadata);
 */
export function decodeRunMetadata(bytes: Uint8Array): RunMetadataData {
  const o = RunMetadataProto.toObject(RunMetadataProto.decode(bytes), {
    longs: Number,
    defaults: true,
    arrays: true,
  }) as { stepStats?: RunMetadataData['stepStats'] };
  return { stepStats: { devStats: o.stepStats?.devStats ?? [] } };
}

/** A GraphDef node as decoded from an event file (camelCase field names). */
export interface GraphDefNode {
  name: string;
  op: string;
  input?: string[];
  device?: string;
  attr?: Record<string, Record<string, unknown>>;
}
/** A decoded GraphDef. */
export interface GraphDefData {
  node: GraphDefNode[];
}

const HEADER = 12;
const FOOTER = 4;

/** Result of parsing the records in a buffer: the complete records and the bytes they used. */
interface Parsed {
  records: Uint8Array[];
  consumed: number;
}

/**
 * Splits `buf` (starting at file offset `base`, for messages) into complete TFRecords, verifying both
 * checksums. A trailing partial record (a writer in the middle of a write) is left unconsumed; a
 * checksum mismatch is a `DataLossError` naming the file and offset.
 */
function parseRecords(buf: Uint8Array, base: number, file: string): Parsed {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const records: Uint8Array[] = [];
  let pos = 0;
  while (pos + HEADER <= buf.length) {
    const lenLo = dv.getUint32(pos, true);
    const lenHi = dv.getUint32(pos + 4, true);
    const lenCrc = dv.getUint32(pos + 8, true);
    if (maskedCrc32c(buf.subarray(pos, pos + 8)) !== lenCrc)
      throw new DataLossError(`${file}: corrupted record at offset ${base + pos}: bad length checksum`);
    const len = lenLo + lenHi * 2 ** 32;
    if (pos + HEADER + len + FOOTER > buf.length) break; // not fully written yet
    const data = buf.subarray(pos + HEADER, pos + HEADER + len);
    if (maskedCrc32c(data) !== dv.getUint32(pos + HEADER + len, true))
      throw new DataLossError(`${file}: corrupted record at offset ${base + pos}: bad data checksum`);
    records.push(data);
    pos += HEADER + len + FOOTER;
  }
  return { records, consumed: pos };
}

/** Decodes one serialized `Event`. */
export function decodeEvent(bytes: Uint8Array): EventRecord {
  const o = EventProto.toObject(EventProto.decode(bytes), { longs: Number, defaults: false }) as {
    wallTime?: number;
    step?: number;
    fileVersion?: string;
    graphDef?: Uint8Array;
    summary?: { value?: EventValue[] };
    taggedRunMetadata?: { tag?: string; runMetadata?: Uint8Array };
  };
  const ev: EventRecord = { wallTime: o.wallTime ?? 0, step: o.step ?? 0 };
  if (o.taggedRunMetadata !== undefined) {
    ev.taggedRunMetadata = {
      tag: o.taggedRunMetadata.tag ?? '',
      runMetadata: new Uint8Array(o.taggedRunMetadata.runMetadata ?? []),
    };
  }
  if (o.fileVersion !== undefined) ev.fileVersion = o.fileVersion;
  if (o.graphDef !== undefined) ev.graphDef = new Uint8Array(o.graphDef);
  if (o.summary !== undefined) ev.summary = { value: (o.summary.value ?? []).map(normalizeValue) };
  return ev;
}

/** A scalar stored as a rank-0 float TensorProto (how TF2's `tf.summary.scalar` writes it), or undefined. */
function tensorScalar(t: unknown): number | undefined {
  const p = t as {
    dtype?: number;
    tensorShape?: { dim?: unknown[] };
    floatVal?: number[];
    doubleVal?: number[];
    tensorContent?: Uint8Array;
  };
  if ((p.tensorShape?.dim ?? []).length !== 0) return undefined;
  if (p.floatVal?.length === 1) return p.floatVal[0];
  if (p.doubleVal?.length === 1) return p.doubleVal[0];
  const c = p.tensorContent;
  if (c && p.dtype === 1 && c.length === 4)
    return new DataView(c.buffer, c.byteOffset, 4).getFloat32(0, true);
  if (c && p.dtype === 2 && c.length === 8)
    return new DataView(c.buffer, c.byteOffset, 8).getFloat64(0, true);
  return undefined;
}

function normalizeValue(v: EventValue & { tensor?: unknown }): EventValue {
  const out: EventValue = { tag: v.tag ?? '' };
  if (v.simpleValue !== undefined) out.simpleValue = v.simpleValue;
  else if (v.tensor !== undefined) {
    const x = tensorScalar(v.tensor);
    if (x !== undefined) out.simpleValue = x;
  }
  if (v.histo !== undefined) {
    const h = v.histo as Partial<HistogramData>;
    out.histo = {
      min: h.min ?? 0,
      max: h.max ?? 0,
      num: h.num ?? 0,
      sum: h.sum ?? 0,
      sumSquares: h.sumSquares ?? 0,
      bucketLimit: h.bucketLimit ?? [],
      bucket: h.bucket ?? [],
    };
  }
  return out;
}

/** Decodes a serialized `GraphDef` (as found in an event's `graphDef`). */
export function decodeGraphDef(bytes: Uint8Array): GraphDefData {
  const o = GraphDefProto.toObject(GraphDefProto.decode(bytes), {
    longs: Number,
    enums: Number,
    defaults: false,
  }) as { node?: GraphDefNode[] };
  return { node: o.node ?? [] };
}

/** Is `name` an event file (`events.out.tfevents.*`, as TensorFlow and `FileWriter` name them)? */
export function isEventFile(name: string): boolean {
  return path.basename(name).includes('tfevents');
}

/**
 * Reads one event file incrementally: each `readNew()` returns the events appended since the last call
 * (complete records only; a record still being written is read next time).
 *
 * @example
 * const r = new tf.summary.EventFileReader('logs/events.out.tfevents.1700000000.host');
 * for (const ev of r.readNew()) console.log(ev.step, ev.summary?.value);
 */
export class EventFileReader {
  /** Bytes of the file read so far (complete records). */
  offset = 0;

  constructor(readonly path: string) {
    if (typeof path !== 'string' || path === '')
      throw new TypeError('EventFileReader(): path must be a non-empty string');
  }

  /** The events appended since the last call; `DataLossError` on a corrupted record. */
  readNew(): EventRecord[] {
    let fd: number;
    try {
      fd = fs.openSync(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NotFoundError(`${this.path}: no such event file`);
      throw e;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset)
        throw new DataLossError(`${this.path}: file shrank from ${this.offset} to ${size} bytes`);
      if (size === this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      let got = 0;
      while (got < buf.length) {
        const n = fs.readSync(fd, buf, got, buf.length - got, this.offset + got);
        if (n === 0) break;
        got += n;
      }
      const { records, consumed } = parseRecords(buf.subarray(0, got), this.offset, this.path);
      const events = records.map((r, i) => {
        try {
          return decodeEvent(r);
        } catch (e) {
          throw new DataLossError(`${this.path}: record ${i} is not an Event: ${(e as Error).message}`);
        }
      });
      this.offset += consumed;
      return events;
    } finally {
      fs.closeSync(fd);
    }
  }
}

const READ_EVENTS_OPTIONS = new Set(['strict']);

/**
 * Every event in an event file, or in all event files of a directory (not its subdirectories), in
 * file-name order (which is creation order for `FileWriter`'s names). A corrupted record is a
 * `DataLossError`; a truncated last record is an error too (`{ strict: false }` skips it, as a reader of a
 * file still being written would).
 *
 * @example
 * const events = tf.summary.readEvents('logs/run1');
 * const losses = events.flatMap((e) => e.summary?.value.filter((v) => v.tag === 'loss') ?? []);
 */
export function readEvents(file: string, options: { strict?: boolean } = {}): EventRecord[] {
  if (typeof file !== 'string' || file === '')
    throw new TypeError('readEvents(): path must be a non-empty string');
  checkOptions('readEvents', options, READ_EVENTS_OPTIONS);
  const strict = options.strict ?? true;
  if (typeof strict !== 'boolean') throw new TypeError("readEvents(): option 'strict' must be a boolean");
  let files: string[];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new NotFoundError(`readEvents(): ${file} does not exist`);
  }
  if (stat.isDirectory()) {
    files = fs
      .readdirSync(file)
      .filter(isEventFile)
      .sort()
      .map((f) => path.join(file, f))
      .filter((f) => fs.statSync(f).isFile());
  } else files = [file];
  const out: EventRecord[] = [];
  for (const f of files) {
    const r = new EventFileReader(f);
    out.push(...r.readNew());
    if (strict && r.offset !== fs.statSync(f).size)
      throw new DataLossError(`${f}: truncated record at offset ${r.offset}`);
  }
  return out;
}

/** Throws a TypeError for option keys the function does not take (never ignores one). */
export function checkOptions(fn: string, options: unknown, known: Set<string>): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new TypeError(`${fn}(): options must be an object`);
  for (const k of Object.keys(options))
    if (!known.has(k)) throw new TypeError(`${fn}() got an unexpected option '${k}'`);
}

/** One scalar point. */
export interface ScalarPoint {
  step: number;
  wallTime: number;
  value: number;
}
/** One histogram at one step. */
export interface HistogramPoint extends HistogramData {
  step: number;
  wallTime: number;
}

/** Everything read so far for one run (one directory holding event files). */
export class RunData {
  readonly scalars = new Map<string, ScalarPoint[]>();
  readonly histograms = new Map<string, HistogramPoint[]>();
  /** The last graph written to the run (serialized GraphDef). */
  graphDef: Uint8Array | null = null;
  /** Event files of the run and how far each was read. */
  readonly files = new Map<string, EventFileReader>();

  constructor(readonly name: string) {}

  add(ev: EventRecord): void {
    if (ev.graphDef) this.graphDef = ev.graphDef;
    for (const v of ev.summary?.value ?? []) {
      if (v.simpleValue !== undefined) {
        const list = this.scalars.get(v.tag) ?? [];
        list.push({ step: ev.step, wallTime: ev.wallTime, value: v.simpleValue });
        this.scalars.set(v.tag, list);
      } else if (v.histo !== undefined) {
        const list = this.histograms.get(v.tag) ?? [];
        list.push({ step: ev.step, wallTime: ev.wallTime, ...v.histo });
        this.histograms.set(v.tag, list);
      }
    }
  }
}

/**
 * Watches a log directory as TensorBoard does: every directory under it (itself included) that holds
 * event files is a run, named by its path relative to the log directory (`.` for the log directory
 * itself). `reload()` reads what was appended to known files and any new files or runs.
 *
 * @example
 * const logs = new tf.summary.LogdirReader('logs');
 * logs.reload();
 * for (const run of logs.runs()) console.log(run.name, [...run.scalars.keys()]);
 */
export class LogdirReader {
  private readonly byName = new Map<string, RunData>();
  /** Increases whenever `reload()` read new events (clients poll it to know when to refresh). */
  generation = 0;
  /** Problems met by the last `reload()` (a corrupted file is reported here and skipped from then on). */
  errors: string[] = [];
  private readonly broken = new Set<string>();

  constructor(readonly logdir: string) {
    if (typeof logdir !== 'string' || logdir === '')
      throw new TypeError('LogdirReader(): logdir must be a non-empty string');
  }

  /** Reads new events; returns how many were read. */
  reload(): number {
    if (!fs.existsSync(this.logdir) || !fs.statSync(this.logdir).isDirectory())
      throw new NotFoundError(`log directory ${this.logdir} does not exist`);
    this.errors = [...this.broken].map((f) => `${f}: skipped after an earlier error`);
    let count = 0;
    for (const [runDir, files] of this.scan()) {
      const rel = path.relative(this.logdir, runDir) || '.';
      const name = rel.split(path.sep).join('/');
      let run = this.byName.get(name);
      if (!run) {
        run = new RunData(name);
        this.byName.set(name, run);
      }
      for (const f of files) {
        if (this.broken.has(f)) continue;
        let reader = run.files.get(f);
        if (!reader) {
          reader = new EventFileReader(f);
          run.files.set(f, reader);
        }
        try {
          const events = reader.readNew();
          for (const ev of events) run.add(ev);
          count += events.length;
        } catch (e) {
          this.broken.add(f);
          this.errors.push((e as Error).message);
        }
      }
    }
    if (count > 0) this.generation++;
    return count;
  }

  /** Runs found so far, by name. */
  runs(): RunData[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The run named `name` (a `NotFoundError` if there is none). */
  run(name: string): RunData {
    const r = this.byName.get(name);
    if (!r) throw new NotFoundError(`no run named '${name}' in ${this.logdir}`);
    return r;
  }

  /** Directories with event files, each with its files in name order. */
  private scan(): [string, string[]][] {
    const out: [string, string[]][] = [];
    const visit = (dir: string, depth: number): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return; // removed while scanning
      }
      const files = entries
        .filter((e) => e.isFile() && isEventFile(e.name))
        .map((e) => path.join(dir, e.name))
        .sort();
      if (files.length) out.push([dir, files]);
      if (depth >= 20) return;
      for (const e of entries.filter((d) => d.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1)))
        visit(path.join(dir, e.name), depth + 1);
    };
    visit(this.logdir, 0);
    return out;
  }
}
