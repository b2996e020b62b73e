/**
 * BufferPool (src/session/passes/buffer_pool.ts), the run-time memory plan: exercised the way the
 * executor uses it (alloc per output, hold per slot, release at the plan's free points, endRun), on a
 * simulated training loop with a variable update; checks zero steady-state allocation and that no
 * array is handed out while something can still see it.
 */
import { BufferPool } from '../../src/session/passes';
import type { TypedArray } from '../../src/graph/dtype';

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
    pool.endRun();
    pool.release(fetched); // a stale release after the run: ignored
    expect(pool.size).toBe(0);
    pool.unpin(v);
    expect(pool.size).toBe(1);
    expect(pool.alloc('float32', 2)).toBe(v);
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
      pool.endRun();
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
