/**
 * BufferPool (src/backends/cpu/buffer_pool.ts), the run-time memory plan: exercised the way the
 * executor uses it (alloc per output, hold per slot, release at the plan's free points, endRun), on a
 * simulated training loop with a variable update; checks zero steady-state allocation and that no
 * array is handed out while something can still see it.
 */
import { BufferPool } from '../../src/session/passes';
import type { TypedArray } from '../../src/graph/dtype';
import type { Tensor } from '../../src/graph/tensor';

describe('BufferPool', () => {
  test('reuses an array of the same dtype and length once released, zeroed', () => {
    const pool = new BufferPool();
    const a = pool.alloc('float32', 8);
    pool.hold(a);
    a.fill(7);
    pool.release(a);
    const b = pool.alloc('float32', 8);
    expect(b).toBe(a);
    expect(Array.from(b)).toEqual(new Array(8).fill(0));
    expect(pool.alloc('float32', 9)).not.toBe(a); // other length
    expect(pool.stats).toEqual({ allocated: 2, reused: 1, recycled: 1 });
  });

  test('keys by storage: float32 in float64 mode and int32 never share arrays with Float32Array', () => {
    const pool = new BufferPool();
    const f = pool.alloc('float32', 4);
    pool.hold(f);
    pool.release(f);
    expect(pool.alloc('float32', 4, true)).toBeInstanceOf(Float64Array);
    expect(pool.alloc('int32', 4)).toBeInstanceOf(Int32Array);
    expect(pool.alloc('float32', 4)).toBe(f);
  });

  test('an array held by two slots (a kernel returned its input) is recycled after both release it', () => {
    const pool = new BufferPool();
    const a = pool.alloc('float32', 3);
    pool.hold(a);
    pool.hold(a);
    pool.release(a);
    expect(pool.size).toBe(0);
    pool.release(a);
    expect(pool.size).toBe(1);
  });

  test('arrays it did not allocate (feeds, constants) are never recycled', () => {
    const pool = new BufferPool();
    const feed = new Float32Array(5);
    pool.hold(feed);
    pool.release(feed);
    pool.pin(feed);
    pool.unpin(feed);
    expect(pool.size).toBe(0);
    expect(pool.alloc('float32', 5)).not.toBe(feed);
  });

  test('pinned (variable) arrays stay out until unpinned; fetched arrays leave the pool at endRun', () => {
    const pool = new BufferPool();
    const v = pool.alloc('float32', 2);
    pool.hold(v);
    pool.pin(v);
    pool.release(v);
    expect(pool.size).toBe(0);
    const fetched = pool.alloc('float32', 2);
    pool.hold(fetched);
    pool.endRun([fetched]);
    pool.release(fetched); // a stale release after the run: ignored
    expect(pool.size).toBe(0);
    pool.unpin(v);
    expect(pool.size).toBe(1);
    expect(pool.alloc('float32', 2)).toBe(v);
  });

  test('a fetched array that a variable also held is never recycled when the variable lets go', () => {
    const pool = new BufferPool();
    const v = pool.alloc('float32', 3);
    pool.pin(v);
    pool.hold(v);
    pool.endRun([v]); // fetched (e.g. the old value read before an assign)
    pool.unpin(v); // the run committed a new value
    expect(pool.size).toBe(0);
  });

  test('a view of a pooled array keeps its buffer out of the pool until the view is released', () => {
    const pool = new BufferPool();
    const a = pool.alloc('float32', 8);
    pool.hold(a);
    const view = a.subarray(2, 4);
    pool.hold(view);
    pool.release(a);
    expect(pool.size).toBe(0);
    pool.release(view);
    expect(pool.size).toBe(1);
    expect(pool.alloc('float32', 8)).toBe(a);
  });

  test('a simulated training loop allocates nothing after the first steps', () => {
    // Plan: x (feed) → h = f(x, w) → y = g(h) → loss (fetched); w' = w - lr·dy (assigned to the variable).
    const pool = new BufferPool();
    const x = new Float32Array(64); // fed by the user each step
    let w: TypedArray = new Float32Array(16); // initial variable value (not from the pool)
    const live = new Set<TypedArray>();
    const step = (): TypedArray => {
      const use = (a: TypedArray): TypedArray => {
        expect(live.has(a)).toBe(false); // never handed out while a slot still holds it
        live.add(a);
        pool.hold(a);
        return a;
      };
      const free = (a: TypedArray): void => {
        live.delete(a);
        pool.release(a);
      };
      const h = use(pool.alloc('float32', 64));
      for (let i = 0; i < 64; i++) h[i] = (x[i] as number) + (w[i % 16] as number);
      const y = use(pool.alloc('float32', 64));
      for (let i = 0; i < 64; i++) y[i] = 2 * (h[i] as number);
      free(h);
      const loss = use(pool.alloc('float32', 1));
      loss[0] = (y as Float32Array).reduce((a, b) => a + b, 0);
      const dy = use(pool.alloc('float32', 16));
      for (let i = 0; i < 16; i++) dy[i] = y[i] as number;
      free(y);
      const w2 = use(pool.alloc('float32', 16));
      for (let i = 0; i < 16; i++) w2[i] = (w[i] as number) - 0.01 * (dy[i] as number);
      free(dy);
      pool.pin(w2); // writeVariable
      live.delete(w2);
      pool.release(w2); // its slot is freed; the variable keeps it
      live.delete(loss); // fetched: the caller's now
      pool.endRun([loss]);
      pool.unpin(w); // commit: the old value is no longer the variable's
      w = w2;
      return loss;
    };
    const results = [step(), step(), step()];
    const before = pool.stats.allocated;
    for (let i = 0; i < 20; i++) results.push(step());
    // Only the fetched loss (handed to the caller every step) is new each step.
    expect(pool.stats.allocated - before).toBe(20);
    expect(new Set(results).size).toBe(results.length);
  });
});

