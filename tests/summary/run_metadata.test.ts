// FileWriter.addRunMetadata (TF1's add_run_metadata(run_metadata, tag, global_step=None)), as
// mnist_with_summaries.py calls it every 100th step: an Event with a TaggedRunMetadata (field 8) holding
// the serialized RunMetadata's step stats.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import * as protobuf from 'protobufjs/light';

let dir: string;
beforeEach(() => {
  tf.resetDefaultGraph();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run_metadata-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('addRunMetadata writes a TaggedRunMetadata event with the traced ops, readable back', () => {
  const x = tf.placeholder(tf.float32, [2], 'x');
  const y = tf.multiply(x, 3, 'triple');
  const sess = new tf.Session();
  const meta = new tf.RunMetadata();
  sess.run(y, { x: [1, 2] }, new tf.RunOptions({ traceLevel: tf.RunOptions.FULL_TRACE }), meta);
  const traced = meta.stepStats.devStats.flatMap((d) => d.nodeStats.map((n) => n.nodeName));
  expect(traced).toContain('triple');
  const writer = new tf.summary.FileWriter(dir);
  writer.addRunMetadata(meta, 'step099', 99);
  writer.addRunMetadata(meta, 'no_step');
  // TF1: "The provided tag was already used for this event type".
  expect(() => writer.addRunMetadata(meta, 'step099')).toThrow(/already used/);
  expect(() => (writer.addRunMetadata as (...a: unknown[]) => void)({}, 't')).toThrow(/tf.RunMetadata/);
  writer.close();

  const events = tf.summary.readEvents(dir).filter((e) => e.taggedRunMetadata);
  expect(events.map((e) => [e.taggedRunMetadata?.tag, e.step])).toEqual([
    ['step099', 99],
    ['no_step', 0],
  ]);
  const decoded = tf.summary.decodeRunMetadata(events[0]?.taggedRunMetadata?.runMetadata as Uint8Array);
  expect(decoded.stepStats.devStats.map((d) => d.device)).toEqual(
    meta.stepStats.devStats.map((d) => d.device),
  );
  const node = decoded.stepStats.devStats.flatMap((d) => d.nodeStats).find((n) => n.nodeName === 'triple');
  const orig = meta.stepStats.devStats.flatMap((d) => d.nodeStats).find((n) => n.nodeName === 'triple');
  expect(node?.timelineLabel).toBe(orig?.timelineLabel);
  expect(node?.allStartMicros).toBe(Math.round(orig?.allStartMicros as number));

  // Wire format: Event field 8 (tagged_run_metadata) = { 1: tag, 2: RunMetadata bytes }; RunMetadata
  // field 1 (step_stats) → StepStats 1 (dev_stats) → DeviceStepStats 1 (device), 2 (node_stats).
  const fields = (bytes: Uint8Array): Map<number, Uint8Array> => {
    const r = protobuf.Reader.create(bytes);
    const out = new Map<number, Uint8Array>();
    while (r.pos < r.len) {
      const t = r.uint32();
      if ((t & 7) === 2) out.set(t >>> 3, r.bytes());
      else {
        out.set(t >>> 3, new Uint8Array(0));
        r.skipType(t & 7);
      }
    }
    return out;
  };
  const raw = new Uint8Array(fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0] as string)));
  const records: Uint8Array[] = [];
  for (let pos = 0; pos < raw.length;) {
    const len = new DataView(raw.buffer, raw.byteOffset + pos).getUint32(0, true);
    records.push(raw.subarray(pos + 12, pos + 12 + len));
    pos += 16 + len;
  }
  const tagged = records.map(fields).find((f) => f.has(8)) as Map<number, Uint8Array>;
  expect([...tagged.keys()]).toEqual([1, 2, 8]); // wall_time, step, tagged_run_metadata
  const trm = fields(tagged.get(8) as Uint8Array);
  expect(new TextDecoder().decode(trm.get(1))).toBe('step099');
  const stepStats = fields(fields(trm.get(2) as Uint8Array).get(1) as Uint8Array);
  const dev = fields(stepStats.get(1) as Uint8Array);
  expect(new TextDecoder().decode(dev.get(1))).toBe(meta.stepStats.devStats[0]?.device);
  expect(dev.has(2)).toBe(true);
  sess.close();
});
