import * as tf from '../../src';

/** TF1 run semantics (SPEC §4): fetch structures, feed forms, pruning, once-per-run, errors. */
let g: tf.Graph;
beforeEach(() => {
  g = new tf.Graph();
});
const inGraph = <T>(fn: () => T): T => g.asDefault(fn);

describe('fetches', () => {
  test('a tensor, a variable, an op, names, and nested arrays/objects keep their structure', () => {
    inGraph(() => {
      const a = tf.constant([1, 2, 3], 'float32', undefined, 'a');
      const v = new tf.Variable([[1, 2]], { name: 'v' });
      const b = tf.multiply(a, 2, 'b');
      const sess = new tf.Session();
      expect(sess.run(v.initializer)).toBeNull();
      const r = sess.run({ x: [a, 'b:0'], y: { v, op: 'v/Assign' }, n: 'b' });
      expect(r.x[0].toArray()).toEqual([1, 2, 3]);
      expect((r.x[1] as tf.NDArray).toArray()).toEqual([2, 4, 6]);
      expect(r.y.v.toArray()).toEqual([[1, 2]]);
      expect(r.y.op).toBeNull();
      expect(r.n).toBeNull();
      expect(b.name).toBe('b:0');
    });
  });

  test('a tensor fetched twice is computed once; a stateful op runs once per run', () => {
    inGraph(() => {
      const counter = new tf.Variable(0, { name: 'counter' });
      const inc = counter.assignAdd(1);
      const sess = new tf.Session();
      sess.run(tf.globalVariablesInitializer());
      const [x, y] = sess.run([inc, inc]);
      expect(x.item()).toBe(1);
      expect(y.item()).toBe(1);
      expect(sess.run(counter).item()).toBe(1);
    });
  });

  test('a fetched variable value is a copy: mutating it does not change the session state', () => {
    inGraph(() => {
      const v = new tf.Variable([1, 2]);
      const sess = new tf.Session();
      sess.run(v.initializer);
      const got = sess.run(v);
      got.data[0] = 99;
      const view = sess.run(tf.reshape(v, [2, 1]));
      view.data[1] = 77;
      expect(sess.run(v).toArray()).toEqual([1, 2]);
    });
  });
});

describe('feeds', () => {
  test('Map, array of pairs, object keyed by name or bare op name, NDArray values', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 2], 'x');
      const y = tf.matmul(x, tf.constant([[1], [1]]));
      const sess = new tf.Session();
      const forms: tf.FeedDict[] = [
        new Map([[x, [[1, 2]]]]),
        [[x, [[1, 2]]]],
        { 'x:0': [[1, 2]] },
        { x: [[1, 2]] },
        { x: tf.ndarray(new Float32Array([1, 2]), [1, 2]) },
      ];
      for (const f of forms) expect(sess.run(y, f).toArray()).toEqual([[3]]);
    });
  });

  test('feeds cut the graph: feeding an intermediate needs no placeholder', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2], 'x');
      const h = tf.multiply(x, 10, 'h');
      const y = tf.add(h, 1, 'y');
      const sess = new tf.Session();
      expect(sess.run(y, { h: [1, 2] }).toArray()).toEqual([2, 3]);
      const plan = sess.plan(y, { h: [1, 2] }).toString();
      expect(plan).not.toContain("'x'");
      expect(plan).not.toContain("Mul 'h'");
    });
  });

  test('a tensor that is fed and fetched returns the fed value', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2], 'x');
      const h = tf.multiply(x, 10, 'h');
      const sess = new tf.Session();
      expect(sess.run(h, { x: [1, 2], h: [7, 8] }).toArray()).toEqual([7, 8]);
    });
  });

  test('feed values are validated (dtype, rank, known dims) before anything runs', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 784], 'x');
      const v = new tf.Variable(5, { name: 'v' });
      const bump = v.assignAdd(1);
      const sess = new tf.Session();
      sess.run(v.initializer);
      expect(() => sess.run([bump, x], { x: tf.ndarray(new Float32Array(100 * 785), [100, 785]) })).toThrow(
        "Cannot feed value of shape [100,785] for Tensor 'x:0', which has shape [?,784]",
      );
      expect(sess.run(v).item()).toBe(5);
      const i = tf.placeholder('int32', [2], 'i');
      expect(() => sess.run(i, { i: [1.5, 2] })).toThrow(/non-integer/);
    });
  });
});

