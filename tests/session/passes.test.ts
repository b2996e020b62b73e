/**
 * The compile-time passes (src/session/passes): each is checked for what it rewrites, for what it must
 * leave alone (fetched, fed, stateful, control-dependency nodes), and for not changing any value: the
 * optimized op list is executed by a small interpreter and compared with the unoptimized one.
 */
import * as tf from '../../src';
import { createCpuBackend } from '../../src/backends/cpu';
import type { HostBackend } from '../../src/backends/backend';
import {
  setPassesEnabled,
  backendEvaluator,
  eliminateCommonSubexpressions,
  foldConstants,
  fuseElementwise,
  FUSED_TYPE,
  optimizeOps,
  passSummary,
  removeNoOps,
} from '../../src/session/passes';
import type { PassInput } from '../../src/session/passes';
import { randomArray } from '../helpers/gradcheck';

const cpu64 = createCpuBackend({ float64: true });
const cpu32 = createCpuBackend();

let g: tf.Graph;
beforeEach(() => {
  g = new tf.Graph();
});
const inGraph = <T>(fn: () => T): T => g.asDefault(fn);

type Fetch = tf.Tensor | tf.Operation;

/** The pruned, ordered ops a run of `fetches` executes (what compile hands to the passes). */
function planInput(fetches: Fetch[], feeds: Map<tf.Tensor, tf.NDArray> = new Map()): PassInput {
  const sess = new tf.Session({ graph: g, backend: cpu64 });
  setPassesEnabled(false); // the plan as compile orders it, before the passes
  const plan = sess.plan(fetches, feeds);
  setPassesEnabled(true);
  return { ops: plan.steps.map((s) => s.op), fetches, fed: new Set([...feeds.keys()].map((t) => t.key)) };
}

/** Executes an op list on pure ops (no variables), as the executor would, and returns the fetched values. */
function execute(
  ops: readonly tf.Operation[],
  fetches: tf.Tensor[],
  feeds: Map<tf.Tensor, tf.NDArray>,
  backend: HostBackend = cpu64,
): tf.NDArray[] {
  const values = new Map<string, tf.NDArray>([...feeds].map(([t, v]) => [t.key, v]));
  const evaluate = backendEvaluator(backend);
  for (const op of ops) {
    const outs = evaluate(
      op,
      op.inputs.map((t) => {
        const v = values.get(t.key);
        if (!v) throw new Error(`no value for ${t.name} (input of ${op.name})`);
        return v;
      }),
    );
    op.outputs.forEach((t, i) => {
      if (!values.has(t.key)) values.set(t.key, outs[i] as tf.NDArray);
    });
  }
  return fetches.map((t) => values.get(t.key) as tf.NDArray);
}

function maxAbsDiff(a: tf.NDArray, b: tf.NDArray): number {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.data.length; i++)
    m = Math.max(m, Math.abs((a.data[i] as number) - (b.data[i] as number)));
  return m;
}

const types = (ops: readonly tf.Operation[]): string[] => ops.map((o) => o.type);

