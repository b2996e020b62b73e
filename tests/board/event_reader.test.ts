import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import {
  decodeEvent as refDecodeEvent,
  decodeGraphDef as refDecodeGraphDef,
  readRecords,
} from '../summary/event_reader';
import { startTrainRun } from './train_run';

/**
 * The library's event reader (tf.summary.readEvents, EventFileReader, LogdirReader) against the tests'
 * independent reader (tests/summary/event_reader.ts: bitwise CRC-32C, its own TFRecord parser, protobuf
 * schema parsed from TF's .proto text).
 */
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-events-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const eventFiles = (d: string): string[] =>
  fs
    .readdirSync(d)
    .filter((f) => f.includes('tfevents'))
    .sort()
    .map((f) => path.join(d, f));

/** What the independent reader finds in a file, in the library reader's field names. */
function reference(file: string): object[] {
  return readRecords(new Uint8Array(fs.readFileSync(file))).map((r) => {
    const e = refDecodeEvent(r);
    return {
      wallTime: e.wall_time,
      step: e.step ?? 0,
      ...(e.file_version !== undefined ? { fileVersion: e.file_version } : {}),
      ...(e.graph_def !== undefined
        ? { graphNodes: refDecodeGraphDef(new Uint8Array(e.graph_def)).node.map((n) => n.name) }
        : {}),
      ...(e.summary
        ? {
            summary: e.summary.value.map((v) => ({
              tag: v.tag,
              ...(v.simple_value !== undefined ? { simpleValue: v.simple_value } : {}),
              ...(v.histo
                ? {
                    histo: {
                      min: v.histo.min,
                      max: v.histo.max,
                      num: v.histo.num,
                      sum: v.histo.sum,
                      sumSquares: v.histo.sum_squares,
                      bucketLimit: v.histo.bucket_limit,
                      bucket: v.histo.bucket,
                    },
                  }
                : {}),
            })),
          }
        : {}),
    };
  });
}

function library(events: tf.summary.EventRecord[]): object[] {
  return events.map((e) => ({
    wallTime: e.wallTime,
    step: e.step,
    ...(e.fileVersion !== undefined ? { fileVersion: e.fileVersion } : {}),
    ...(e.graphDef ? { graphNodes: tf.summary.decodeGraphDef(e.graphDef).node.map((n) => n.name) } : {}),
    ...(e.summary ? { summary: e.summary.value } : {}),
  }));
}

test('readEvents reads what the independent reader reads: versions, graph, scalars, histograms', async () => {
  const run = startTrainRun(dir);
  const losses = await run.train(6);
  run.close();
  const [file] = eventFiles(dir);
  const ref = reference(file as string);
  expect(ref.length).toBe(1 + 1 + 6); // file version, graph, one summary per step
  expect(library(tf.summary.readEvents(file as string))).toEqual(ref);
  expect(library(tf.summary.readEvents(dir))).toEqual(ref);
  // The scalar values are the losses the session returned (float32 in the protobuf).
  const logged = tf.summary
    .readEvents(dir)
    .flatMap((e) => e.summary?.value.filter((v) => v.tag === 'loss') ?? [])
    .map((v) => v.simpleValue);
  expect(logged).toEqual(losses.map((l) => Math.fround(l)));
  // The graph is the training graph.
  const graphEvent = tf.summary.readEvents(dir).find((e) => e.graphDef) as tf.summary.EventRecord;
  expect(tf.summary.decodeGraphDef(graphEvent.graphDef as Uint8Array).node.map((n) => n.name)).toEqual(
    run.graph.getOperations().map((o) => o.name),
  );
});

test('a corrupted byte is detected by the CRCs (length or data) as a DataLossError', async () => {
  const run = startTrainRun(dir);
  await run.train(3);
  run.close();
  const [file] = eventFiles(dir) as [string];
  const good = fs.readFileSync(file);
  const records = readRecords(new Uint8Array(good));
  const firstLen = 16 + (records[0] as Uint8Array).length;
  const cases: [number, RegExp][] = [
    [firstLen + 2, /bad length checksum/], // inside the second record's length
    [firstLen + 12 + 3, /bad data checksum/], // inside its data
    [firstLen + 8, /bad length checksum/], // the length CRC itself
    [good.length - 1, /bad data checksum/], // the last data CRC
  ];
  for (const [offset, message] of cases) {
    const bad = Buffer.from(good);
    bad[offset] = (bad[offset] as number) ^ 0x10;
    fs.writeFileSync(file, bad);
    expect(() => readRecords(new Uint8Array(bad))).toThrow(); // the independent reader agrees
    expect(() => tf.summary.readEvents(file)).toThrow(tf.DataLossError);
    expect(() => tf.summary.readEvents(file)).toThrow(message);
    expect(() => new tf.summary.EventFileReader(file).readNew()).toThrow(
      new RegExp(`offset ${firstLen}|offset \\d+`),
    );
  }
  // A truncated last record: an error for readEvents, skipped (read later) by an incremental reader.
  fs.writeFileSync(file, good.subarray(0, good.length - 5));
  expect(() => tf.summary.readEvents(file)).toThrow(/truncated/);
  expect(tf.summary.readEvents(file, { strict: false })).toHaveLength(records.length - 1);
  const r = new tf.summary.EventFileReader(file);
  expect(r.readNew()).toHaveLength(records.length - 1);
  fs.writeFileSync(file, good);
  expect(r.readNew()).toHaveLength(1);
  expect(r.offset).toBe(good.length);
});

