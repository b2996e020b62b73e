/**
 * Regression tests for issue 13 (hostile graphs and inputs): each numbered defect of the issue, plus the
 * failures the fuzz suite (tests/fuzz) found. Every test here failed before its fix.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { setPassesEnabled } from '../../src/session/passes';
import { childCodeDir, childEnv } from '../io/fixtures/child_code';

beforeEach(() => tf.resetDefaultGraph());

const splitJSON = (numSplit: number): string =>
  JSON.stringify({
    format: 'tensorgraph-graph',
    version: 1,
    seed: null,
    nodes: [
      {
        name: 'x',
        op: 'Placeholder',
        inputs: [],
        controlInputs: [],
        device: '',
        attrs: { dtype: 'float32', shape: [null] },
        outputs: [{ dtype: 'float32', shape: [null] }],
      },
      {
        name: 'd',
        op: 'Const',
        inputs: [],
        controlInputs: [],
        device: '',
        attrs: {
          value: { $tensor: { dtype: 'int32', encoding: 'int32', shape: [], data: 'AAAAAA==' } },
          dtype: 'int32',
        },
        outputs: [{ dtype: 'int32', shape: [] }],
      },
      {
        name: 'sp',
        op: 'Split',
        inputs: ['d:0', 'x:0'],
        controlInputs: [],
        device: '',
        attrs: { num_split: numSplit },
        outputs: [
          { dtype: 'float32', shape: [null] },
          { dtype: 'float32', shape: [null] },
        ],
      },
    ],
    variables: [],
    collections: {},
  });

describe('1. Split with a huge num_split', () => {
  test('a 50M-way Split in imported JSON fails cleanly in a memory-capped child process', () => {
    // The library transpiled to plain JS (as the io process tests do): a child starts in a second.
    const code = childCodeDir();
    const script = `
      const tf = require(${JSON.stringify(path.join(code, 'src'))});
      try { tf.importGraphDef(process.argv[1], { graph: new tf.Graph() }); console.log('IMPORTED'); }
      catch (e) { console.log(e.name + ': ' + e.message.split('\\n')[0]); }`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--max-old-space-size=96', '-e', script, splitJSON(50_000_000)], {
      encoding: 'utf8',
      timeout: 60_000,
      env: childEnv(),
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /InvalidArgumentError: .*num_split: 50000000 exceeds the limit of 65536 outputs/,
    );
    expect(Date.now() - t0).toBeLessThan(30_000); // fast: refused before any output is built
  });

  test('tf.split(placeholder([null]), 2**31) is a clear error', () => {
    expect(() => tf.split(tf.placeholder('float32', [null]), 2 ** 31)).toThrow(
      /num_split 2147483648 exceeds the limit/,
    );
    expect(() => tf.unstack(tf.placeholder('float32', [null]), 10_000_000)).toThrow(/exceeds the limit/);
  });
});

describe('2. NDArray shape cannot change after creation', () => {
  test('the shape is a frozen copy; data and shape cannot be swapped', () => {
    const shape = [2, 2];
    const a = tf.ndarray(new Float32Array(4), shape);
    shape[0] = 4; // the caller's array is copied
    expect(a.shape).toEqual([2, 2]);
    expect(() => {
      (a.shape as number[])[0] = 4;
    }).toThrow(TypeError);
    expect(() => {
      (a as unknown as { data: Float32Array }).data = new Float32Array(1);
    }).toThrow(TypeError);
    expect(a.shape).toEqual([2, 2]);
    expect(a.data.length).toBe(4);
  });

  test('a WASM matmul never sees a too-short input', () => {
    const a = tf.ndarray(new Float32Array([1, 2, 3, 4]), [2, 2]);
    try {
      (a.shape as number[])[0] = 4;
    } catch {
      // frozen
    }
    const p = tf.placeholder('float32', [null, 2], 'p');
    const y = new tf.Session().run(tf.matmul(p, tf.ones([2, 2])), { 'p:0': a });
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.data)).toEqual([3, 3, 7, 7]);
  });

  test('invalid shapes and storage are library errors', () => {
    expect(() => new tf.NDArray(new Float32Array(3), [1.5, 2], 'float32')).toThrow(tf.InvalidArgumentError);
    expect(() => new tf.NDArray(new Float32Array(3), [-3], 'float32')).toThrow(tf.InvalidArgumentError);
    expect(() => new tf.NDArray(new Int32Array(3), [3], 'float32')).toThrow(/must be a Float32Array/);
    expect(() => tf.ndarray(new Float32Array(3), [2 ** 32 + 3])).toThrow(/int32 range/);
  });
});

describe('3. no int32 wraparound', () => {
  test('shapes, reshape targets and gather indices beyond int32 are errors, not wrapped', () => {
    expect(() => tf.ones([2 ** 32 + 3])).toThrow(/int32/);
    expect(() => tf.reshape(tf.placeholder('float32', [6]), [2 ** 32 + 2, 3])).toThrow(/int32/);
    expect(() => tf.gather(tf.constant([1, 2, 3]), [2 ** 32 + 1])).toThrow(/int32/);
    const i = tf.placeholder('int32', [null], 'i');
    expect(() =>
      new tf.Session().run(tf.gather(tf.constant([1, 2, 3]), i), { 'i:0': [2 ** 32 + 1] }),
    ).toThrow(/outside the int32 range/);
  });
});

describe('4. memory bounds before allocating', () => {
  test('an imported Fill of [40000, 40000] is refused at import (6.4 GB > 2 GiB default)', () => {
    const g = new tf.Graph();
    g.asDefault(() => tf.fill([40000, 40000], 1.5, 'f'));
    const json = JSON.stringify(g.toJSON());
    expect(() => tf.importGraphDef(json, { graph: new tf.Graph() })).toThrow(tf.ResourceExhaustedError);
    expect(() => tf.importGraphDef(json, { graph: new tf.Graph() })).toThrow(
      /OOM when allocating tensor with shape\[40000,40000\] and type float/,
    );
    const small = new tf.Graph();
    small.asDefault(() => tf.fill([100, 100], 1.5, 'f'));
    expect(() =>
      tf.importGraphDef(JSON.stringify(small.toJSON()), { graph: new tf.Graph(), maxTensorBytes: 1000 }),
    ).toThrow(/40000 bytes, more than the limit of 1000 bytes/);
  });

  test('run time: a Fill fed [40000, 40000] and oneHot with a 2**31-1 depth fail before allocating', () => {
    const dims = tf.placeholder('int32', [2], 'dims');
    const f = tf.fill(dims, 1.5);
    expect(() => new tf.Session().run(f, { 'dims:0': [40000, 40000] })).toThrow(tf.ResourceExhaustedError);
    const i = tf.placeholder('int32', [null], 'i');
    expect(() => new tf.Session().run(tf.oneHot(i, 2 ** 31 - 1), { 'i:0': [1, 2, 3] })).toThrow(
      /OOM when allocating tensor with shape\[3,2147483647\]/,
    );
    expect(() => tf.oneHot(i, 1e10)).toThrow(/int32/);
  });

  test('Session({ maxTensorBytes }) sets the bound', () => {
    const z = tf.zeros([100]);
    expect(() => new tf.Session({ maxTensorBytes: 399 }).run(z)).toThrow(
      /400 bytes, more than the limit of 399/,
    );
    expect(new tf.Session({ maxTensorBytes: 400 }).run(z).size).toBe(100);
    expect(() => new tf.Session({ maxTensorBytes: -1 })).toThrow(TypeError);
  });

  test('restore refuses a symlink to /dev/zero without reading it', () => {
    if (!fs.existsSync('/dev/zero')) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-h13-'));
    new tf.Variable(tf.constant([1, 2]), { name: 'v' });
    const sess = new tf.Session();
    sess.run(tf.globalVariablesInitializer());
    fs.symlinkSync('/dev/zero', path.join(dir, 'z.tgckpt'));
    expect(() => new tf.train.Saver().restore(sess, path.join(dir, 'z'))).toThrow(/not a regular file/);
  });
});

describe('5. compile is linear in chain length, no step limit', () => {
  test('a 20,000-op identity chain compiles and runs', () => {
    const x = tf.placeholder('float32', [1], 'x');
    let y = x;
    for (let i = 0; i < 20_000; i++) y = tf.identity(y);
    expect(new tf.Session().run(y, { 'x:0': [3] }).toArray()).toEqual([3]);
  });
});

describe('6. Saver paths', () => {
  let dir: string;
  let sess: tf.Session;
  let saver: tf.train.Saver;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-h13-'));
    new tf.Variable(tf.constant([1, 2]), { name: 'v' });
    sess = new tf.Session();
    sess.run(tf.globalVariablesInitializer());
    saver = new tf.train.Saver();
  });

  test("save(s, 'a/missing/../model') returns a prefix restore accepts", () => {
    const p = saver.save(sess, path.join(dir, 'a/missing/../model'));
    expect(p).toBe(path.join(dir, 'a/model'));
    expect(() => saver.restore(sess, p)).not.toThrow();
  });

  test("latestFilename '../x' is refused before anything is written", () => {
    expect(() => saver.save(sess, path.join(dir, 'b/model'), { latestFilename: '../x' })).toThrow(
      /latestFilename must be a plain file name/,
    );
    expect(fs.existsSync(path.join(dir, 'x'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'b/model.tgckpt'))).toBe(false);
    expect(() => tf.train.latestCheckpoint(dir, '../checkpoint')).toThrow(/plain file name/);
  });

  test('latestCheckpoint / getCheckpointState on a garbage index return null', () => {
    fs.writeFileSync(path.join(dir, 'checkpoint'), '\u0000\u0001 garbage');
    expect(tf.train.latestCheckpoint(dir)).toBeNull();
    expect(tf.train.getCheckpointState(dir)).toBeNull();
    fs.unlinkSync(path.join(dir, 'checkpoint'));
    fs.mkdirSync(path.join(dir, 'checkpoint'));
    expect(tf.train.latestCheckpoint(dir)).toBeNull();
  });

  test("getCheckpointState returns TF1's CheckpointState", () => {
    expect(tf.train.getCheckpointState(dir)).toBeNull();
    saver.save(sess, path.join(dir, 'model'), 1);
    saver.save(sess, path.join(dir, 'model'), 2);
    expect(tf.train.getCheckpointState(dir)).toEqual({
      modelCheckpointPath: path.join(dir, 'model-2'),
      allModelCheckpointPaths: [path.join(dir, 'model-1'), path.join(dir, 'model-2')],
    });
    saver.save(sess, path.join(dir, 'other'), { latestFilename: 'other_state' });
    expect(tf.train.getCheckpointState(dir, 'other_state')?.modelCheckpointPath).toBe(
      path.join(dir, 'other'),
    );
    expect(tf.train.getCheckpointState(dir, { latestFilename: 'other_state' })?.modelCheckpointPath).toBe(
      path.join(dir, 'other'),
    );
    expect(tf.train.getCheckpointState(dir)?.modelCheckpointPath).toBe(path.join(dir, 'model-2'));
  });
});

describe('7. clear library errors instead of raw TypeError/RangeError', () => {
  const isLibraryError = (f: () => unknown): void => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    const e = err as Error;
    expect(
      e instanceof tf.TensorGraphError || (e instanceof TypeError && /\w+\(\)|int32|shape/.test(e.message)),
    ).toBe(true);
    expect(e.message).not.toMatch(/Cannot read properties|Maximum call stack|is not a function|undefined/);
  };
  test.each([
    [
      'maxPool ksize null',
      () => tf.nn.maxPool(tf.placeholder('float32', [1, 4, 4, 1]), null as never, [1, 1, 1, 1], 'VALID'),
    ],
    [
      'maxPool ksize {}',
      () => tf.nn.maxPool(tf.placeholder('float32', [1, 4, 4, 1]), {} as never, [1, 1, 1, 1], 'VALID'),
    ],
    [
      'avgPool strides null',
      () => tf.nn.avgPool(tf.placeholder('float32', [1, 4, 4, 1]), [1, 2, 2, 1], null as never, 'VALID'),
    ],
    ['constant shape [-1]', () => tf.constant(1, 'float32', [-1])],
    ['ndarray float16', () => tf.ndarray(new Float32Array(3), [3], 'float16' as never)],
    ['a Tensor as axis', () => tf.reduceSum(tf.constant([1, 2]), tf.constant(0, 'int32') as never)],
    ['placeholder shape 1.5', () => tf.placeholder('float32', [1.5])],
    ['placeholder shape NaN', () => tf.placeholder('float32', [NaN])],
    ["placeholder shape '3'", () => tf.placeholder('float32', ['3' as never])],
    ['tile 1.5', () => tf.tile(tf.constant([1, 2]), [1.5])],
    ['oneHot depth 2.5', () => tf.oneHot(tf.constant([1], 'int32'), 2.5)],
    ['slice begin 0.5', () => tf.slice(tf.constant([1, 2, 3]), [0.5], [1])],
  ])('%s', (_name, f) => isLibraryError(f));

  test('argmax(x, null) takes axis 0 as TF1 (axis None means 0)', () => {
    const r = new tf.Session().run(
      tf.argmax(
        tf.constant([
          [1, 5],
          [7, 2],
        ]),
        null,
      ),
    );
    expect(Array.from(r.data)).toEqual([1, 0]);
  });

  test('cyclic and absurdly deep fetch structures', () => {
    const a: Record<string, unknown> = { x: tf.constant(1) };
    a.self = a;
    expect(() => new tf.Session().run(a as never)).toThrow(/contains itself/);
    let deep: unknown = tf.constant(1);
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(() => new tf.Session().run(deep as never)).toThrow(/nested more than 1000 levels/);
  });

  test('a 5,000-term formula is a clear error, not a stack overflow', () => {
    const x = tf.placeholder('float32', [2]);
    const f = Array.from({ length: 5000 }, () => 'x').join('+');
    expect(() => tf.elementwise(f, { x })).toThrow(/nested more than 400 levels/);
    expect(() => tf.elementwise('-'.repeat(5000) + 'x', { x })).toThrow(tf.InvalidArgumentError);
    expect(() => tf.elementwise('('.repeat(5000) + 'x' + ')'.repeat(5000), { x })).toThrow(
      tf.InvalidArgumentError,
    );
  });

  test('sess.plan() on a closed session errors', () => {
    const s = new tf.Session();
    const c = tf.constant(1);
    s.close();
    expect(() => s.plan(c)).toThrow(tf.FailedPreconditionError);
  });

  test('an imported 3-input MatMul is rejected', () => {
    const g = new tf.Graph();
    g.asDefault(() =>
      tf.matmul(tf.placeholder('float32', [2, 2], 'a'), tf.placeholder('float32', [2, 2], 'b'), {
        name: 'mm',
      }),
    );
    const json = g.toJSON();
    const mm = json.nodes.find((n) => n.name === 'mm') as { inputs: string[] };
    mm.inputs.push('a:0');
    expect(() => tf.importGraphDef(json, { graph: new tf.Graph() })).toThrow(/mm/);
  });
});

describe('8. fused kernels report the user op with TF1 wording', () => {
  test('a run-time broadcast mismatch inside a fused group gives the same error with fusion on and off', () => {
    const messages: string[] = [];
    for (const on of [true, false]) {
      setPassesEnabled(on);
      try {
        const g = new tf.Graph();
        g.asDefault(() => {
          const a = tf.placeholder('float32', [null], 'a');
          const b = tf.placeholder('float32', [null], 'b');
          const y = tf.exp(tf.add(tf.sin(a), b, 'myadd'));
          new tf.Session({ graph: g }).run(y, { 'a:0': [1, 2], 'b:0': [1, 2, 3] });
        });
      } catch (e) {
        messages.push((e as Error).message.split('defined at')[0] as string);
      } finally {
        setPassesEnabled(true);
      }
    }
    expect(messages).toHaveLength(2);
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).toMatch(/^Incompatible shapes: \[2\] vs\. \[3\]\n\t \[\[node myadd \(op: Add, $/);
  });
});
