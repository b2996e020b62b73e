import * as tf from '../../src';

/** TF1's default session: InteractiveSession, sess.asDefault, Tensor.eval, Operation.run (SPEC §4). */
describe('default session', () => {
  beforeEach(() => tf.resetDefaultGraph());

  test('no default session: eval and run fail with TF1 wording', () => {
    expect(tf.getDefaultSession()).toBeNull();
    const c = tf.constant(2);
    expect(() => c.eval()).toThrow(
      'Cannot evaluate tensor using `eval()`: No default session is registered. Use `with sess.as_default()` or pass an explicit session to `eval(session=sess)`',
    );
    expect(() => tf.noOp().run()).toThrow(
      'Cannot execute operation using `run()`: No default session is registered.',
    );
  });

  test('InteractiveSession installs itself; close unregisters it', () => {
    const x = tf.placeholder('float32', [null, 2], 'x');
    const y = tf.reduceSum(tf.multiply(x, 3), 1);
    const sess = new tf.InteractiveSession();
    try {
      expect(tf.getDefaultSession()).toBe(sess);
      expect(tf.add(1, 2).eval().item()).toBe(3);
      expect(y.eval({ 'x:0': [[1, 2]] }).toArray()).toEqual([9]);
      expect(y.eval(new Map([[x, [[1, 1]]]])).toArray()).toEqual([6]);
      expect(y.eval([[x, [[2, 2]]]]).toArray()).toEqual([12]);
    } finally {
      sess.close();
    }
    expect(tf.getDefaultSession()).toBeNull();
    expect(() => y.eval({ 'x:0': [[1, 2]] })).toThrow('No default session is registered');
  });

  test('Operation.run and Variable.eval with the default session', () => {
    const v = new tf.Variable(5, { name: 'v' });
    const inc = v.assignAdd(1);
    const sess = new tf.InteractiveSession();
    try {
      tf.globalVariablesInitializer().run();
      inc.op.run();
      inc.op.run(null, sess);
      expect(v.eval().item()).toBe(7);
      expect(v.eval(sess).item()).toBe(7); // TF1 Variable.eval(session)
    } finally {
      sess.close();
    }
  });

  test('asDefault nests and restores the previous default, also when fn throws', () => {
    const a = new tf.Session();
    const b = new tf.Session();
    const c = tf.constant(1);
    expect(a.asDefault(() => c.eval().item())).toBe(1);
    a.asDefault(() => {
      expect(tf.getDefaultSession()).toBe(a);
      b.asDefault(() => expect(tf.getDefaultSession()).toBe(b));
      expect(tf.getDefaultSession()).toBe(a);
      expect(() =>
        b.asDefault(() => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(tf.getDefaultSession()).toBe(a);
    });
    expect(tf.getDefaultSession()).toBeNull();
    expect(() => (a.asDefault as (f: unknown) => unknown)(5)).toThrow(TypeError);
  });

  test('an explicit session wins over the default; session of another graph is an error', () => {
    const x = tf.placeholder('float32', [], 'x');
    const y = tf.multiply(x, 2);
    const sess = new tf.Session();
    const other = new tf.Session({ graph: new tf.Graph() });
    other.asDefault(() => {
      expect(y.eval({ x: 4 }, sess).item()).toBe(8);
      expect(y.eval({ feedDict: { x: 5 }, session: sess }).item()).toBe(10);
      expect(y.eval({ feed_dict: { x: 6 }, session: sess }).item()).toBe(12);
      expect(() => y.eval({ x: 4 })).toThrow("the tensor's graph is different from the session's graph");
    });
  });

  test('keyword form vs feed dict keyed by names: documented disambiguation', () => {
    const session = tf.placeholder('float32', [], 'session');
    const y = tf.add(session, 1);
    const sess = new tf.Session();
    // A key that names an operation makes the object ambiguous: a clear TypeError, never a guess.
    expect(() => y.eval({ session: 3 }, sess)).toThrow(TypeError);
    expect(() => y.eval({ session: 3 }, sess)).toThrow(/ambiguous/);
    // A Map or an "op:index" key is unambiguous.
    expect(y.eval(new Map([[session, 3]]), sess).item()).toBe(4);
    expect(y.eval({ 'session:0': 3 }, sess).item()).toBe(4);
  });

  test('wrong argument types are TypeErrors', () => {
    const c = tf.constant(1);
    const sess = new tf.Session();
    const ev = c.eval.bind(c) as (...a: unknown[]) => unknown;
    expect(() => ev({ 'Const:0': 1 }, 'sess')).toThrow(TypeError);
    expect(() => ev(3, sess)).toThrow(TypeError);
    expect(() => ev({ session: 'nope' })).toThrow(TypeError);
    expect(() => ev(sess, sess)).toThrow(TypeError);
    expect(() => ev({ feedDict: {}, session: sess }, sess)).toThrow(TypeError);
  });

  test('closing an InteractiveSession inside another default removes only itself', () => {
    const outer = new tf.Session();
    outer.asDefault(() => {
      const inter = new tf.InteractiveSession();
      expect(tf.getDefaultSession()).toBe(inter);
      inter.close();
      expect(tf.getDefaultSession()).toBe(outer);
    });
    expect(tf.getDefaultSession()).toBeNull();
  });
});

describe('Session arguments', () => {
  beforeEach(() => tf.resetDefaultGraph());

  test('unknown or mistyped Session options are TypeErrors', () => {
    const mk = (o: unknown) => new tf.Session(o as tf.SessionOptions);
    expect(() => mk({ grpah: tf.getDefaultGraph() })).toThrow(/unexpected keyword argument 'grpah'/);
    expect(() => mk({ backend: 'tpu' })).toThrow(TypeError);
    expect(() => mk({ graph: 3 })).toThrow(TypeError);
    expect(() => mk({ logDevicePlacement: 1 })).toThrow(TypeError);
    expect(() => mk({ config: {} })).toThrow(/ConfigProto/);
    expect(() => mk({ target: 'grpc://localhost:2222' })).toThrow(TypeError);
    expect(() => mk({ gpu: { mode: 'webgl' } })).toThrow(/needs backend: 'gpu'/);
    expect(() => mk({ backend: 'gpu', gpu: { mdoe: 'webgl' } })).toThrow(/unknown gpu option 'mdoe'/);
    expect(() => mk(tf.getDefaultGraph())).toThrow(/new Session\(\{ graph: g \}\)/);
    expect(() => new tf.InteractiveSession({ foo: 1 } as tf.SessionOptions)).toThrow(
      /InteractiveSession\(\) got an unexpected keyword argument 'foo'/,
    );
    expect(tf.getDefaultSession()).toBeNull();
    // snake_case keys are accepted, as everywhere
    const g = new tf.Graph();
    expect(mk({ graph: g, log_device_placement: false }).graph).toBe(g);
    expect(mk({ target: '' }).graph).toBe(tf.getDefaultGraph());
  });

  test('run: TF1 positional options / runMetadata: RunOptions and RunMetadata or null, else TypeErrors', () => {
    const x = tf.placeholder('float32', [], 'x');
    const y = tf.multiply(x, 2);
    const sess = new tf.Session();
    expect(sess.run(y, { x: 2 }, null, null).item()).toBe(4);
    const run = sess.run.bind(sess) as (...a: unknown[]) => unknown;
    expect(() => run(y, { x: 2 }, { timeoutInMs: 3 })).toThrow(/'timeoutInMs' is not supported/);
    expect(() => run(y, { x: 2 }, { traceLevel: 7 })).toThrow(/traceLevel must be one of/);
    expect(() => run(y, { x: 2 }, null, {})).toThrow(/'runMetadata' must be a tf.RunMetadata/);
    expect((run(y, { x: 2 }, { traceLevel: 3 }) as tf.NDArray).item()).toBe(4);
    expect(() => run(y, { x: 2 }, null, null, 5)).toThrow(/at most 4 arguments/);
    expect(() => run(y, 7)).toThrow(TypeError);
    // keyword form
    expect((run(y, { feedDict: { x: 3 } }) as tf.NDArray).item()).toBe(6);
    expect((run(y, { feed_dict: { x: 3 }, options: null }) as tf.NDArray).item()).toBe(6);
    expect(() => run(y, { feedDict: { x: 3 }, runMetadata: {} })).toThrow(/'runMetadata'/);
  });

  test('runAsync rejects bad arguments the same way', async () => {
    const c = tf.constant(1);
    const sess = new tf.Session();
    const run = sess.runAsync.bind(sess) as (...a: unknown[]) => Promise<unknown>;
    await expect(run(c, null, { bogus: 1 })).rejects.toThrow(TypeError);
    expect(((await run(c, { feedDict: null })) as tf.NDArray).item()).toBe(1);
  });
});
