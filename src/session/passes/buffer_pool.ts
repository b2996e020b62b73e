/**
 * The run-time half of the memory plan: a size-keyed pool of typed arrays that the executor's `alloc`
 * draws from and that slots return to when the compiled plan frees them (PlanStep.freeSlots: right after
 * each value's last reader, i.e. by liveness). Because a plan frees and allocates in the same order on
 * every run, the second run onward finds every intermediate buffer in the pool: steady-state training
 * allocates no typed arrays for intermediates.
 *
 * Ownership rules (what makes reuse safe):
 *  - only arrays the pool allocated are ever recycled (feeds, constants, user data never are);
 *  - an array is recycled when no slot holds it any more (reference counts: a kernel may return its
 *    input unchanged, so two slots can share one array);
 *  - arrays stored in variables are pinned (`pin`) while they are a variable's value; when a run commits
 *    a new value the session unpins the old one, which becomes free: this double-buffers optimizer
 *    updates without allocation and keeps the "a failed run changes no variable" guarantee;
 *  - at the end of a run (`endRun`), arrays still held (the fetched results, now the caller's) leave the
 *    pool for good.
 */
import { allocArray, DType, TypedArray } from '../../graph/dtype';

export interface BufferPoolStats {
  /** Arrays created (pool misses). */
  allocated: number;
  /** Requests served from the pool. */
  reused: number;
  /** Arrays returned to the pool. */
  recycled: number;
}

function keyOf(arr: TypedArray): string {
  return `${arr.constructor.name}:${arr.length}`;
}

export class BufferPool {
  private readonly free = new Map<string, TypedArray[]>();
  private readonly owned = new WeakSet<TypedArray>();
  private readonly refs = new Map<TypedArray, number>();
  private readonly pinned = new Map<TypedArray, number>();
  readonly stats: BufferPoolStats = { allocated: 0, reused: 0, recycled: 0 };

  /** @param zeroFill reused arrays are zeroed, as fresh typed arrays are (kernels may rely on it). */
  constructor(private readonly zeroFill = true) {}

  /** An array for `size` elements of `dtype` (float32 as Float64Array when `float64`): reused or new. */
  alloc(dtype: DType, size: number, float64 = false): TypedArray {
    const probe = allocArray(dtype, 0, float64);
    const list = this.free.get(`${probe.constructor.name}:${size}`);
    const arr = list?.pop();
    if (arr) {
      if (this.zeroFill) arr.fill(0);
      this.stats.reused++;
      return arr;
    }
    const fresh = allocArray(dtype, size, float64);
    this.owned.add(fresh);
    this.stats.allocated++;
    return fresh;
  }

  /** A slot now holds `arr`. */
  hold(arr: TypedArray): void {
    if (this.owned.has(arr)) this.refs.set(arr, (this.refs.get(arr) ?? 0) + 1);
  }

  /** A slot holding `arr` was freed; the array returns to the pool when nothing holds or pins it. */
  release(arr: TypedArray): void {
    const n = this.refs.get(arr);
    if (n === undefined) return;
    if (n > 1) {
      this.refs.set(arr, n - 1);
      return;
    }
    this.refs.delete(arr);
    this.recycle(arr);
  }

  /** `arr` became (part of) a variable's value: never recycled until unpinned. */
  pin(arr: TypedArray): void {
    if (this.owned.has(arr)) this.pinned.set(arr, (this.pinned.get(arr) ?? 0) + 1);
  }

  /** A variable stopped holding `arr` (its value was replaced). */
  unpin(arr: TypedArray): void {
    const n = this.pinned.get(arr);
    if (n === undefined) return;
    if (n > 1) {
      this.pinned.set(arr, n - 1);
      return;
    }
    this.pinned.delete(arr);
    if (!this.refs.has(arr)) this.recycle(arr);
  }

  /** End of a run: arrays still held by slots (fetched results) now belong to the caller. */
  endRun(): void {
    for (const arr of this.refs.keys()) if (!this.pinned.has(arr)) this.owned.delete(arr);
    this.refs.clear();
  }

  /** Number of arrays waiting in the pool. */
  get size(): number {
    let n = 0;
    for (const l of this.free.values()) n += l.length;
    return n;
  }

  private recycle(arr: TypedArray): void {
    if (!this.owned.has(arr) || this.pinned.has(arr)) return;
    const k = keyOf(arr);
    let list = this.free.get(k);
    if (!list) this.free.set(k, (list = []));
    list.push(arr);
    this.stats.recycled++;
  }
}