describe('removeNoOps', () => {
  test('drops Identity, StopGradient and same-shape Reshape; consumers read the input', () => {
    const [x, y] = inGraph(() => {
      const x = tf.placeholder('float32', [2, 3], 'x');
      const a = tf.identity(x, 'a');
      const b = tf.stopGradient(a, 'b');
      const c = tf.reshape(b, [2, 3], 'c');
      return [x, tf.tanh(c, 'y')];
    });
    const feeds = new Map([[x, randomArray([2, 3], 1)]]);
    const input = planInput([y], feeds);
    const r = removeNoOps(input);
    expect(types(r.ops)).not.toContain('Identity');
    expect(types(r.ops)).not.toContain('StopGradient');
    expect(types(r.ops)).not.toContain('Reshape');
    const tanh = r.ops.find((o) => o.type === 'Tanh') as tf.Operation;
    expect(tanh.inputs[0]?.key).toBe(x.key);
    expect(r.stat.summary).toBe('3 no-op identities/reshapes removed');
    expect(maxAbsDiff(execute(r.ops, [y], feeds)[0]!, execute(input.ops, [y], feeds)[0]!)).toBe(0);
  });

  test('keeps a shape-changing Reshape, fetched identities, control-dependency identities and fed ones', () => {
    const [x, fetchedId, _ctl, reshaped, fedId, out] = inGraph(() => {
      const x = tf.placeholder('float32', [2, 3], 'x');
      const fetchedId = tf.identity(x, 'fetched');
      const v = new tf.Variable(1, { name: 'v' });
      const ctl = tf.controlDependencies([v.initializer], () => tf.identity(x, 'ctl'));
      const reshaped = tf.reshape(x, [3, 2], 'r');
      const fedId = tf.identity(x, 'fed');
      const out = tf.add(tf.add(tf.reduceSum(ctl), tf.reduceSum(reshaped)), tf.reduceSum(fedId), 'out');
      return [x, fetchedId, ctl, reshaped, fedId, out];
    });
    const feeds = new Map([
      [x, randomArray([2, 3], 1)],
      [fedId, randomArray([2, 3], 2)],
    ]);
    const r = removeNoOps(planInput([fetchedId, out], feeds));
    const names = r.ops.map((o) => o.name);
    expect(names).toContain('fetched');
    expect(names).toContain('ctl');
    expect(names).toContain(reshaped.op.name);
    // The fed identity is not run at all (pruned), and its consumer still reads the fed key.
    const sums = r.ops.filter((o) => o.type === 'Sum');
    expect(sums.some((o) => o.inputs[0]?.key === fedId.key)).toBe(true);
  });
});

describe('foldConstants', () => {
  test('folds pure ops on constants (and static Shape) into Const; the rest is unchanged', () => {
    const [x, y, sf] = inGraph(() => {
      const x = tf.placeholder('float32', [2, 3], 'x');
      const c = tf.add(tf.constant(2, 'float32'), tf.constant(3, 'float32'), 'c');
      const d = tf.multiply(c, tf.constant([1, 2, 3], 'float32'), 'd');
      const sf = tf.cast(tf.shape(x, 's'), 'float32', 'sf');
      return [x, tf.add(tf.multiply(x, d), tf.reduceSum(sf), 'y'), sf];
    });
    const feeds = new Map([[x, randomArray([2, 3], 3)]]);
    const input = planInput([y, sf], feeds);
    const r = foldConstants(input, backendEvaluator(cpu64));
    const byName = new Map(r.ops.map((o) => [o.name, o]));
    expect(byName.get('d')?.type).toBe('Const');
    expect(Array.from((byName.get('d')?.attrs.value as tf.NDArray).data)).toEqual([5, 10, 15]);
    expect(byName.get('s')).toBeUndefined(); // folded, then dead: its Cast consumer folded too
    expect(byName.get('sf')?.type).toBe('Const');
    expect(Array.from((byName.get('sf')?.attrs.value as tf.NDArray).data)).toEqual([2, 3]);
    expect(byName.has('c')).toBe(false); // dead once d is a constant
    expect(types(r.ops)).toContain('Mul');
    expect(r.stat.summary).toMatch(/^\d+ ops folded to constants$/);
    expect(maxAbsDiff(execute(r.ops, [y], feeds)[0]!, execute(input.ops, [y], feeds)[0]!)).toBe(0);
    expect(maxAbsDiff(execute(r.ops, [sf], feeds)[0]!, execute(input.ops, [sf], feeds)[0]!)).toBe(0);
  });

  test('never folds random ops, ops with control inputs, fed ops, or outputs above maxElements', () => {
    const [big, rnd, ctl, fed, sum] = inGraph(() => {
      const big = tf.add(tf.zeros([100]), tf.constant(1, 'float32'), 'big');
      const rnd = tf.add(tf.randomUniform([2], { seed: 1 }), tf.constant(1, 'float32'), 'rnd');
      const v = new tf.Variable(1, { name: 'v' });
      const ctl = tf.controlDependencies([v.initializer], () =>
        tf.add(tf.constant(1), tf.constant(2), 'ctl'),
      );
      const fed = tf.add(tf.constant(1), tf.constant(2), 'fed');
      const sum = tf.add(tf.reduceSum(big), tf.reduceSum(rnd), 'sum');
      return [big, rnd, ctl, fed, sum];
    });
    const feeds = new Map([[fed, tf.ndarray(Int32Array.of(7), [], 'int32')]]);
    const r = foldConstants(planInput([sum, ctl, fed], feeds), backendEvaluator(cpu64), { maxElements: 50 });
    const byName = new Map(r.ops.map((o) => [o.name, o]));
    expect(byName.get('big')?.type).toBe('Add');
    expect(byName.get('rnd')?.type).toBe('Add');
    expect(byName.get('ctl')?.type).toBe('Add');
    expect(byName.has('fed')).toBe(false); // fed: not run, not folded
    expect(big.op.type).toBe('Add'); // the graph itself is untouched
    void rnd;
  });

  test('an op whose evaluation fails is left for the run to report', () => {
    const y = inGraph(() => tf.add(tf.constant(1, 'float32'), tf.constant(2, 'float32'), 'sum'));
    const input: PassInput = { ops: [...g.getOperations()], fetches: [y], fed: new Set() };
    const r = foldConstants(input, () => {
      throw new Error('kernel failed');
    });
    expect(r.ops.find((o) => o.name === 'sum')?.type).toBe('Add');
    expect(r.stat.summary).toBe('0 ops folded to constants');
  });
});

