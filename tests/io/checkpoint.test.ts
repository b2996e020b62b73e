import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { NDArray } from '../../src';
import { CHECKPOINT_SUFFIX, DataLossError, latestCheckpoint, Saver } from '../../src/io';
import { float64Session } from '../helpers/gradcheck';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-ckpt-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const dirFor = (name: string): string => fs.mkdtempSync(path.join(root, `${name}-`));

/** The raw bytes of an NDArray's data (so NaN payloads and -0 are compared too). */
const bits = (a: NDArray): Buffer => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
function expectSameBits(a: NDArray, b: NDArray, label = ''): void {
  expect([label, a.dtype, a.shape, a.data.constructor.name]).toEqual([
    label,
    b.dtype,
    b.shape,
    b.data.constructor.name,
  ]);
  expect(bits(a).equals(bits(b))).toBe(true);
}

/** A graph with float32 (special values included), int32 and bool variables. */
function specialGraph() {
  const graph = new tf.Graph();
  return graph.asDefault(() => {
    const f = new Float32Array([
      0,
      -0,
      NaN,
      Infinity,
      -Infinity,
      1 / 3,
      1e-45,
      -3.4028234663852886e38,
      7,
      8,
      9,
      10,
    ]);
    new Uint32Array(f.buffer)[2] = 0x7fc12345; // a NaN with a payload
    const W = tf.nameScope('layer1', () => new tf.Variable(tf.ndarray(f, [3, 4]), { name: 'W' }));
    const n = new tf.Variable(
      tf.ndarray(new Int32Array([2147483647, -2147483648, 0, -1, 42]), [5], 'int32'),
      { name: 'counts' },
    );
    const m = new tf.Variable(tf.ndarray(new Uint8Array([1, 0, 1]), [3], 'bool'), { name: 'mask' });
    const s = new tf.Variable(tf.constant(2.5), { name: 'scalar' });
    return { graph, vars: [W, n, m, s], init: tf.globalVariablesInitializer() };
  });
}