describe('variables', () => {
  test('values persist across runs and belong to the session', () => {
    inGraph(() => {
      const v = new tf.Variable([1, 2], { name: 'v' });
      const step = v.assign(tf.multiply(v, 2));
      const s1 = new tf.Session();
      const s2 = new tf.Session();
      s1.run(tf.globalVariablesInitializer());
      s2.run(tf.globalVariablesInitializer());
      s1.run(step);
      s1.run(step);
      expect(s1.run(v).toArray()).toEqual([4, 8]);
      expect(s2.run(v).toArray()).toEqual([1, 2]);
    });
  });

  test('a failed run changes no variable', () => {
    inGraph(() => {
      const v = new tf.Variable([1, 2], { name: 'v' });
      const x = tf.placeholder('float32', null, 'x');
      const upd = v.assign([5, 6]);
      const bad = tf.add(x, tf.constant([[1, 2, 3]]));
      const later = tf.controlDependencies([upd], () => tf.identity(bad));
      const sess = new tf.Session();
      sess.run(v.initializer);
      expect(() => sess.run(later, { x: [[1, 2]] })).toThrow(/Incompatible shapes: \[1,2\] vs\. \[1,3\]/);
      expect(sess.run(v).toArray()).toEqual([1, 2]);
    });
  });

  test('initializers, collections, names', () => {
    inGraph(() => {
      const W = new tf.Variable(tf.zeros([3, 2]), { name: 'W' });
      const c = new tf.Variable(1, { name: 'c', trainable: false });
      expect(W.name).toBe('W:0');
      expect(W.initializer.name).toBe('W/Assign');
      expect(W.value().name).toBe('W/read:0');
      expect(W.shape).toEqual([3, 2]);
      expect(tf.globalVariables()).toEqual([W, c]);
      expect(tf.trainableVariables()).toEqual([W]);
      expect(tf.globalVariablesInitializer().name).toBe('init');
      expect(g.getTensorByName('W:0')).toBe(W);
    });
  });
});

describe('errors', () => {
  test('missing feed names every unfed placeholder with dtype, shape and creation site', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 784], 'x');
      const y = tf.placeholder('int32', [null], 'y');
      const z = tf.add(tf.matmul(x, tf.constant(0, 'float32', [784, 1])), tf.cast(y, 'float32'));
      const sess = new tf.Session();
      let msg = '';
      try {
        sess.run(z);
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toContain(
        "You must feed a value for placeholder tensor 'x' with dtype float32 and shape [?,784]",
      );
      expect(msg).toContain(
        "You must feed a value for placeholder tensor 'y' with dtype int32 and shape [?]",
      );
      expect(msg).toMatch(/session\.test\.ts:\d+/);
    });
  });

  test('uninitialized variables are all listed', () => {
    inGraph(() => {
      const W = new tf.Variable(tf.zeros([2, 2]), { name: 'W' });
      const b = new tf.Variable(tf.zeros([2]), { name: 'b' });
      const sess = new tf.Session();
      expect(() => sess.run(tf.add(W, b))).toThrow(
        /Attempting to use uninitialized value W[\s\S]*Attempting to use uninitialized value b/,
      );
    });
  });

  test('closed session', () => {
    inGraph(() => {
      const sess = new tf.Session();
      sess.close();
      expect(() => sess.run(tf.constant(1))).toThrow('Attempted to use a closed Session.');
    });
  });

  test('run-time broadcast mismatch names the node and where it was created', () => {
    inGraph(() => {
      const a = tf.placeholder('float32', [null, 10], 'a');
      const b = tf.placeholder('float32', [null, 10], 'b');
      const c = tf.add(a, b);
      const sess = new tf.Session();
      const feeds = {
        a: tf.ndarray(new Float32Array(1000), [100, 10]),
        b: tf.ndarray(new Float32Array(500), [50, 10]),
      };
      expect(() => sess.run(c, feeds)).toThrow(
        /Incompatible shapes: \[100,10\] vs\. \[50,10\][\s\S]*node add[\s\S]*session\.test\.ts:\d+/,
      );
    });
  });

  test('build-time shape errors use TF1 wording with the op name and input shapes', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 256]);
      tf.matmul(x, tf.zeros([256, 128]));
      expect(() => tf.matmul(x, tf.zeros([128, 10]))).toThrow(
        "Dimensions must be equal, but are 256 and 128 for 'MatMul_1' (op: 'MatMul') with input shapes: [?,256], [128,10].",
      );
    });
  });
});