describe('eliminateCommonSubexpressions', () => {
  test('merges equal pure ops and equal constants, transitively', () => {
    const [x, z] = inGraph(() => {
      const x = tf.placeholder('float32', [3], 'x');
      const a1 = tf.multiply(x, tf.constant(2, 'float32'), 'a1');
      const a2 = tf.multiply(x, tf.constant(2, 'float32'), 'a2');
      const b1 = tf.exp(a1, 'b1');
      const b2 = tf.exp(a2, 'b2');
      return [x, tf.add(b1, b2, 'z')];
    });
    const feeds = new Map([[x, randomArray([3], 4)]]);
    const input = planInput([z], feeds);
    const r = eliminateCommonSubexpressions(input);
    expect(types(r.ops).filter((t) => t === 'Mul')).toHaveLength(1);
    expect(types(r.ops).filter((t) => t === 'Exp')).toHaveLength(1);
    expect(types(r.ops).filter((t) => t === 'Const')).toHaveLength(1);
    const add = r.ops.find((o) => o.name === 'z') as tf.Operation;
    expect(add.inputs[0]?.key).toBe(add.inputs[1]?.key);
    expect(r.stat.summary).toBe('3 duplicate ops merged');
    expect(maxAbsDiff(execute(r.ops, [z], feeds)[0]!, execute(input.ops, [z], feeds)[0]!)).toBe(0);
  });

  test('keeps ops that differ in attrs, stateful duplicates, and fetched duplicates', () => {
    const [x, s0, s1, r1, r2, fetchedDup, out] = inGraph(() => {
      const x = tf.placeholder('float32', [2, 3], 'x');
      const s0 = tf.reduceSum(x, 0, 's0');
      const s1 = tf.reduceSum(x, 1, 's1');
      const r1 = tf.randomUniform([2], { name: 'r1' });
      const r2 = tf.randomUniform([2], { name: 'r2' });
      const e1 = tf.exp(x, 'e1');
      const fetchedDup = tf.exp(x, 'e2');
      const out = tf.add(
        tf.add(tf.reduceSum(s0), tf.reduceSum(s1)),
        tf.add(tf.reduceSum(tf.add(r1, r2)), tf.reduceSum(e1)),
        'out',
      );
      return [x, s0, s1, r1, r2, fetchedDup, out];
    });
    const r = eliminateCommonSubexpressions(
      planInput([out, fetchedDup], new Map([[x, randomArray([2, 3], 5)]])),
    );
    const names = r.ops.map((o) => o.name);
    for (const t of [s0, s1, r1, r2, fetchedDup]) expect(names).toContain(t.op.name);
  });

  test('merges duplicated forward/backward work of tf.gradients', () => {
    const [x, loss, grads] = inGraph(() => {
      const x = tf.placeholder('float32', [4, 3], 'x');
      const w = tf.constant(tf.ndarray(Float64Array.from(randomArray([3, 2], 6).data), [3, 2], 'float32'));
      const h = tf.tanh(tf.matmul(x, w));
      const loss = tf.add(tf.reduceSum(tf.square(h)), tf.reduceSum(tf.square(h)), 'loss');
      return [x, loss, tf.gradients(loss, [x])];
    });
    const feeds = new Map([[x, randomArray([4, 3], 7)]]);
    const fetches = [loss, grads[0] as tf.Tensor];
    const input = planInput(fetches, feeds);
    const r = eliminateCommonSubexpressions(input);
    expect(r.ops.length).toBeLessThan(input.ops.length);
    expect(types(r.ops).filter((t) => t === 'Square')).toHaveLength(1);
    const [a, b] = [execute(r.ops, fetches, feeds), execute(input.ops, fetches, feeds)];
    expect(maxAbsDiff(a[0]!, b[0]!)).toBeLessThan(1e-12);
    expect(maxAbsDiff(a[1]!, b[1]!)).toBeLessThan(1e-12);
  });
});