describe('Saver', () => {
  test('save → restore into a new session reproduces every variable bit for bit, with no initializer', () => {
    const { graph, vars, init } = specialGraph();
    const saver = graph.asDefault(() => new Saver());
    const s1 = new tf.Session({ graph });
    s1.run(init);
    const dir = dirFor('bits');
    const prefix = saver.save(s1, path.join(dir, 'model.ckpt'));
    expect(prefix).toBe(path.join(dir, 'model.ckpt'));
    expect(fs.existsSync(prefix + CHECKPOINT_SUFFIX)).toBe(true);
    const s2 = new tf.Session({ graph });
    expect(() => s2.run(vars[0] as tf.Variable)).toThrow(/Attempting to use uninitialized value layer1\/W/);
    saver.restore(s2, prefix);
    for (const v of vars) expectSameBits(s2.run(v), s1.run(v), v.name);
    expect(new Uint32Array((s2.run(vars[0] as tf.Variable).data as Float32Array).buffer)[2]).toBe(0x7fc12345);
    // The .tgckpt file itself is accepted too; a float64-mode session round-trips its float64 storage.
    const s3 = float64Session(graph);
    s3.run(init);
    const p64 = saver.save(s3, path.join(dir, 'wide'));
    const s4 = float64Session(graph);
    saver.restore(s4, p64 + CHECKPOINT_SUFFIX);
    for (const v of vars) expectSameBits(s4.run(v), s3.run(v), v.name);
  });

  test('training continues identically after a restore', () => {
    const build = () => {
      const graph = new tf.Graph();
      return graph.asDefault(() => {
        tf.setRandomSeed(3);
        const x = tf.placeholder('float32', [null, 3], 'x');
        const y = tf.placeholder('float32', [null, 1], 'y');
        const W = new tf.Variable(tf.randomNormal([3, 4], { stddev: 0.5 }), { name: 'W' });
        const V = new tf.Variable(tf.randomNormal([4, 1], { stddev: 0.5 }), { name: 'V' });
        const out = tf.matmul(tf.tanh(tf.matmul(x, W)), V);
        const loss = tf.reduceMean(tf.square(tf.subtract(out, y)));
        const step = tf.train.getOrCreateGlobalStep();
        const train = new tf.train.AdamOptimizer(0.05).minimize(loss, { globalStep: step });
        return { graph, train, init: tf.globalVariablesInitializer(), saver: new Saver(), step };
      });
    };
    const feeds = {
      'x:0': [
        [1, 2, 3],
        [-1, 0.5, 2],
        [0, 0, 1],
      ],
      'y:0': [[1], [0], [-1]],
    };
    const a = build();
    const s1 = new tf.Session({ graph: a.graph });
    s1.run(a.init);
    for (let i = 0; i < 4; i++) s1.run(a.train, feeds);
    const dir = dirFor('train');
    const prefix = a.saver.save(s1, path.join(dir, 'model'), { globalStep: a.step });
    expect(prefix).toBe(path.join(dir, 'model-4'));
    // A fresh graph built by the same code stands in for another process.
    const b = build();
    const s2 = new tf.Session({ graph: b.graph });
    b.saver.restore(s2, latestCheckpoint(dir) as string);
    for (let i = 0; i < 5; i++) {
      s1.run(a.train, feeds);
      s2.run(b.train, feeds);
    }
    const names = tf.globalVariables(a.graph).map((v) => v.name);
    expect(names).toEqual(
      expect.arrayContaining(['W:0', 'V:0', 'global_step:0', 'W/Adam:0', 'beta1_power:0']),
    );
    for (const n of names) expectSameBits(s2.run(n) as NDArray, s1.run(n) as NDArray, n);
  });

  test('maxToKeep, the checkpoint index file and latestCheckpoint', () => {
    const { graph, init } = specialGraph();
    const sess = new tf.Session({ graph });
    sess.run(init);
    const dir = dirFor('keep');
    expect(latestCheckpoint(dir)).toBeNull();
    const saver = graph.asDefault(() => new Saver({ maxToKeep: 2 }));
    for (let step = 1; step <= 5; step++)
      saver.save(sess, path.join(dir, 'model.ckpt'), { globalStep: step * 10 });
    expect(fs.readdirSync(dir).sort()).toEqual([
      'checkpoint',
      'model.ckpt-40.tgckpt',
      'model.ckpt-50.tgckpt',
    ]);
    expect(fs.readFileSync(path.join(dir, 'checkpoint'), 'utf8')).toBe(
      'model_checkpoint_path: "model.ckpt-50"\nall_model_checkpoint_paths: "model.ckpt-40"\nall_model_checkpoint_paths: "model.ckpt-50"\n',
    );
    expect(latestCheckpoint(dir)).toBe(path.join(dir, 'model.ckpt-50'));
    expect(saver.lastCheckpoints).toEqual([path.join(dir, 'model.ckpt-40'), path.join(dir, 'model.ckpt-50')]);
    // Saving the same step again moves it to the end rather than duplicating it.
    saver.save(sess, path.join(dir, 'model.ckpt'), { globalStep: 40 });
    expect(latestCheckpoint(dir)).toBe(path.join(dir, 'model.ckpt-40'));
    // A new Saver (as in a restarted process) continues the retention recorded in the index.
    const later = graph.asDefault(() => new Saver({ maxToKeep: 2 }));
    later.save(sess, path.join(dir, 'model.ckpt'), { globalStep: 60 });
    expect(fs.readdirSync(dir).sort()).toEqual([
      'checkpoint',
      'model.ckpt-40.tgckpt',
      'model.ckpt-60.tgckpt',
    ]);
    // maxToKeep 0 keeps everything; the index may be named differently.
    const all = graph.asDefault(() => new Saver({ maxToKeep: 0 }));
    const dir2 = dirFor('all');
    for (let step = 0; step < 7; step++)
      all.save(sess, path.join(dir2, 'm'), { globalStep: step, latestFilename: 'latest' });
    expect(fs.readdirSync(dir2).filter((f) => f.endsWith(CHECKPOINT_SUFFIX))).toHaveLength(7);
    expect(latestCheckpoint(dir2)).toBeNull();
    expect(latestCheckpoint(dir2, 'latest')).toBe(path.join(dir2, 'm-6'));
    // The index pointing at a deleted checkpoint gives null, as in TF1.
    fs.unlinkSync(path.join(dir2, `m-6${CHECKPOINT_SUFFIX}`));
    expect(latestCheckpoint(dir2, 'latest')).toBeNull();
  });

  test('restore reports missing, unexpected and mis-shaped variables by name and changes nothing', () => {
    const dir = dirFor('mismatch');
    const src = new tf.Graph();
    const prefix = src.asDefault(() => {
      const vars = [
        new tf.Variable(tf.zeros([3, 2]), { name: 'W' }),
        new tf.Variable(tf.ones([2]), { name: 'b' }),
        new tf.Variable(tf.ones([4]), { name: 'extra' }),
        new tf.Variable(tf.ones([2], 'int32'), { name: 'k' }),
      ];
      const sess = new tf.Session({ graph: src });
      sess.run(tf.globalVariablesInitializer());
      return new Saver({ varList: vars }).save(sess, path.join(dir, 'model'));
    });
    const dst = new tf.Graph();
    const { W, b, k, c, saver } = dst.asDefault(() => ({
      W: new tf.Variable(tf.constant(5, 'float32', [2, 3]), { name: 'W' }),
      b: new tf.Variable(tf.constant(5, 'float32', [2]), { name: 'b' }),
      k: new tf.Variable(tf.constant(5, 'float32', [2]), { name: 'k' }),
      c: new tf.Variable(tf.constant(5, 'float32', [1]), { name: 'c' }),
      saver: new Saver(),
    }));
    const sess = new tf.Session({ graph: dst });
    sess.run([W.initializer, b.initializer, k.initializer]);
    let message = '';
    try {
      saver.restore(sess, prefix);
    } catch (e) {
      message = (e as Error).message;
      expect(e).toBeInstanceOf(tf.InvalidArgumentError);
    }
    expect(message).toMatch(/no variable was changed/);
    expect(message).toMatch(
      /Variable W has shape \[2,3\] and dtype float32, but the checkpoint's W has shape \[3,2\]/,
    );
    expect(message).toMatch(
      /Variable k has shape \[2\] and dtype float32, but the checkpoint's k has shape \[2\] and dtype int32/,
    );
    expect(message).toMatch(/Key c not found in checkpoint/);
    expect(message).toMatch(/Unexpected key extra in checkpoint/);
    expect(message).not.toMatch(/\bb\b has shape/);
    // Nothing changed: b keeps 5 although its checkpoint value was fine; c is still uninitialized.
    expect(Array.from(sess.run(b).data)).toEqual([5, 5]);
    expect(Array.from(sess.run(W).data)).toEqual([5, 5, 5, 5, 5, 5]);
    expect(() => sess.run(c)).toThrow(/uninitialized value c/);

    // Missing and unexpected keys alone are a NotFoundError; a subset restore can allow extra keys.
    const sub = dst.asDefault(() => new Saver({ varList: [b, c] }));
    expect(() => sub.restore(sess, prefix)).toThrow(tf.NotFoundError);
    const onlyB = dst.asDefault(() => new Saver({ varList: [b] }));
    expect(() => onlyB.restore(sess, prefix)).toThrow(/Unexpected key W.*\n.*Unexpected key extra/);
    onlyB.restore(sess, prefix, { allowUnexpected: true });
    expect(Array.from(sess.run(b).data)).toEqual([1, 1]);
    // A dict varList maps checkpoint keys to differently named variables.
    const renamed = dst.asDefault(
      () =>
        new Saver({ varList: { extra: tf.globalVariables().find((v) => v.opName === 'c') as tf.Variable } }),
    );
    expect(() => renamed.restore(sess, prefix, { allowUnexpected: true })).toThrow(
      /checkpoint's extra has shape \[4\]/,
    );
  });

  test('a truncated or bit-flipped checkpoint is rejected with a clear error and the session is unchanged', () => {
    const { graph, vars, init } = specialGraph();
    const saver = graph.asDefault(() => new Saver());
    const sess = new tf.Session({ graph });
    sess.run(init);
    const dir = dirFor('corrupt');
    const prefix = saver.save(sess, path.join(dir, 'model'));
    const good = fs.readFileSync(prefix + CHECKPOINT_SUFFIX);
    // The restoring session holds other values, which must survive every failed restore.
    const target = new tf.Session({ graph });
    target.run(init);
    target.run(
      graph.asDefault(() =>
        tf.group(
          vars.map((v) =>
            v.assign(
              v.dtype === 'bool' ? tf.logicalNot(v) : tf.add(v, tf.ones(v.shape as number[], v.dtype)),
            ),
          ),
        ),
      ),
    );
    const before = vars.map((v) => target.run(v));
    const bad = path.join(dir, `bad${CHECKPOINT_SUFFIX}`);
    const expectRejected = (bytes: Uint8Array, pattern: RegExp): void => {
      fs.writeFileSync(bad, bytes);
      expect(() => saver.restore(target, bad)).toThrow(pattern);
    };
    for (const n of [0, 7, 20, 40, good.length >> 1, good.length - 5, good.length - 1]) {
      expectRejected(good.subarray(0, n), /corrupt or truncated/);
    }
    expectRejected(Buffer.concat([good, Buffer.from([0])]), /expected \d+ bytes/);
    let kinds = new Set<string>();
    for (let i = 0; i < good.length; i++) {
      const flipped = Buffer.from(good);
      flipped[i] = (flipped[i] as number) ^ (1 << (i % 8));
      fs.writeFileSync(bad, flipped);
      try {
        saver.restore(target, bad);
        throw new Error(`flipping a bit of byte ${i} was not detected`);
      } catch (e) {
        expect(e).toBeInstanceOf(DataLossError);
        kinds = kinds.add((e as Error).message.replace(/^.*?: /, '').replace(/\d+/g, 'N'));
      }
    }
    expect(kinds.size).toBeGreaterThan(2); // magic, version, header, file checksum, …
    vars.forEach((v, i) => expectSameBits(target.run(v), before[i] as NDArray, v.name));
    expect(() => saver.restore(target, path.join(dir, 'nope'))).toThrow(
      /failed to find any matching files for .*nope/,
    );
    saver.restore(target, prefix);
    vars.forEach((v) => expectSameBits(target.run(v), sess.run(v), v.name));
  });

  test('a save that fails midway keeps the previous checkpoint and leaves no temp file', () => {
    const { graph, init } = specialGraph();
    const saver = graph.asDefault(() => new Saver());
    const sess = new tf.Session({ graph });
    sess.run(init);
    const dir = dirFor('fail');
    saver.save(sess, path.join(dir, 'model'), { globalStep: 1 });
    const index = fs.readFileSync(path.join(dir, 'checkpoint'), 'utf8');
    fs.mkdirSync(path.join(dir, `model-2${CHECKPOINT_SUFFIX}`)); // the final rename cannot replace a directory
    expect(() => saver.save(sess, path.join(dir, 'model'), { globalStep: 2 })).toThrow();
    expect(fs.readFileSync(path.join(dir, 'checkpoint'), 'utf8')).toBe(index);
    expect(fs.readdirSync(dir).sort()).toEqual([
      'checkpoint',
      `model-1${CHECKPOINT_SUFFIX}`,
      `model-2${CHECKPOINT_SUFFIX}`,
    ]);
    const fresh = new tf.Session({ graph });
    saver.restore(fresh, latestCheckpoint(dir) as string);
    // Temp files of a killed writer (a pid that is not running) are cleaned up by the next save.
    fs.writeFileSync(path.join(dir, `.model-3${CHECKPOINT_SUFFIX}.tmp-999999999-0123abcd`), 'partial');
    saver.save(sess, path.join(dir, 'model'), { globalStep: 3 });
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  test('graph checks: restore works after finalize; wrong session, empty and duplicate var lists are errors', () => {
    const { graph, vars, init } = specialGraph();
    const saver = graph.asDefault(() => new Saver({ varList: vars }));
    graph.finalize();
    const sess = new tf.Session({ graph });
    sess.run(init);
    const dir = dirFor('checks');
    const p = saver.save(sess, path.join(dir, 'm'));
    saver.restore(new tf.Session({ graph }), p);
    expect(() => saver.save(new tf.Session({ graph: new tf.Graph() }), p)).toThrow(
      /not the graph of this Saver/,
    );
    expect(() => new Saver({ varList: [] })).toThrow(/No variables to save/);
    expect(() => new Saver({ varList: [vars[0] as tf.Variable, vars[0] as tf.Variable] })).toThrow(
      /in varList twice/,
    );
    const g = new tf.Graph();
    expect(() => g.asDefault(() => new Saver({ varList: [tf.constant(1)] }))).toThrow(/is not a variable/);
    expect(() => saver.save(sess, path.join(dir, 'm'), { globalStep: 1.5 })).toThrow(
      /argument 'globalStep' must be an integer/,
    );
    // The default varList is the global variables; uninitialized ones are reported when saving.
    const g2 = new tf.Graph();
    const s2 = g2.asDefault(() => {
      new tf.Variable(1, { name: 'u' });
      return new Saver();
    });
    expect(() => s2.save(new tf.Session({ graph: g2 }), path.join(dir, 'u'))).toThrow(
      /uninitialized value u/,
    );
  });
});