test('EventFileReader and LogdirReader pick up appended events and new files and runs', async () => {
  const run1 = startTrainRun(path.join(dir, 'run1'));
  await run1.train(4);
  const logs = new tf.summary.LogdirReader(dir);
  expect(logs.reload()).toBe(2 + 4);
  expect(logs.runs().map((r) => r.name)).toEqual(['run1']);
  const r1 = logs.run('run1');
  expect(r1.scalars.get('loss')?.map((p) => p.step)).toEqual([0, 1, 2, 3]);
  expect(r1.histograms.get('weights/W')).toHaveLength(4);
  expect(r1.graphDef).not.toBeNull();
  const gen = logs.generation;
  expect(logs.reload()).toBe(0);
  expect(logs.generation).toBe(gen);

  // Appended to the same file.
  const more = await run1.train(3);
  expect(logs.reload()).toBe(3);
  expect(logs.generation).toBe(gen + 1);
  expect(r1.scalars.get('loss')?.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(
    r1.scalars
      .get('loss')
      ?.slice(4)
      .map((p) => p.value),
  ).toEqual(more.map((l) => Math.fround(l)));

  // A second event file in the same run, and a new run in a nested directory.
  const w = new tf.summary.FileWriter(path.join(dir, 'run1'), { filenameSuffix: '.extra' });
  w.addSummary({ value: [{ tag: 'lr', simpleValue: 0.25 }] }, 7);
  w.close();
  const run2 = startTrainRun(path.join(dir, 'sweep', 'b'), 2);
  await run2.train(2);
  expect(logs.reload()).toBe(2 + (2 + 2));
  expect(logs.runs().map((r) => r.name)).toEqual(['run1', 'sweep/b']);
  expect(r1.scalars.get('lr')).toEqual([{ step: 7, wallTime: expect.any(Number), value: 0.25 }]);
  expect(logs.run('sweep/b').scalars.get('loss')).toHaveLength(2);
  expect(logs.errors).toEqual([]);

  // Everything agrees with the independent reader.
  for (const run of logs.runs()) {
    const files = eventFiles(path.join(dir, run.name));
    const refLosses = files
      .flatMap(reference)
      .flatMap((e) => (e as { summary?: { tag: string; simpleValue?: number }[] }).summary ?? [])
      .filter((v) => v.tag === 'loss')
      .map((v) => v.simpleValue);
    expect(run.scalars.get('loss')?.map((p) => p.value)).toEqual(refLosses);
  }
  // A corrupted file is reported and skipped; the others keep being read.
  const f = eventFiles(path.join(dir, 'sweep', 'b'))[0] as string;
  await run2.train(1);
  run2.close();
  const bytes = fs.readFileSync(f);
  bytes[bytes.length - 6] = (bytes[bytes.length - 6] as number) ^ 1;
  fs.writeFileSync(f, bytes);
  await run1.train(1);
  run1.close();
  expect(logs.reload()).toBe(1);
  expect(logs.errors.join('\n')).toMatch(/bad data checksum/);
  expect(r1.scalars.get('loss')).toHaveLength(8);
});

test('scalars stored as rank-0 float tensors (TF2 style) read as scalars', () => {
  const w = new tf.summary.FileWriter(dir);
  const f32 = new Uint8Array(new Float32Array([2.5]).buffer);
  const tensors = [
    { tag: 'a', tensor: { dtype: 1, tensorShape: {}, floatVal: [1.25] } },
    { tag: 'b', tensor: { dtype: 1, tensorShape: {}, tensorContent: f32 } },
    { tag: 'c', tensor: { dtype: 2, tensorShape: {}, doubleVal: [0.1] } },
    { tag: 'v', tensor: { dtype: 1, tensorShape: { dim: [{ size: 2 }] }, floatVal: [1, 2] } },
  ];
  w.addSummary({ value: tensors } as never, 3);
  w.close();
  const values = tf.summary.readEvents(dir).flatMap((e) => e.summary?.value ?? []);
  expect(values).toEqual([
    { tag: 'a', simpleValue: 1.25 },
    { tag: 'b', simpleValue: 2.5 },
    { tag: 'c', simpleValue: 0.1 },
    { tag: 'v' },
  ]);
});

test('rejected arguments', () => {
  expect(() => tf.summary.readEvents(path.join(dir, 'missing'))).toThrow(tf.NotFoundError);
  expect(() => tf.summary.readEvents(dir, { strikt: true } as never)).toThrow(TypeError);
  expect(() => tf.summary.readEvents(dir, { strict: 1 } as never)).toThrow(/strict/);
  expect(() => tf.summary.readEvents('')).toThrow(TypeError);
  expect(() => new tf.summary.LogdirReader(path.join(dir, 'missing')).reload()).toThrow(tf.NotFoundError);
  expect(() => new tf.summary.LogdirReader(dir).run('nope')).toThrow(/no run named 'nope'/);
  expect(tf.summary.readEvents(dir)).toEqual([]);
});
