import type { KernelContext, Need, RunState, SlotValue } from '../backend';
import { allocArray } from '../../graph/dtype';
import { isFullyDefined, sizeOf } from '../../graph/shape';
import { NDArray } from '../../ndarray';
import type { ExecutionPlan, PlanStep } from '../../session/plan';
import type { GpuRuntime } from './runtime';
import { GpuTensor } from './tensor';

const noState: RunState<SlotValue> = {
  readVariable: () => {
    throw new Error('precompile reads no variables');
  },
  writeVariable: () => {
    throw new Error('precompile writes no variables');
  },
  random: () => {
    throw new Error('precompile draws no random numbers');
  },
};

/**
 * Compiles a plan's kernels with the plan: every GPU step whose shapes are all known statically (and
 * whose host parameters are constants) runs once in the runtime's compile-only mode, on zero stand-ins,
 * which builds each kernel it would launch. Steps with unknown dims (a placeholder's batch size) compile
 * on their first run instead; either way kernels are cached, so the second run compiles nothing.
 * Returns the number of steps precompiled.
 */
export function precompilePlan(
  plan: ExecutionPlan,
  rt: GpuRuntime,
  need: (step: PlanStep, input: number) => Need,
): number {
  let done = 0;
  rt.precompile(() => {
    const constants = new Map<number, NDArray>();
    for (const step of plan.steps) {
      const op = step.op;
      if (op.type === 'Const') {
        constants.set(step.outputSlots[0] as number, op.attrs.value as NDArray);
        continue;
      }
      // Host steps, read-backs and stateful ops (variables, assignments) have nothing to precompile.
      // Control flow (If/While/WhileGrad: shapes from their kernels) runs nested plans: never here.
      if (
        step.device !== '/gpu:0' ||
        op.def.stateful ||
        op.def.shapesFromKernel ||
        op.type === '_DeviceToHost'
      )
        continue;
      if (
        !op.inputs.every((t) => isFullyDefined(t.shape)) ||
        !op.outputs.every((t) => isFullyDefined(t.shape))
      )
        continue;
      const upload = op.type === '_HostToDevice';
      const inputs: (SlotValue | undefined)[] = [];
      let ok = true;
      step.inputSlots.forEach((slot, k) => {
        if (slot < 0) return void inputs.push(undefined);
        const t = op.inputs[k];
        if (!t) return void (ok = false);
        const shape = t.shape as number[];
        const where = upload ? 'host' : need(step, k);
        if (upload) {
          inputs.push(new NDArray(allocArray(t.dtype, sizeOf(shape)), shape.slice(), t.dtype));
        } else if (where === 'host') {
          const v = constants.get(slot);
          if (v) inputs.push(v);
          else ok = false;
        } else {
          const n = sizeOf(shape);
          const buffer = where === 'device' && n > 0 ? rt.dummy(n) : null;
          inputs.push(new GpuTensor(buffer, shape.slice(), t.dtype));
        }
      });
      if (!ok) continue;
      const ctx: KernelContext<SlotValue> = {
        op,
        attrs: op.attrs,
        outputs: op.outputs.map((t) => ({ shape: t.shape as number[], dtype: t.dtype })),
        state: noState,
        alloc: (dtype, size) => allocArray(dtype, size),
      };
      try {
        const outs = step.kernel(inputs as SlotValue[], ctx);
        if (Array.isArray(outs)) for (const o of outs) if (o instanceof GpuTensor) o.release();
        done++;
      } catch {
        // Whatever fails here (a bad parameter, …) fails the same way on the first run, which reports
        // it with the node's name; compiling ahead is only an optimization.
      }
    }
  });
  return done;
}
