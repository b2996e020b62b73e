import type { SlotStorage, SlotValue, Storage } from '../backend';
import { allocArray } from '../../graph/dtype';
import { NDArray } from '../../ndarray';
import { BufferPool, poolSafe } from './buffer_pool';
import type { ExecutionPlan } from '../../session/plan';

/** A host value (the CPU backend holds nothing else). */
function host(value: SlotValue): NDArray {
  if (!(value instanceof NDArray)) throw new Error('internal: the CPU backend was given a device value');
  return value;
}

/**
 * The CPU backend's storage for one session: host NDArrays whose buffers are recycled through a
 * BufferPool (./buffer_pool.ts) — intermediates return at their last use, variable
 * values are pinned while a variable holds them, fetched results and traced functions' results leave
 * the pool for good. Plans that keep values across steps (control flow, TensorArrays) run unpooled.
 * `float64`: float32 buffers are Float64Array (the reference mode).
 */
export class CpuStorage implements Storage {
  /** The pool (undefined when created with `{ pool: false }`); its stats show reuse. */
  readonly pool: BufferPool | undefined;
  private readonly plain: SlotStorage;
  private readonly pooled: SlotStorage | undefined;

  constructor(float64: boolean, usePool: boolean) {
    this.plain = { alloc: (dtype, size) => allocArray(dtype, size, float64), hold() {}, free() {} };
    const pool = usePool ? new BufferPool() : undefined;
    this.pool = pool;
    this.pooled = pool && {
      alloc: (dtype, size) => pool.alloc(dtype, size, float64),
      hold: (v) => pool.hold(host(v).data),
      free: (v) => pool.release(host(v).data),
    };
  }

  forPlan(plan: ExecutionPlan): SlotStorage {
    return this.pooled && poolSafe(plan) ? this.pooled : this.plain;
  }

  keep(value: SlotValue): void {
    this.pool?.pin(host(value).data);
  }

  unkeep(value: SlotValue): void {
    this.pool?.unpin(host(value).data);
  }

  endRun(handedOut: readonly (SlotValue | undefined)[]): void {
    this.pool?.endRun(handedOut.flatMap((v) => (v === undefined ? [] : [host(v).data])));
  }

  handOut(value: SlotValue): void {
    this.pool?.handOut(host(value).data);
  }

  share(value: SlotValue): SlotValue {
    return value;
  }

  read(value: SlotValue): NDArray {
    return host(value);
  }
}
