import type { Backend } from '../backends/backend';
import { FailedPreconditionError, InvalidArgumentError, UnimplementedError } from '../errors';
import { shapeToString } from '../graph/shape';
import { Operation, Tensor } from '../graph/tensor';
import { ExecutionPlan, PlanStep } from './plan';
import { optimizeOps, passesEnabled, passSummary } from './passes';
import { placeSteps } from './passes/placement';
import { placeHostPlan } from './devices/placement';

export interface CompileOptions {
  /** The session's CPU devices ('/cpu:0' … '/cpu:N-1'), where host plans' steps may be placed. */
  cpuDevices?: number;
}

/**
 * Compiles a run, the one pipeline of every backend: prune to the ancestors of the fetches (stopping at
 * fed tensors) and order deterministically (creation order is a topological order); the passes
 * (no-op removal, constant folding, CSE, elementwise fusion); slots and kernels; placement on a device
 * backend's device with transfer steps; the memory plan (each buffer freed at its last use); then the
 * backend's `prepare` (e.g. compiling device kernels ahead of the first run).
 */
export function compilePlan(
  backend: Backend,
  targets: readonly (Tensor | Operation)[],
  fed: ReadonlySet<string>,
  options: CompileOptions = {},
): ExecutionPlan {
  const needed = new Set<Operation>();
  const stack: Operation[] = [];
  const need = (op: Operation): void => {
    if (!needed.has(op)) {
      needed.add(op);
      stack.push(op);
    }
  };
  for (const t of targets) {
    if (t instanceof Tensor) {
      if (!fed.has(t.key)) need(t.op);
    } else need(t);
  }
  while (stack.length) {
    const op = stack.pop() as Operation;
    const refs = op.def.refInputs;
    op.inputs.forEach((t, i) => {
      if (refs?.includes(i) || fed.has(t.key)) return;
      need(t.op);
    });
    for (const c of op.controlInputs) need(c);
  }
  const ordered = [...needed].sort((a, b) => a.id - b.id);

  const unfed = ordered.filter((op) => op.type === 'Placeholder');
  if (unfed.length) {
    throw new InvalidArgumentError(
      unfed
        .map((op) => {
          const t = op.outputs[0] as Tensor;
          return `You must feed a value for placeholder tensor '${op.name}' with dtype ${t.dtype}${t.shape === null ? '' : ` and shape ${shapeToString(t.shape)}`}\n\t [[node ${op.name} (defined at ${op.site}) ]]`;
        })
        .join('\n'),
    );
  }

  // The compile-time passes (src/session/passes: no-op removal, constant folding with the host
  // kernels, CSE, elementwise fusion) rewrite the op list, the same for every backend.
  let planOps: Operation[] = ordered;
  let passes: string | undefined;
  if (passesEnabled()) {
    const optimized = optimizeOps({ ops: ordered, fetches: targets, fed }, backend);
    planOps = optimized.ops;
    passes = passSummary(optimized.stats);
  }

  // Slots: one per fed tensor and per output of a planned op.
  const slotOf = new Map<string, number>();
  const feedSlots = new Map<string, number>();
  let slotCount = 0;
  for (const key of fed) feedSlots.set(key, (slotOf.set(key, slotCount), slotCount++));
  const steps: PlanStep[] = planOps.map((op) => {
    const kernel = backend.kernelFor(op);
    if (!kernel) {
      throw new UnimplementedError(
        `No kernel registered for op '${op.name}' (op type: ${op.type}) on backend '${backend.name}'`,
      );
    }
    const refs = op.def.refInputs;
    const inputSlots = op.inputs.map((t, i) => (refs?.includes(i) ? -1 : (slotOf.get(t.key) as number)));
    const outputSlots = op.outputs.map((t) => {
      if (fed.has(t.key)) return -1; // a fed output keeps the fed value
      slotOf.set(t.key, slotCount);
      return slotCount++;
    });
    const liveReads = op.inputs.map((t, i) =>
      t.op.type === 'VariableV2' && !refs?.includes(i) && !fed.has(t.key) ? t.op : undefined,
    );
    return {
      op,
      kernel,
      inputSlots,
      outputSlots,
      freeSlots: [],
      ...(liveReads.some(Boolean) ? { liveReads } : {}),
    };
  });

  const fetchSlots = targets.map((t) => (t instanceof Tensor ? (slotOf.get(t.key) ?? -1) : -1));
  // Placement: on a backend with a device besides the host, devices per step and transfers as steps;
  // on a host backend, the session's CPU devices (their sends are set up by src/session/devices).
  const placed = backend.placement
    ? placeSteps(steps, slotCount, backend.placement)
    : { steps, slotCount, transfers: 0 };
  if (backend.placement && passes !== undefined)
    passes += `; placement: ${placed.transfers} host-device transfers`;
  // The memory plan, last: each slot is freed right after its last reader.
  planFrees(placed.steps, new Set([...fetchSlots, ...feedSlots.values()]));

  const written = new Set(
    ordered.filter((op) => op.def.refInputs?.length).map((op) => (op.inputs[0] as Tensor).op),
  );
  const variablesRead = ordered.filter((op) => op.type === 'VariableV2' && !written.has(op));
  const plan = new ExecutionPlan(
    backend.name,
    placed.steps,
    feedSlots,
    fetchSlots,
    placed.slotCount,
    variablesRead,
    passes,
  );
  if (!backend.placement) placeHostPlan(plan, options.cpuDevices ?? 1);
  backend.prepare?.(plan);
  return plan;
}

/** Memory plan: free each slot right after its last reader; never feeds or fetches. */
export function planFrees(steps: PlanStep[], keep: ReadonlySet<number>): void {
  const lastUse = new Map<number, number>();
  steps.forEach((s, i) => {
    for (const slot of s.inputSlots) if (slot >= 0) lastUse.set(slot, i);
    for (const slot of s.outputSlots) if (slot >= 0 && !lastUse.has(slot)) lastUse.set(slot, i);
  });
  for (const [slot, i] of lastUse) if (!keep.has(slot)) (steps[i] as PlanStep).freeSlots.push(slot);
}

/** The TF1 error for reading variables that were never initialized in this session. */
export function uninitializedError(vars: readonly Operation[]): FailedPreconditionError {
  return new FailedPreconditionError(
    vars
      .map(
        (op) =>
          `Attempting to use uninitialized value ${op.name}\n\t [[node ${op.name} (defined at ${op.site}) ]]`,
      )
      .join('\n'),
  );
}