describe('Session with the memory plan and the passes', () => {
  test('steady-state training allocates no intermediates, results are unchanged, the plan shows the passes', () => {
    const tf = require('../../src') as typeof import('../../src');
    const { setPassesEnabled } =
      require('../../src/session/passes') as typeof import('../../src/session/passes');
    const build = (): { plan: string; step: () => number } => {
      const g = new tf.Graph();
      return g.asDefault(() => {
        const x = tf.placeholder('float32', [6, 4], 'x');
        const y = tf.placeholder('float32', [6, 3], 'y');
        const w1 = new tf.Variable(
          tf.constant(
            tf.ndarray(
              Float32Array.from({ length: 20 }, (_v, i) => Math.sin(i)),
              [4, 5],
              'float32',
            ),
          ),
          { name: 'w1' },
        );
        const w2 = new tf.Variable(
          tf.constant(
            tf.ndarray(
              Float32Array.from({ length: 15 }, (_v, i) => Math.cos(i)),
              [5, 3],
              'float32',
            ),
          ),
          { name: 'w2' },
        );
        const h = tf.nn.relu(tf.matmul(x, w1));
        const logits = tf.matmul(h, w2);
        const loss = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ labels: y, logits }));
        const train = new tf.train.AdamOptimizer(0.01).minimize(loss);
        const sess = new tf.Session({ graph: g });
        sess.run(tf.globalVariablesInitializer());
        const feed = new Map([
          [
            x,
            tf.ndarray(
              Float32Array.from({ length: 24 }, (_v, i) => (i % 7) / 7),
              [6, 4],
              'float32',
            ),
          ],
          [
            y,
            tf.ndarray(
              Float32Array.from({ length: 18 }, (_v, i) => (i % 4 === 0 ? 1 : 0)),
              [6, 3],
              'float32',
            ),
          ],
        ]);
        const plan = sess.plan([loss, train], feed).toString();
        return { plan, step: () => sess.run([loss, train], feed)[0].item() as number };
      });
    };
    const allocs = jest.spyOn(BufferPool.prototype, 'alloc');
    const { plan, step } = build();
    expect(plan.split('\n')[1]).toMatch(/^ {2}passes: .* fused loops from \d+ elementwise ops$/);
    expect(plan).toContain('FusedElementwise');
    const losses = [step(), step(), step()];
    const pool = allocs.mock.contexts.at(-1) as BufferPool;
    const before = pool.stats.allocated;
    for (let i = 0; i < 10; i++) losses.push(step());
    // Only the fetched loss (the caller's array) is new each step.
    expect(pool.stats.allocated - before).toBe(10);
    expect(pool.stats.reused).toBeGreaterThan(100);
    allocs.mockRestore();

    setPassesEnabled(false);
    const plain = build();
    const reference = Array.from({ length: 13 }, () => plain.step());
    setPassesEnabled(true);
    losses.forEach((l, i) => expect(l).toBeCloseTo(reference[i] as number, 5));
  });
});

describe('loop bodies draw from the session buffer pool', () => {
  test("a whileLoop's intermediates are recycled across iterations; results equal a plain JS loop", () => {
    const tf = require('../../src') as typeof import('../../src');
    const g = new tf.Graph();
    const n = 3;
    const wData = Float32Array.from({ length: n * n }, (_v, i) => Math.sin(i + 1) / 2);
    const { x, iters, out, sess } = g.asDefault(() => {
      const x = tf.placeholder('float32', [1, n], 'x');
      const iters = tf.placeholder('int32', [], 'iters');
      const W = tf.constant(tf.ndarray(wData, [n, n], 'float32'));
      const [, out] = tf.whileLoop(
        (i: Tensor) => tf.less(i, iters),
        (i: Tensor, v: Tensor) => [tf.add(i, 1), tf.multiply(tf.tanh(tf.add(tf.matmul(v, W), 1)), 0.5)],
        [tf.constant(0, 'int32'), x],
      ) as Tensor[];
      return { x, iters, out: out as Tensor, sess: new tf.Session({ graph: g }) };
    });
    const pool = (sess as unknown as { storage: { pool: BufferPool } }).storage.pool;
    const start = [0.3, -0.2, 0.7];
    const run = (k: number) => {
      const before = { ...pool.stats };
      const v = sess.run(
        out,
        new Map<Tensor, unknown>([
          [x, [start]],
          [iters, k],
        ]) as never,
      );
      return {
        v,
        reused: pool.stats.reused - before.reused,
        allocated: pool.stats.allocated - before.allocated,
      };
    };
    const jsLoop = (k: number): number[] => {
      let v = start.slice();
      for (let t = 0; t < k; t++) {
        v = v.map((_u, c) => {
          let s = 0;
          for (let r = 0; r < n; r++) s += (v[r] as number) * (wData[r * n + c] as number);
          return Math.tanh(s + 1) * 0.5;
        });
      }
      return v;
    };
    run(2); // compiles the body's plan
    const short = run(5);
    const long = run(50);
    for (const [got, k] of [
      [short.v, 5],
      [long.v, 50],
    ] as const)
      Array.from(got.data).forEach((u, c) => expect(u).toBeCloseTo(jsLoop(k)[c] as number, 5));
    // Each iteration's matmul result is a body intermediate: recycled and reused by the next iteration.
    expect(long.reused - short.reused).toBeGreaterThanOrEqual(45);
    // Only the functions' results, handed to the While kernel, are new arrays: the condition's truth
    // value and the body's two loop variables, 3 per iteration.
    expect(long.allocated - short.allocated).toBeLessThanOrEqual(3 * 45);
    sess.close();
  });
});
