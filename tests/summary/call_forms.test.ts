import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';

/** tf.summary call forms: TF1 signatures, positional and keyword (SPEC §2, §7). */
describe('tf.summary call forms', () => {
  beforeEach(() => tf.resetDefaultGraph());

  test('FileWriter: positional graph and { graph } both write the graph', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-fw-'));
    tf.constant(1, null, null, 'c');
    const g = tf.getDefaultGraph();
    const a = new tf.summary.FileWriter(path.join(dir, 'a'), g);
    const b = new tf.summary.FileWriter(path.join(dir, 'b'), { graph: g, flushSecs: 5 });
    const c = new tf.summary.FileWriter(path.join(dir, 'c'), g, 3, 60, null, '.x');
    for (const w of [a, b, c]) w.close();
    const sizeA = fs.statSync(a.path).size;
    expect(fs.statSync(b.path).size).toBe(sizeA);
    expect(sizeA).toBeGreaterThan(100);
    expect(c.path.endsWith('.x')).toBe(true);
  });

  test('FileWriter: unknown keys, wrong types and unsupported arguments are TypeErrors', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-fw-'));
    const FW = tf.summary.FileWriter as unknown as new (...a: unknown[]) => tf.summary.FileWriter;
    expect(() => new FW(dir, { grpah: null })).toThrow(/unexpected keyword argument 'grpah'/);
    expect(() => new FW(dir, { graph: 3 })).toThrow(/argument 'graph'/);
    expect(() => new FW(dir, null, -1)).toThrow(/argument 'maxQueue'/);
    expect(() => new FW(dir, { graphDef: {} })).toThrow(/graphDef is not supported/);
    expect(() => new FW(dir, { session: {} })).toThrow(/session .* is not supported/);
    expect(fs.readdirSync(dir)).toEqual([]); // nothing written by a rejected call
  });

  test('scalar / histogram / merge / mergeAll with TF1 positional and keyword forms', () => {
    const x = tf.constant(2);
    const s1 = tf.summary.scalar('loss', x, null, 'train');
    expect(s1.op.name).toBe('train/loss');
    const s2 = tf.summary.scalar('acc', x, { collections: ['mine'] });
    const h = tf.summary.histogram('w', [1, 2, 3], ['mine']);
    expect(tf.getDefaultGraph().getCollection('mine')).toEqual([s2, h]);
    const m = tf.summary.merge([s2, h], null, 'm');
    expect(m.op.name).toBe('m/m');
    expect((tf.summary.mergeAll('mine') as tf.Tensor).op.inputs).toEqual([s2, h]);
    expect(tf.summary.mergeAll({ key: 'summaries', scope: 'train' })?.op.inputs).toEqual([s1]);
    expect(tf.summary.mergeAll('nothing')).toBeNull();
    const sc = tf.summary.scalar as (...a: unknown[]) => unknown;
    expect(() => sc('x', x, { familly: 'f' })).toThrow(/unexpected keyword argument 'familly'/);
    expect(() => sc('x', x, 'notalist')).toThrow(TypeError);
    expect(() => (tf.summary.mergeAll as (...a: unknown[]) => unknown)(5)).toThrow(/argument 'key'/);
  });
});
