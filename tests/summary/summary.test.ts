import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { NDArray } from '../../src';
import { crc32c, maskedCrc32c } from '../../src/io';
import {
  crc32cBitwise,
  decodeEvent,
  decodeGraphDef,
  decodeSummary,
  EventData,
  mask,
  readRecords,
  ValueData,
} from './event_reader';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-summary-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const DBL_MAX = Number.MAX_VALUE;

describe('CRC32C', () => {
  test('the reader and the library agree with the published test vectors', () => {
    expect(crc32cBitwise(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    // RFC 3720 (iSCSI) appendix B.4 vectors.
    const vectors: [Uint8Array, number][] = [
      [new Uint8Array(32), 0x8a9136aa],
      [new Uint8Array(32).fill(0xff), 0x62a8ab43],
      [Uint8Array.from({ length: 32 }, (_v, i) => i), 0x46dd794e],
      [Uint8Array.from({ length: 32 }, (_v, i) => 31 - i), 0x113fdb5c],
    ];
    for (const [bytes, crc] of vectors) expect([crc32cBitwise(bytes), crc32c(bytes)]).toEqual([crc, crc]);
    // Every length and alignment of the slicing-by-4 loop against the bitwise reference.
    const data = Uint8Array.from({ length: 1000 }, (_v, i) => (i * 7919 + 13) & 0xff);
    for (let n = 0; n < 40; n++)
      expect(crc32c(data.subarray(3, 3 + n * 23))).toBe(crc32cBitwise(data.subarray(3, 3 + n * 23)));
    expect(maskedCrc32c(ascii('123456789'))).toBe(mask(0xe3069283));
  });
});

/** A model with scalar and histogram summaries in name scopes, a writer, and three logged steps. */
function writeRun(logdir: string) {
  const graph = new tf.Graph();
  return graph.asDefault(() => {
    const x = tf.placeholder('float32', [null, 3], 'x');
    const W = new tf.Variable(
      [
        [0.5, -1],
        [2, 0],
        [-0.25, 3e-5],
      ],
      { name: 'W' },
    );
    const h = tf.nameScope('layer', () => {
      const out = tf.matmul(x, W);
      tf.summary.histogram('activations', out);
      return out;
    });
    const loss = tf.reduceMean(tf.square(h), undefined, 'mse');
    const lossSummary = tf.summary.scalar('loss', loss);
    tf.summary.histogram('weights', W);
    tf.summary.scalar('accuracy', tf.constant(0.75), { family: 'eval' });
    const merged = tf.summary.mergeAll() as tf.Tensor;
    const sess = new tf.Session({ graph });
    sess.run(tf.globalVariablesInitializer());
    const writer = new tf.summary.FileWriter(logdir, graph);
    const expected: { loss: number; act: number[] }[] = [];
    for (let step = 0; step < 3; step++) {
      const feed = {
        'x:0': [
          [step, 1, -2],
          [0.5, step * step, 1],
        ],
      };
      const [s, l, a] = sess.run([merged, loss, h], feed);
      expected.push({ loss: l.item() as number, act: Array.from(a.data) });
      writer.addSummary(s, step * 10);
    }
    writer.addSummary({ value: [{ tag: 'manual', simpleValue: 0.125 }] }, 40);
    writer.close();
    return { graph, writer, expected, lossSummary, merged, W: sess.run(W) };
  });
}

/** TF's histogram bucket rule, checked against an encoded HistogramProto independently of its code. */
function checkHistogram(hist: NonNullable<ValueData['histo']>, values: number[]): void {
  expect(hist.num).toBe(values.length);
  expect(hist.min).toBe(Math.min(...values));
  expect(hist.max).toBe(Math.max(...values));
  expect(hist.sum).toBeCloseTo(
    values.reduce((a, b) => a + b, 0),
    12,
  );
  expect(hist.sum_squares).toBeCloseTo(
    values.reduce((a, b) => a + b * b, 0),
    12,
  );
  const limits = hist.bucket_limit;
  expect(limits.length).toBe(hist.bucket.length);
  let prev = -Infinity;
  limits.forEach((limit, j) => {
    expect(limit).toBeGreaterThan(prev);
    // Limits are TF's defaults: 0, ±DBL_MAX or ±1e-12 · 1.1^k.
    if (limit !== 0 && Math.abs(limit) !== DBL_MAX) {
      const k = Math.log(Math.abs(limit) / 1e-12) / Math.log(1.1);
      expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-6);
    }
    // Bucket j counts the values in [previous limit, limit).
    expect(hist.bucket[j] ?? 0).toBe(values.filter((v) => v >= prev && v < limit).length);
    if (j > 0 && !hist.bucket[j]) expect(hist.bucket[j - 1]).toBeGreaterThan(0); // empty runs are collapsed
    prev = limit;
  });
  expect(limits[limits.length - 1]).toBe(DBL_MAX);
}

describe('tf.summary and FileWriter', () => {
  test('an independent reader decodes the event file: CRCs, file version, graph, scalars and histograms', () => {
    const logdir = path.join(root, 'run1');
    const { graph, writer, expected, W } = writeRun(logdir);
    const files = fs.readdirSync(logdir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${os.hostname().replace(/\./g, '\\.')}$`),
    );
    expect(writer.path).toBe(path.join(logdir, files[0] as string));
    const events = readRecords(fs.readFileSync(writer.path)).map(decodeEvent);
    expect(events).toHaveLength(6);
    const now = Date.now() / 1000;
    for (const e of events) expect(Math.abs(e.wall_time - now)).toBeLessThan(120);
    expect(events[0]?.file_version).toBe('brain.Event:2');

    // The graph, as a GraphDef with TF1-style inputs, attrs and output shapes.
    const gd = decodeGraphDef(Uint8Array.from(events[1]?.graph_def ?? []));
    expect(gd.node.map((n) => n.name)).toEqual(graph.getOperations().map((op) => op.name));
    const mm = gd.node.find((n) => n.name === 'layer/MatMul');
    expect([mm?.op, mm?.input]).toEqual(['MatMul', ['x', 'W']]);
    expect(mm?.attr?.transpose_a).toEqual({ b: false });
    const xNode = gd.node.find((n) => n.name === 'x');
    expect(xNode?.attr?.dtype).toEqual({ type: 'DT_FLOAT' });
    expect(xNode?.attr?.shape).toEqual({ shape: { dim: [{ size: -1 }, { size: 3 }] } });
    expect(mm?.attr?._output_shapes).toEqual({ list: { shape: [{ dim: [{ size: -1 }, { size: 2 }] }] } });
    const init = gd.node.find((n) => n.name === 'init');
    expect(init?.input).toEqual(['^W/Assign']);
    const initial = gd.node.find((n) => n.name === 'W/initial_value');
    const tensor = initial?.attr?.value?.tensor as { dtype: string; tensor_content: number[] };
    expect(tensor.dtype).toBe('DT_FLOAT');
    expect(Array.from(new Float32Array(Uint8Array.from(tensor.tensor_content).buffer))).toEqual(
      Array.from(W.data),
    );

    // Summaries at steps 0, 10, 20, then the hand-made one at 40.
    const summaries = events.slice(2) as EventData[];
    expect(summaries.map((e) => e.step ?? 0)).toEqual([0, 10, 20, 40]);
    summaries.slice(0, 3).forEach((e, i) => {
      const values = e.summary?.value ?? [];
      expect(values.map((v) => v.tag)).toEqual([
        'layer/activations',
        'loss',
        'weights',
        'eval/eval/accuracy',
      ]);
      const byTag = new Map(values.map((v) => [v.tag, v]));
      expect(byTag.get('loss')?.simple_value).toBe(Math.fround(expected[i]?.loss as number));
      expect(byTag.get('eval/eval/accuracy')?.simple_value).toBe(0.75);
      checkHistogram(
        byTag.get('layer/activations')?.histo as NonNullable<ValueData['histo']>,
        expected[i]?.act as number[],
      );
      checkHistogram(byTag.get('weights')?.histo as NonNullable<ValueData['histo']>, Array.from(W.data));
    });
    expect(summaries[3]?.summary?.value).toEqual([{ tag: 'manual', simple_value: 0.125 }]);
  });

  test("TF's encoding of a one-value histogram and of an empty one", () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const zero = tf.summary.histogram('zero', tf.constant([0]));
      const empty = tf.summary.histogram('empty', tf.zeros([0]));
      const [z, e] = new tf.Session()
        .run([zero, empty])
        .map((s) => decodeSummary((s as tf.summary.SerializedSummary).bytes));
      // Fields absent on the wire read as 0 (proto3).
      const full = (h: ValueData['histo']) => ({ min: 0, max: 0, num: 0, sum: 0, sum_squares: 0, ...h });
      expect(full(z?.value[0]?.histo)).toEqual({
        min: 0,
        max: 0,
        num: 1,
        sum: 0,
        sum_squares: 0,
        bucket_limit: [0, 1e-12, DBL_MAX],
        bucket: [0, 1, 0],
      });
      expect(full(e?.value[0]?.histo)).toEqual({
        min: DBL_MAX,
        max: -DBL_MAX,
        num: 0,
        sum: 0,
        sum_squares: 0,
        bucket_limit: [DBL_MAX],
        bucket: [0],
      });
    });
  });

  test('TF1 naming, collections and mergeAll', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      expect(tf.summary.mergeAll()).toBeNull();
      const a = tf.summary.scalar('loss', 1);
      const b = tf.summary.scalar('loss', 2);
      const c = tf.nameScope('train', () => tf.summary.scalar('bad name!', 3));
      const d = tf.summary.scalar('other', 4, { collections: ['mine'] });
      expect([a, b, c, d].map((t) => [t.op.name, t.op.attrs.tag, t.op.type])).toEqual([
        ['loss', 'loss', 'ScalarSummary'],
        ['loss_1', 'loss_1', 'ScalarSummary'],
        ['train/bad_name_', 'train/bad_name_', 'ScalarSummary'],
        ['other', 'other', 'ScalarSummary'],
      ]);
      expect(tf.getDefaultGraph().getCollection('summaries')).toEqual([a, b, c]);
      const all = tf.summary.mergeAll() as tf.Tensor;
      expect(all.op.name).toBe('Merge/MergeSummary');
      expect(all.op.inputs).toEqual([a, b, c]);
      expect((tf.summary.mergeAll('mine') as tf.Tensor).op.name).toBe('Merge_1/MergeSummary');
      expect((tf.summary.mergeAll(undefined, { scope: 'train' }) as tf.Tensor).op.inputs).toEqual([c]);
      const s = new tf.Session().run(all) as tf.summary.SerializedSummary;
      expect(s).toBeInstanceOf(tf.summary.SerializedSummary);
      expect([s.dtype, s.shape, s.item()]).toEqual(['int32', [], s.bytes.length]);
      expect(decodeSummary(s.bytes).value).toEqual([
        { tag: 'loss', simple_value: 1 },
        { tag: 'loss_1', simple_value: 2 },
        { tag: 'train/bad_name_', simple_value: 3 },
      ]);
    });
  });

  test('summary graphs export to JSON and run identically after import', () => {
    const g = new tf.Graph();
    const merged = g.asDefault(() => {
      const x = tf.placeholder('float32', [4], 'x');
      tf.summary.scalar('mean', tf.reduceMean(x));
      tf.summary.histogram('x', x);
      return tf.summary.mergeAll() as tf.Tensor;
    });
    const g2 = new tf.Graph();
    const [m2] = tf.importGraphDef(JSON.stringify(g), { graph: g2, returnElements: [merged.name] });
    const feed = { 'x:0': [1, -2, 3.5, 0] };
    const a = new tf.Session({ graph: g }).run(merged, feed) as tf.summary.SerializedSummary;
    const b = new tf.Session({ graph: g2 }).run(m2 as tf.Tensor, feed) as tf.summary.SerializedSummary;
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
  });

  test('errors: non-scalar scalars, bool values, NaN histograms, duplicate tags, bad summaries, closed writers', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      expect(() => tf.summary.scalar('v', tf.constant([1, 2]))).toThrow(
        /tags and values not the same shape: \[\] != \[2\] \(tag 'v'\) for 'v' \(op: 'ScalarSummary'\)/,
      );
      expect(() => tf.summary.histogram('b', tf.constant([true]))).toThrow(/attr 'T' of bool/);
      const p = tf.placeholder('float32', null, 'input');
      const s = tf.summary.scalar('p', p);
      const sess = new tf.Session();
      expect(() => sess.run(s, { 'input:0': [1, 2, 3] })).toThrow(
        /tags and values not the same shape: \[\] != \[3\] \(tag 'p'\)/,
      );
      const h = tf.summary.histogram('h', p);
      expect(() => sess.run(h, { 'input:0': [1, NaN] })).toThrow(/Nan in summary histogram for: h/);
      expect(() => sess.run(h, { 'input:0': [Infinity] })).toThrow(/Nan in summary histogram for: h/);
      expect(() => sess.run(tf.summary.merge([s, s]), { 'input:0': 1 })).toThrow(
        /Duplicate tag p found in summary inputs/,
      );
      expect(() => tf.summary.merge([p])).toThrow(/not the output of a summary op/);
      expect(() => tf.summary.scalar('///', 1)).toThrow(/empty after cleaning/);
      const writer = new tf.summary.FileWriter(path.join(root, 'errors'));
      expect(() => writer.addSummary(sess.run(p, { 'input:0': 1 }) as NDArray)).toThrow(
        /expected the value of a summary op/,
      );
      expect(() =>
        writer.addSummary({ value: [{ tag: 't', simpleValue: 'x' as unknown as number }] }),
      ).toThrow(/not a Summary/);
      writer.close();
      expect(() =>
        writer.addSummary(sess.run(s, { 'input:0': 1 }) as tf.summary.SerializedSummary, 1),
      ).toThrow(/closed/);
      writer.close(); // closing twice is harmless
    });
  });

  test('two writers in one directory in the same second write two files; flush makes events readable', () => {
    const logdir = path.join(root, 'two');
    const w1 = new tf.summary.FileWriter(logdir, null, { maxQueue: 100 });
    const w2 = new tf.summary.FileWriter(logdir, undefined, { filenameSuffix: '.v' });
    expect(w1.path).not.toBe(w2.path);
    expect(w2.path.endsWith('.v')).toBe(true);
    w1.addSummary({ value: [{ tag: 'a', simpleValue: 1 }] }, 5);
    expect(readRecords(fs.readFileSync(w1.path))).toHaveLength(1); // queued, not yet written
    w1.flush();
    const events = readRecords(fs.readFileSync(w1.path)).map(decodeEvent);
    expect(events.map((e) => [e.step ?? 0, e.summary?.value[0]?.tag])).toEqual([
      [0, undefined],
      [5, 'a'],
    ]);
    w1.close();
    w2.close();
    // A corrupted record is caught by the reader's CRC check.
    const bytes = fs.readFileSync(w1.path);
    bytes[bytes.length - 6] = (bytes[bytes.length - 6] as number) ^ 4;
    expect(() => readRecords(bytes)).toThrow(/bad data CRC/);
  });
});