describe('fuseElementwise', () => {
  test('a chain of single-use elementwise ops becomes one op with the composed formula', () => {
    const [x, b, y] = inGraph(() => {
      const x = tf.placeholder('float32', [4, 5], 'x');
      const b = tf.placeholder('float32', [5], 'b');
      const y = tf.tanh(tf.add(tf.multiply(x, 2), b), 'y');
      return [x, b, tf.subtract(1, tf.square(y), 'out')];
    });
    const feeds = new Map([
      [x, randomArray([4, 5], 8)],
      [b, randomArray([5], 9)],
    ]);
    const input = planInput([y], feeds);
    const r = fuseElementwise(input);
    const fused = r.ops.filter((o) => o.type === FUSED_TYPE);
    expect(fused).toHaveLength(1);
    expect(fused[0]?.name).toBe('out');
    expect(fused[0]?.attrs.fused_ops).toEqual(['Mul', 'Add', 'Tanh', 'Square', 'Sub']);
    expect(fused[0]?.inputs.map((t) => t.key).sort()).toEqual([x.key, b.key].sort());
    expect(r.stat.summary).toBe('1 fused loops from 5 elementwise ops');
    for (const backend of [cpu64, cpu32]) {
      const feeds32 = new Map(
        [...feeds].map(([t, v]) => [
          t,
          tf.ndarray(Float32Array.from(v.data as Float64Array), v.shape, 'float32'),
        ]),
      );
      const f = backend === cpu64 ? feeds : feeds32;
      const d = maxAbsDiff(execute(r.ops, [y], f, backend)[0]!, execute(input.ops, [y], f, backend)[0]!);
      expect(d).toBeLessThan(backend === cpu64 ? 1e-14 : 1e-6);
    }
  });

  test('stops at values used twice, fetched, or of other dtypes; non-elementwise ops split groups', () => {
    const [x, shared, fetched, out] = inGraph(() => {
      const x = tf.placeholder('float32', [3, 4], 'x');
      const shared = tf.exp(x, 'shared'); // read by two ops
      const a = tf.multiply(shared, 3, 'a');
      const fetched = tf.sigmoid(a, 'fetched');
      const m = tf.matmul(tf.negative(fetched, 'neg'), tf.ones([4, 2]), { name: 'mm' });
      const c = tf.cast(tf.greater(m, 0, 'gt'), 'float32', 'c');
      const out = tf.add(tf.add(m, c, 'p'), tf.reduceSum(shared), 'out');
      return [x, shared, fetched, out];
    });
    const feeds = new Map([[x, randomArray([3, 4], 10)]]);
    const input = planInput([out, fetched], feeds);
    const r = fuseElementwise(input);
    const names = r.ops.map((o) => o.name);
    expect(names).toContain('shared'); // two readers
    expect(names).toContain('fetched'); // fetched: a group root, not absorbed
    expect(r.ops.find((o) => o.name === 'fetched')?.type).toBe(FUSED_TYPE); // fetched ← a ← (shared)
    expect(r.ops.find((o) => o.name === 'fetched')?.attrs.fused_ops).toEqual(['Mul', 'Sigmoid']);
    expect(names).toContain('gt'); // bool output: never fused
    expect(r.ops.find((o) => o.name === 'out')?.attrs.fused_ops).toEqual(['Add', 'Add']);
    const [a, b] = [execute(r.ops, [out, fetched], feeds), execute(input.ops, [out, fetched], feeds)];
    expect(maxAbsDiff(a[0]!, b[0]!)).toBeLessThan(1e-12);
    expect(maxAbsDiff(a[1]!, b[1]!)).toBeLessThan(1e-12);
    void shared;
  });

  test('a value read twice by one op is an input of the fused loop, read once per element', () => {
    const [x, y] = inGraph(() => {
      const x = tf.placeholder('float32', [6], 'x');
      const e = tf.exp(x, 'e');
      return [x, tf.add(tf.multiply(e, e, 'sq'), 1, 'y')];
    });
    const feeds = new Map([[x, randomArray([6], 11)]]);
    const input = planInput([y], feeds);
    const r = fuseElementwise(input);
    expect(r.ops.map((o) => o.name)).toContain('e');
    const e = r.ops.find((o) => o.name === 'e') as tf.Operation;
    const fused = r.ops.find((o) => o.name === 'y') as tf.Operation;
    expect(fused.inputs.map((t) => t.key)).toEqual([(e.outputs[0] as tf.Tensor).key]); // the constant 1 is inlined
    expect(fused.attrs.formula).toBe('(in0 * in0) + (1)');
    expect(maxAbsDiff(execute(r.ops, [y], feeds)[0]!, execute(input.ops, [y], feeds)[0]!)).toBeLessThan(
      1e-12,
    );
  });
});