describe('session lifecycle', () => {
  test('plans are cached per (fetches, feeds)', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2], 'x');
      const y = tf.square(x);
      const sess = new tf.Session();
      expect(sess.plan(y, { x: [1, 2] })).toBe(sess.plan(y, { x: [3, 4] }));
      expect(sess.plan([y], { x: [1, 2] })).toBe(sess.plan(y, { x: [1, 2] }));
    });
  });

  test('runAsync resolves to the same result', async () => {
    const y = inGraph(() => tf.multiply(tf.constant([1, 2]), 3));
    const sess = new tf.Session({ graph: g });
    await expect(sess.runAsync(y).then((r) => r.toArray())).resolves.toEqual([3, 6]);
  });

  test('the graph stays usable after a run; finalize() forbids new ops', () => {
    inGraph(() => {
      const a = tf.constant(2);
      const sess = new tf.Session();
      expect(sess.run(a).item()).toBe(2);
      const b = tf.multiply(a, 3);
      expect(sess.run(b).item()).toBe(6);
      g.finalize();
      expect(() => tf.add(a, 1)).toThrow(/Graph is finalized/);
    });
  });

  test('a graph growing by thousands of ops between runs logs one warning', () => {
    inGraph(() => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const sess = new tf.Session();
      let t = tf.constant(0);
      for (let step = 0; step < 3; step++) {
        for (let i = 0; i < 2100; i++) t = tf.add(t, 1);
        sess.run(t);
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/grew by \d+ ops/);
      warn.mockRestore();
    });
  });
});

describe('TF1 feed and call forms of classic programs', () => {
  test("sess.run({ fetches, feedDict }): TF1's all-keyword call", () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2], 'x');
      const y = tf.multiply(x, 3);
      const sess = new tf.Session({ graph: g });
      const [a, b] = sess.run({
        fetches: [x, y],
        feedDict: { x: [1, 2] },
      } as never) as unknown as tf.NDArray[];
      expect(Array.from((a as tf.NDArray).data)).toEqual([1, 2]);
      expect(Array.from((b as tf.NDArray).data)).toEqual([3, 6]);
      // A fetch dict whose keys are not run's parameter names keeps its structure.
      const d = sess.run({ out: y }, { x: [1, 1] });
      expect(Array.from(d.out.data)).toEqual([3, 3]);
    });
  });

  test('nested feed keys: a tuple or an LSTMStateTuple of placeholders takes a value of the same structure', () => {
    inGraph(() => {
      const c = tf.placeholder('float32', [1, 2], 'c');
      const h = tf.placeholder('float32', [1, 2], 'h');
      const state = new tf.nn.rnnCell.LSTMStateTuple(c, h);
      const out = tf.subtract(c, h);
      const sess = new tf.Session({ graph: g });
      const fromObject = sess.run(
        out,
        new Map<unknown, unknown>([[state, { c: [[5, 6]], h: [[1, 2]] }]]) as never,
      );
      expect(Array.from(fromObject.data)).toEqual([4, 4]);
      const fromList = sess.run(
        out,
        new Map<unknown, unknown>([
          [
            [c, h],
            [[[1, 1]], [[0, 2]]],
          ],
        ]) as never,
      );
      expect(Array.from(fromList.data)).toEqual([1, -1]);
      expect(() => sess.run(out, new Map<unknown, unknown>([[[c, h], [[[1, 1]]]]]) as never)).toThrow(
        /same structure \(a list of 2\), got a list of 1/,
      );
      expect(() => sess.run(out, new Map<unknown, unknown>([[state, { c: [[1, 1]] }]]) as never)).toThrow(
        /structure of tensors \(c, h\)/,
      );
    });
  });

  test('a float32 array of integers feeds an int32 placeholder (np.asarray); a fraction is an error', () => {
    inGraph(() => {
      const k = tf.placeholder('int32', [3], 'k');
      const y = tf.add(k, 1);
      const sess = new tf.Session({ graph: g });
      const ones = tf.ndarray(Float32Array.from([1, 1, 2]), [3], 'float32');
      const out = sess.run(y, new Map([[k, ones]]));
      expect(out.dtype).toBe('int32');
      expect(Array.from(out.data)).toEqual([2, 2, 3]);
      const half = tf.ndarray(Float32Array.from([1, 0.5, 2]), [3], 'float32');
      expect(() => sess.run(y, new Map([[k, half]]))).toThrow(/element 0.5 is not an int32 integer/);
    });
  });
});

test('a fetched LSTMStateTuple comes back as an LSTMStateTuple of arrays (state.c, state[1])', () => {
  inGraph(() => {
    const c = tf.constant([[1, 2]]);
    const h = tf.constant([[3, 4]]);
    const sess = new tf.Session({ graph: g });
    const state = sess.run(new tf.nn.rnnCell.LSTMStateTuple(c, h) as never) as unknown as {
      c: tf.NDArray;
      h: tf.NDArray;
      1: tf.NDArray;
    };
    expect(state).toBeInstanceOf(tf.nn.rnnCell.LSTMStateTuple);
    expect(Array.from(state.c.data)).toEqual([1, 2]);
    expect(Array.from(state[1].data)).toEqual([3, 4]);
    // Plain objects stay plain.
    expect(Object.getPrototypeOf(sess.run({ c }))).toBe(Object.prototype);
  });
});
