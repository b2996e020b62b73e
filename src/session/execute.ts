import type { Backend, KernelContext, RunState } from '../backends/backend';
import { allocArray, DType } from '../graph/dtype';
import { TensorGraphError, InvalidArgumentError } from '../errors';
import type { Operation } from '../graph/tensor';
import type { NDArray } from '../ndarray';
import type { InferContext } from '../ops/op_def';
import type { ExecutionPlan, PlanStep } from './plan';

type Concrete = { shape: number[]; dtype: DType }[];

/** Per-step cache of concrete output specs, keyed by the input shapes (skipped for value-dependent ops). */
const specCache = new WeakMap<PlanStep, { shapes: number[][]; outputs: Concrete }>();

/** Runs a compiled plan; returns the value of every slot that is fetched. Errors name the failing node. */
export function executePlan(
  plan: ExecutionPlan,
  backend: Backend,
  feeds: ReadonlyMap<string, NDArray>,
  state: RunState,
): (NDArray | undefined)[] {
  const slots: (NDArray | undefined)[] = new Array(plan.slotCount);
  for (const [key, slot] of plan.feedSlots) slots[slot] = feeds.get(key);
  const alloc = (dtype: DType, size: number) => allocArray(dtype, size, backend.float64);
  for (const step of plan.steps) {
    const inputs = step.inputSlots.map((s) => (s >= 0 ? (slots[s] as NDArray) : (undefined as unknown as NDArray)));
    try {
      const outputs = concreteOutputs(step, inputs);
      const ctx: KernelContext = { op: step.op, attrs: step.op.attrs, outputs, state, alloc };
      const results = step.kernel(inputs, ctx);
      step.outputSlots.forEach((slot, i) => {
        if (slot >= 0) slots[slot] = results[i];
      });
    } catch (e) {
      throw annotate(e, step.op);
    }
    for (const s of step.freeSlots) slots[s] = undefined;
  }
  return plan.fetchSlots.map((s) => (s >= 0 ? slots[s] : undefined));
}

function concreteOutputs(step: PlanStep, inputs: NDArray[]): Concrete {
  const op = step.op;
  // Control-flow ops learn their output shapes by running their sub-graphs (OpDef.shapesFromKernel).
  if (op.def.shapesFromKernel) return [];
  // Ref inputs (variables written by assign ops) are not read: their static shape stands in.
  const shapes = inputs.map((x, i) => (x ? x.shape : ((op.inputs[i]?.shape ?? []) as number[])));
  const cached = specCache.get(step);
  if (cached && sameShapes(cached.shapes, shapes)) return cached.outputs;
  let usedValues = false;
  const ctx: InferContext = {
    type: op.type,
    name: op.name,
    shapes,
    dtypes: inputs.map((x, i) => (x ? x.dtype : (op.inputs[i]?.dtype ?? 'float32'))),
    attrs: op.attrs,
    runtime: true,
    value: (i) => {
      usedValues = true;
      return inputs[i];
    },
    fail: (message) => {
      throw new InvalidArgumentError(message);
    },
  };
  const specs = op.def.infer(ctx);
  const outputs = specs.map((s, i) => {
    if (s.shape === null || s.shape.some((d) => d === null)) {
      throw new InvalidArgumentError(`Output ${i} of ${op.type} has no concrete shape at run time`);
    }
    return { shape: s.shape as number[], dtype: s.dtype };
  });
  if (!usedValues) specCache.set(step, { shapes, outputs });
  return outputs;
}

function sameShapes(a: number[][], b: number[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number[];
    const y = b[i] as number[];
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}

/** Adds TF1's node trailer (name, type, where it was created) to an error raised while running `op`. */
function annotate(e: unknown, op: Operation): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.message.includes('[[node ')) return err;
  const trailer = `\n\t [[node ${op.name} (op: ${op.type}, defined at ${op.site}) ]]`;
  const Ctor = err instanceof TensorGraphError ? (err.constructor as new (m: string) => Error) : InvalidArgumentError;
  const wrapped = new Ctor(err.message + trailer);
  wrapped.stack = `${wrapped.name}: ${wrapped.message}\n${err.stack?.split('\n').slice(1).join('\n') ?? ''}`;
  return wrapped;
}