describe('fuseElementwise: inputs a formula ignores', () => {
  test('onesLike(x + 1) keeps x as an input: the output keeps its shape', () => {
    const [x, y] = inGraph(() => {
      const x = tf.placeholder('float32', [2, 3], 'x');
      return [x, tf.multiply(tf.onesLike(tf.add(x, 1, 'a'), { name: 'ones' }), 3, 'y')];
    });
    const feeds = new Map([[x, randomArray([2, 3], 12)]]);
    const input = planInput([y], feeds);
    const r = fuseElementwise(input);
    const fused = r.ops.find((o) => o.name === 'y') as tf.Operation;
    expect(fused.type).toBe(FUSED_TYPE);
    expect(r.ops.map((o) => o.name)).toContain('a'); // not absorbed: its value is never read
    expect(fused.inputs.length).toBe(1);
    const out = execute(r.ops, [y], feeds)[0] as tf.NDArray;
    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(out.data)).toEqual([3, 3, 3, 3, 3, 3]);
  });
});

describe('optimizeOps (all passes) on a training graph', () => {
  test('MLP forward + backward + SGD-style update: fewer ops, same values, printed summary', () => {
    const [x, labels, fetches] = inGraph(() => {
      const x = tf.placeholder('float32', [8, 5], 'x');
      const labels = tf.placeholder('float32', [8, 3], 'labels');
      const w1 = tf.constant(
        tf.ndarray(Float64Array.from(randomArray([5, 4], 12).data), [5, 4], 'float32'),
        'float32',
        undefined,
        'w1',
      );
      const w2 = tf.constant(
        tf.ndarray(Float64Array.from(randomArray([4, 3], 13).data), [4, 3], 'float32'),
        'float32',
        undefined,
        'w2',
      );
      const h = tf.nn.relu(tf.add(tf.matmul(x, w1), tf.constant([0.1, 0.2, 0.3, 0.4], 'float32')));
      const logits = tf.identity(tf.matmul(h, w2), 'logits');
      const loss = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ labels, logits }), undefined, 'loss');
      const [g1, g2] = tf.gradients(loss, [w1, w2]) as [tf.Tensor, tf.Tensor];
      const lr = tf.multiply(tf.constant(0.5, 'float32'), tf.constant(0.2, 'float32'));
      const new1 = tf.subtract(w1, tf.multiply(lr, g1), 'new1');
      const new2 = tf.subtract(w2, tf.multiply(lr, g2), 'new2');
      return [x, labels, [loss, new1, new2]];
    });
    const feeds = new Map([
      [x, randomArray([8, 5], 14)],
      [
        labels,
        tf.ndarray(
          Float64Array.from({ length: 24 }, (_v, i) => (i % 3 === (i % 8) % 3 ? 1 : 0)),
          [8, 3],
          'float32',
        ),
      ],
    ]);
    const input = planInput(fetches, feeds);
    const r = optimizeOps(input, cpu64);
    expect(r.ops.length).toBeLessThan(input.ops.length);
    expect(r.stats.map((s) => s.pass)).toEqual([
      'noop-removal',
      'constant-folding',
      'cse',
      'elementwise-fusion',
    ]);
    expect(passSummary(r.stats)).toMatch(
      /^passes: \d+ no-op identities\/reshapes removed; \d+ ops folded to constants; \d+ duplicate ops merged; \d+ fused loops from \d+ elementwise ops$/,
    );
    expect(types(r.ops)).not.toContain('Identity');
    const a = execute(r.ops, fetches, feeds);
    const b = execute(input.ops, fetches, feeds);
    fetches.forEach((_t, i) => expect(maxAbsDiff(a[i]!, b[i]!)).toBeLessThan(1e-12));
    // Each pass can be switched off.
    const none = optimizeOps(input, cpu64, {
      noopRemoval: false,
      constantFolding: false,
      cse: false,
      fusion: false,
    });
    expect(none.ops).toEqual(input.ops);
  });
});

