/**
 * Shared settings of the fuzz suite (fast-check). `npm test` runs each property with a fixed seed and a
 * small case count; `FUZZ_RUNS=n` (what `npm run fuzz` sets) scales every property to about n cases in
 * all, spread over the properties by their weights.
 */
import * as fc from 'fast-check';
import * as tf from '../../src';

/** Cases of a property of weight `w` (of the whole suite's total weight 1). */
export function runs(defaultRuns: number, weight: number): number {
  const total = Number(process.env.FUZZ_RUNS ?? 0);
  return total > 0 ? Math.max(1, Math.round(total * weight)) : defaultRuns;
}

/** fast-check parameters: fixed seed (overridable with FUZZ_SEED), bounded count, no shrinking time bombs. */
export function params(defaultRuns: number, weight: number): fc.Parameters<unknown> {
  return {
    seed: Number(process.env.FUZZ_SEED ?? 1337),
    numRuns: runs(defaultRuns, weight),
    interruptAfterTimeLimit: process.env.FUZZ_RUNS ? undefined : 20_000,
    markInterruptAsFailure: false,
    endOnFailure: true,
  };
}

/**
 * The property every hostile input must keep: an error is one of the library's classes, or a TypeError
 * raised by the argument binder (its message names the function, e.g. `tile(): …`), never a raw
 * TypeError/RangeError from inside the library (stack overflow, reading a property of undefined, …).
 */
export function isLibraryError(e: unknown): boolean {
  if (e instanceof tf.TensorGraphError) return true;
  if (!(e instanceof TypeError)) return false;
  const m = e.message;
  if (
    /Cannot read prop|Cannot set prop|is not a function|is not iterable|Maximum call stack|undefined/.test(m)
  )
    return false;
  return /\w+\(\)|Expected int32|int32|must be|dtype|shape|got /.test(m);
}

/** Runs `f`; returns its value or the error, and fails the property on a non-library error. */
export function guarded<T>(f: () => T): { ok: true; value: T } | { ok: false; error: Error } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!isLibraryError(e)) {
      const err = e as Error;
      throw new Error(`non-library error ${err?.name}: ${err?.message}\n${err?.stack ?? ''}`);
    }
    return { ok: false, error: e as Error };
  }
}
