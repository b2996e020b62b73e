/**
 * Hostile inputs: random mutations of a graph's JSON, random corruptions of a checkpoint, random formula
 * strings. Properties: only library errors, nothing hangs (each case is bounded), a failed restore
 * changes no variable, and import → export → import is stable.
 */
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { guarded, params } from './fuzz_helpers';

function sampleGraph(): tf.GraphJSON {
  const g = new tf.Graph();
  g.asDefault(() => {
    const x = tf.placeholder('float32', [null, 3], 'x');
    const w = new tf.Variable(tf.ones([3, 2]), { name: 'w' });
    const y = tf.nn.relu(tf.add(tf.matmul(x, w), 0.5), 'y');
    tf.split(tf.reduceSum(y, 1), 1, 0, undefined, 'sp');
    tf.fill([2, 2], 1.5, 'f');
    tf.reshape(y, [-1], 'r');
  });
  return g.toJSON();
}

/** JSON values a mutation writes: junk of every type, huge and negative numbers, deep nesting. */
const junk = fc.oneof(
  fc.constantFrom(
    null,
    true,
    '',
    'x:0',
    'Split',
    -1,
    0,
    1.5,
    2 ** 31,
    5e7,
    NaN,
    [],
    {},
    [null],
    [2 ** 31, 2],
  ),
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.integer({ min: -2, max: 100000 }), { maxLength: 4 }),
);

/** Replaces one value found by walking a random path into the JSON tree. */
function mutate(doc: unknown, steps: number[], value: unknown): unknown {
  const root = JSON.parse(JSON.stringify(doc)) as unknown;
  let parent: Record<string, unknown> | unknown[] | undefined;
  let key: string | number | undefined;
  let cur: unknown = root;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') break;
    const keys = Array.isArray(cur) ? cur.map((_v, i) => i) : Object.keys(cur);
    if (keys.length === 0) break;
    parent = cur as Record<string, unknown>;
    key = keys[s % keys.length] as string | number;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  if (parent === undefined || key === undefined) return value;
  (parent as Record<string | number, unknown>)[key] = value;
  return root;
}

test('mutated graph JSON: import fails with a library error or imports stably', () => {
  const base = sampleGraph();
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.array(fc.nat(40), { minLength: 1, maxLength: 7 }), junk), {
        minLength: 1,
        maxLength: 3,
      }),
      (muts) => {
        let doc: unknown = base;
        for (const [steps, v] of muts) doc = mutate(doc, steps, v);
        const text = JSON.stringify(doc);
        const g1 = new tf.Graph();
        const r = guarded(() => tf.importGraphDef(text, { graph: g1 }));
        if (!r.ok) return;
        // import → export → import → export gives the same document.
        const e1 = JSON.stringify(g1.toJSON());
        const g2 = new tf.Graph();
        tf.importGraphDef(e1, { graph: g2 });
        expect(JSON.stringify(g2.toJSON())).toBe(e1);
        // And running what was imported raises only library errors.
        const sess = new tf.Session({ graph: g2 });
        for (const op of g2.getOperations())
          for (const t of op.outputs) guarded(() => sess.run(t, { 'x:0': [[1, 2, 3]] }));
      },
    ),
    params(120, 0.25),
  );
});

describe('corrupted checkpoints', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-fuzz-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('restore of a corrupted checkpoint throws a library error and changes no variable', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const v = new tf.Variable(
        tf.constant([
          [1, 2],
          [3, 4],
        ]),
        { name: 'v' },
      );
      const u = new tf.Variable(tf.constant(7, 'int32'), { name: 'u' });
      const sess = new tf.Session({ graph: g });
      sess.run(tf.globalVariablesInitializer());
      const saver = new tf.train.Saver();
      const prefix = saver.save(sess, path.join(dir, 'model'));
      const good = fs.readFileSync(prefix + '.tgckpt');
      sess.run([
        tf.assign(v, [
          [9, 9],
          [9, 9],
        ]),
        tf.assign(u, 9),
      ]);
      const before = JSON.stringify(sess.run([v, u]).map((a) => Array.from(a.data)));
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(good.length), fc.nat(255)), { minLength: 1, maxLength: 4 }),
          fc.oneof(fc.constant(-1), fc.nat(good.length + 10)),
          (flips, cut) => {
            const bad = Buffer.from(good);
            for (const [at, byte] of flips) bad[at % bad.length] = byte;
            const bytes = cut >= 0 ? bad.subarray(0, cut) : bad;
            if (Buffer.compare(bytes, good) === 0) return;
            fs.writeFileSync(path.join(dir, 'bad.tgckpt'), bytes);
            const r = guarded(() => saver.restore(sess, path.join(dir, 'bad')));
            if (!r.ok) expect(JSON.stringify(sess.run([v, u]).map((a) => Array.from(a.data)))).toBe(before);
            else
              sess.run([
                tf.assign(v, [
                  [9, 9],
                  [9, 9],
                ]),
                tf.assign(u, 9),
              ]);
          },
        ),
        params(150, 0.2),
      );
    });
  });
});

test('random formula strings: a library error or an op, never a crash or hang', () => {
  const token = fc.constantFrom(
    'x',
    'y',
    '+',
    '-',
    '*',
    '/',
    '^',
    '(',
    ')',
    ',',
    'sin(',
    'exp(',
    'max(',
    'pow(',
    '1',
    '0.5',
    'pi',
    'e',
    '?',
    ':',
    '==',
    '!',
    'x.y',
    '[',
    ']',
    '"a"',
    'f(',
    'import(',
    'constructor',
    '__proto__',
    ';',
    ' ',
    'i',
    '1e400',
    'sqrt(-1)',
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.array(token, { maxLength: 30 }).map((ts) => ts.join('')),
        fc.string({ maxLength: 30 }),
        fc.nat(3000).map((n) => Array.from({ length: n + 1 }, () => 'x').join('+')),
      ),
      (formula) => {
        const g = new tf.Graph();
        g.asDefault(() => {
          const x = tf.placeholder('float32', [2], 'x');
          const y = tf.placeholder('float32', [2], 'y');
          const r = guarded(() => tf.elementwise(formula, { x, y }));
          if (r.ok)
            guarded(() => new tf.Session({ graph: g }).run(r.value, { 'x:0': [1, 2], 'y:0': [3, 4] }));
        });
      },
    ),
    params(150, 0.1),
  );
});
