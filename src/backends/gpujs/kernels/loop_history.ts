import type { RunState, SlotValue } from '../../backend';
import type { DType } from '../../../graph/dtype';
import type { Graph } from '../../../graph/graph';
import type { Attrs, Operation } from '../../../graph/tensor';
import { GpuTensor } from '../tensor';

/**
 * The iterations of differentiated loops recorded on the device (the GPU backend's counterpart of the
 * CPU While kernel's histories): each iteration's loop variables and the body values the gradient takes
 * as given (recorded random draws, assigned values), as references to the device tensors the loop
 * computed, so neither the forward loop nor its gradient reads anything back. Records are kept per run
 * (keyed by the run's state object, as on the CPU) and per While (by its attrs, which clones of the op
 * share). A record's device references are released when every WhileGrad of its loop in the graph has
 * walked it, when the same loop records again in the run (a loop nested in another loop's body), when a
 * run fails inside the loop or its gradient, and otherwise (a run that fetched the loop but not its
 * gradient) when the loop records in a later run (synchronous runtimes) or the run's state is
 * garbage-collected.
 */
export interface LoopRecord {
  /** Loop variables entering each iteration (owned references; int32/bool ones are host arrays). */
  history: SlotValue[][];
  /** Names of the body tensors recorded each iteration, and their values per iteration (owned). */
  recordedNames: string[];
  recorded: SlotValue[][];
  /** Shapes and dtypes of the final loop variables (zero cotangents of results not differentiated). */
  finals: { shape: number[]; dtype: DType }[];
  /** The WhileGrad ops (by attrs) that have walked this record. */
  walkedBy: Set<Readonly<Attrs>>;
}

/** Releases the device references of per-iteration values (host values need nothing). */
export function releaseAll(values: readonly SlotValue[]): void {
  for (const v of values) if (v instanceof GpuTensor && !v.isReleased) v.release();
}

/** Releases a record's device references; the record is empty afterwards. */
export function dropRecord(r: LoopRecord): void {
  for (const vs of r.history) releaseAll(vs);
  for (const vs of r.recorded) releaseAll(vs);
  r.history.length = 0;
  r.recorded.length = 0;
}

const records = new WeakMap<object, Map<Readonly<Attrs>, LoopRecord>>();

/** A run whose state is dropped before its records were walked: their device references go with it. */
const finalizer = new FinalizationRegistry<Map<Readonly<Attrs>, LoopRecord>>((byLoop) => {
  for (const r of byLoop.values()) dropRecord(r);
  byLoop.clear();
});

/**
 * Keeps the record of loop `attrs` for this run, dropping one the loop made earlier in the run (a loop
 * nested in another loop's body records once per outer iteration).
 */
export function storeRecord(state: RunState<SlotValue>, attrs: Readonly<Attrs>, r: LoopRecord): void {
  let byLoop = records.get(state);
  if (!byLoop) {
    const loops = new Map<Readonly<Attrs>, LoopRecord>();
    records.set(state, (byLoop = loops));
    // A session's run releases its records when it ends; other runs when their state is collected.
    if (state.atRunEnd)
      state.atRunEnd(() => {
        for (const rec of loops.values()) dropRecord(rec);
        loops.clear();
      });
    else finalizer.register(state, loops);
  }
  const previous = byLoop.get(attrs);
  if (previous && previous !== r) dropRecord(previous);
  byLoop.set(attrs, r);
}

/** The record of loop `attrs` made in this run, if any. */
export function findRecord(state: object, attrs: Readonly<Attrs>): LoopRecord | undefined {
  return records.get(state)?.get(attrs);
}

/** Forgets and releases the record of loop `attrs` in this run (a failed gradient walk). */
export function discardRecord(state: object, attrs: Readonly<Attrs>): void {
  const byLoop = records.get(state);
  const r = byLoop?.get(attrs);
  if (!r) return;
  dropRecord(r);
  byLoop?.delete(attrs);
}

/**
 * Notes that WhileGrad `grad` walked the record of loop `forward` in this run; once every WhileGrad of
 * that loop in the graph has, the record is released.
 */
export function recordWalked(state: object, forward: Operation, grad: Readonly<Attrs>): void {
  const r = findRecord(state, forward.attrs);
  if (!r) return;
  r.walkedBy.add(grad);
  const grads = new Set(loopGradients(forward).map((g) => g.attrs));
  if (grads.size > 0 && [...grads].every((g) => r.walkedBy.has(g))) discardRecord(state, forward.attrs);
}

/** WhileGrad ops of each loop (by the loop's attrs), per graph, recomputed when the graph grows. */
const gradientsByGraph = new WeakMap<Graph, { version: number; byLoop: Map<Readonly<Attrs>, Operation[]> }>();

/** The WhileGrad ops in `forward`'s graph that differentiate it (their last input is its output). */
export function loopGradients(forward: Operation): Operation[] {
  const graph = forward.graph;
  let known = gradientsByGraph.get(graph);
  if (!known || known.version !== graph.version) {
    const byLoop = new Map<Readonly<Attrs>, Operation[]>();
    for (const op of graph.getOperations()) {
      if (op.type !== 'WhileGrad' || op.attrs.has_forward !== true) continue;
      const loop = op.inputs[op.inputs.length - 1]?.op;
      if (!loop) continue;
      const list = byLoop.get(loop.attrs);
      if (list) list.push(op);
      else byLoop.set(loop.attrs, [op]);
    }
    gradientsByGraph.set(graph, (known = { version: graph.version, byLoop }));
  }
  return known.byLoop.get(forward.attrs) ?? [];
}

const pinned = (op: Operation): boolean => /cpu/i.test(op.device);

/**
 * Why a differentiated loop keeps its record on the host: the loop or one of its gradients is placed on
 * the host with `tf.device`, so the CPU kernels record and walk it (a record is read where it is made).
 */
export function hostRecordReason(forward: Operation): string | undefined {
  if (pinned(forward)) return `its loop '${forward.name}' is placed with tf.device('${forward.device}')`;
  const onHost = loopGradients(forward).find(pinned);
  if (onHost) return `its gradient '${onHost.name}' is placed with tf.device('${onHost.device}')`;
  return undefined;
}