describe('readers of variables stay where they are (the executor reads variables when the reader runs)', () => {
  test('no-op removal keeps identity(v); CSE keeps both v*2; fusion does not move a read across an assign', () => {
    const fetches = inGraph(() => {
      const v = new tf.Variable(tf.constant([1, 2], 'float32'), { name: 'v' });
      // The Variable itself is the VariableV2 output: each consumer reads the store when it runs.
      const snap = tf.identity(v, 'snap');
      const a1 = tf.multiply(v, 2, 'a1');
      const a2 = tf.multiply(v, 2, 'a2');
      const read = tf.exp(v, 'read'); // before the assign, in plan order
      const update = v.assign(tf.constant([5, 6], 'float32'));
      const later = tf.add(read, 1, 'later'); // after it: fusing would read v after the assign
      return [snap, a1, a2, later, update];
    });
    const input = planInput(fetches);
    const names = (ops: readonly tf.Operation[]): string[] => ops.map((o) => o.name);
    expect(names(removeNoOps(input).ops)).toContain('snap');
    const cse = eliminateCommonSubexpressions(input).ops;
    expect(names(cse)).toEqual(expect.arrayContaining(['a1', 'a2']));
    const fused = fuseElementwise(input).ops;
    expect(names(fused)).toContain('read');
    expect(fused.filter((o) => o.type === FUSED_TYPE)).toHaveLength(0);
  });
});

describe('training graphs fuse through unary ops', () => {
  test('the gradient of a unary elementwise op needs no SumToShapeOf, so add→tanh fuses with a dynamic batch; values equal the unfused plan', () => {
    const g = new tf.Graph();
    const { x, train, loss, W } = g.asDefault(() => {
      const x = tf.placeholder(tf.float32, [null, 4], 'x');
      const W = new tf.Variable(tf.constant(Array.from(randomArray([4, 3], 7).data), tf.float32, [4, 3]), {
        name: 'W',
      });
      const b = new tf.Variable(tf.constant([0.1, -0.2, 0.3]), { name: 'b' });
      const y = tf.multiply(tf.tanh(tf.add(tf.matmul(x, W), b)), 2);
      const loss = tf.reduceMean(tf.square(y));
      const train = new tf.train.GradientDescentOptimizer(0.5).minimize(loss);
      return { x, train, loss, W };
    });
    // No unbroadcast of the gradient of the unary Tanh (its input's shape is the gradient's shape).
    const grads = g.getOperations().filter((op) => op.name.startsWith('gradients/Tanh_grad/'));
    expect(grads.map((op) => op.type)).not.toContain('SumToShapeOf');
    const feed = new Map([
      [x, tf.ndarray(Float32Array.from(randomArray([5, 4], 3).data), [5, 4], 'float32')],
    ]);
    const steps = (passes: boolean) => {
      setPassesEnabled(passes);
      try {
        const sess = new tf.Session({ graph: g });
        sess.run(tf.globalVariablesInitializer());
        const plan = sess.plan([train, loss], feed).toString();
        const losses = [0, 1, 2].map(() => sess.run([train, loss], feed)[1].item() as number);
        return { plan, losses, W: Array.from(sess.run(W).data) };
      } finally {
        setPassesEnabled(true);
      }
    };
    const fused = g.asDefault(() => steps(true));
    const plain = g.asDefault(() => steps(false));
    expect(fused.plan).toMatch(/FusedElementwise\[Add\+Tanh\]/);
    fused.losses.forEach((l, i) => expect(l).toBeCloseTo(plain.losses[i] as number, 6));
    fused.W.forEach((w, i) => expect(w).toBeCloseTo(plain.W[i] as number, 6));
  });
});
