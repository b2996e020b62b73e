/**
 * The run-time half of the memory plan: a size-keyed pool of typed arrays that the executor's `alloc`
 * draws from and that slots return to when the compiled plan frees them (PlanStep.freeSlots: right after
 * each value's last reader, i.e. by liveness). Because a plan frees and allocates in the same order on
 * every run, the second run onward finds every intermediate buffer in the pool: steady-state training
 * allocates no typed arrays for intermediates.
 *
 * Ownership rules (what makes reuse safe):
 *  - only arrays the pool allocated are ever recycled (feeds, constants, user data never are);
 *  - an array is recycled when no slot holds it any more (reference counts per buffer: a kernel may
 *    return its input unchanged, or a view of it, so several slots can share one buffer);
 *  - arrays stored in variables are pinned (`pin`) while they are a variable's value; when a run commits
 *    a new value the session unpins the old one, which becomes free: this double-buffers optimizer
 *    updates without allocation and keeps the "a failed run changes no variable" guarantee;
 *  - at the end of a run (`endRun`), the fetched results, now the caller's, leave the pool for good.
 */
import { allocArray, DType, TypedArray } from '../../graph/dtype';
import type { ExecutionPlan } from '../../session/plan';

export interface BufferPoolStats {
  /** Arrays created (pool misses). */
  allocated: number;
  /** Requests served from the pool. */
  reused: number;
  /** Arrays returned to the pool. */
  recycled: number;
}

/** Storage kind of an array: its constructor (Float32Array, Float64Array, Int32Array, Uint8Array). */
type Kind = TypedArray['constructor'];

function kindOf(dtype: DType, float64: boolean): Kind {
  if (dtype === 'float32') return float64 ? Float64Array : Float32Array;
  return dtype === 'int32' ? Int32Array : Uint8Array;
}

const HOLDS_VALUES = new Set(['If', 'While', 'WhileGrad']);
const safePlans = new WeakMap<ExecutionPlan, boolean>();

/**
 * Whether a plan may use the pool: not when a step keeps values across steps (If/While/WhileGrad keep
 * loop histories and branch records, TensorArrays and iterators keep storage: `shapesFromKernel` ops),
 * which recycling could overwrite.
 */
export function poolSafe(plan: ExecutionPlan): boolean {
  let ok = safePlans.get(plan);
  if (ok === undefined) {
    ok = !plan.steps.some((s) => s.op.def.shapesFromKernel || HOLDS_VALUES.has(s.op.type));
    safePlans.set(plan, ok);
  }
  return ok;
}

export class BufferPool {
  /** Free arrays by storage kind, then by length. */
  private readonly free = new Map<Kind, Map<number, TypedArray[]>>();
  /** Buffers this pool allocated and may recycle, with the array that spans each. */
  private readonly owned = new WeakMap<ArrayBufferLike, TypedArray>();
  private readonly refs = new Map<ArrayBufferLike, number>();
  private readonly pinned = new Map<ArrayBufferLike, number>();
  readonly stats: BufferPoolStats = { allocated: 0, reused: 0, recycled: 0 };

  /** @param zeroFill reused arrays are zeroed, as fresh typed arrays are (kernels may rely on it). */
  constructor(private readonly zeroFill = true) {}

  /** An array for `size` elements of `dtype` (float32 as Float64Array when `float64`): reused or new. */
  alloc(dtype: DType, size: number, float64 = false): TypedArray {
    if (size === 0) return allocArray(dtype, 0, float64); // kernels probe the storage type: nothing to pool
    const arr = this.free.get(kindOf(dtype, float64))?.get(size)?.pop();
    if (arr) {
      if (this.zeroFill) arr.fill(0);
      this.stats.reused++;
      return arr;
    }
    const fresh = allocArray(dtype, size, float64);
    this.owned.set(fresh.buffer, fresh);
    this.stats.allocated++;
    return fresh;
  }

  /**
   * A slot now holds `arr`. Counted per underlying buffer, so a view of a pooled array (a kernel may
   * return `x.data.subarray(...)`) keeps the whole buffer out of the pool.
   */
  hold(arr: TypedArray): void {
    const b = arr.buffer;
    if (this.owned.has(b)) this.refs.set(b, (this.refs.get(b) ?? 0) + 1);
  }

  /** A slot holding `arr` was freed; the buffer returns to the pool when nothing holds or pins it. */
  release(arr: TypedArray): void {
    const b = arr.buffer;
    const n = this.refs.get(b);
    if (n === undefined) return;
    if (n > 1) {
      this.refs.set(b, n - 1);
      return;
    }
    this.refs.delete(b);
    this.recycle(b);
  }

  /** `arr` became (part of) a variable's value: never recycled until unpinned. */
  pin(arr: TypedArray): void {
    const b = arr.buffer;
    if (this.owned.has(b)) this.pinned.set(b, (this.pinned.get(b) ?? 0) + 1);
  }

  /** A variable stopped holding `arr` (its value was replaced, or a failed run's write was dropped). */
  unpin(arr: TypedArray): void {
    const b = arr.buffer;
    const n = this.pinned.get(b);
    if (n === undefined) return;
    if (n > 1) {
      this.pinned.set(b, n - 1);
      return;
    }
    this.pinned.delete(b);
    if (!this.refs.has(b)) this.recycle(b);
  }

  /**
   * End of a run: `handedOut` (the fetched results) now belong to the caller and leave the pool for
   * good, even if a variable also holds them; what slots still held is forgotten.
   */
  endRun(handedOut: Iterable<TypedArray> = []): void {
    for (const arr of handedOut) this.owned.delete(arr.buffer);
    this.refs.clear();
  }

  /**
   * `arr` leaves the pool for good now (a function's result, which its caller may keep): never recycled,
   * whatever slots held it.
   */
  handOut(arr: TypedArray): void {
    this.owned.delete(arr.buffer);
    this.refs.delete(arr.buffer);
  }

  /** Number of arrays waiting in the pool. */
  get size(): number {
    let n = 0;
    for (const byLength of this.free.values()) for (const l of byLength.values()) n += l.length;
    return n;
  }

  private recycle(b: ArrayBufferLike): void {
    const arr = this.owned.get(b);
    if (!arr || this.pinned.has(b)) return;
    const kind = arr.constructor as Kind;
    let byLength = this.free.get(kind);
    if (!byLength) this.free.set(kind, (byLength = new Map()));
    let list = byLength.get(arr.length);
    if (!list) byLength.set(arr.length, (list = []));
    list.push(arr);
    this.stats.recycled++;
  }
}
