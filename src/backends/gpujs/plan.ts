import type { DeviceKernel, Kernel } from '../backend';
import type { DType } from '../../graph/dtype';
import { shapeToString } from '../../graph/shape';
import { Operation, Tensor } from '../../graph/tensor';
import type { OpDef } from '../../ops/op_def';
import { planFrees } from '../../session/compile';
import { ExecutionPlan, PlanStep } from '../../session/plan';
import { fuse } from './fusion';

/** Where a step runs: the GPU, or the host (a declared reason, or a transfer). */
export type Device = 'GPU' | 'CPU';

/** A step of a GPU plan: its device and, for host steps, why; fused steps list their member ops. */
export interface GpuStep extends PlanStep {
  device: Device;
  reason?: string;
  fused?: readonly Operation[];
  /** An elementwise GPU step that fusion may merge. */
  fusible?: boolean;
}

/** Where each input of a placed op must be: on the device, on the host, or anywhere (shape only). */
export type Need = 'device' | 'host' | 'any';

/** What the backend decided for one op. */
export interface Placement {
  device: Device;
  reason?: string;
  need(input: number): Need;
  /** The step function (inputs already where `need` says). */
  kernel: DeviceKernel;
  /** Elementwise GPU ops can be fused with their neighbours. */
  fusible: boolean;
}

/** The backend services the plan compiler uses. */
export interface PlanServices {
  place(op: Operation): Placement;
  transfer(to: 'device' | 'host'): DeviceKernel;
  /** The step function of a fused group (members in plan order, the last is the root; `literals`: inlined scalar constants by tensor key). */
  fusedKernel(
    members: readonly Operation[],
    leaves: readonly Tensor[],
    literals: ReadonlyMap<string, number>,
  ): DeviceKernel;
  /** Largest number of tensor arguments one kernel may take. */
  maxArgs: number;
  /** Whether elementwise fusion is on. */
  fuse: boolean;
}

/**
 * A compiled GPU plan: the generic plan rewritten with placement, host↔device transfer steps (each
 * value moves at most once per run), fused elementwise groups, and a new memory plan. `toString()`
 * shows every step's device.
 */
export class GpuExecutionPlan extends ExecutionPlan {
  override toString(): string {
    const steps = this.steps as readonly GpuStep[];
    const fused = steps.filter((s) => s.fused).length;
    const lines = [
      `ExecutionPlan (${this.backend}, ${steps.length} steps, ${this.slotCount} slots, ${fused} fused kernels)`,
    ];
    if (this.passes) lines.push(`  ${this.passes}`);
    steps.forEach((s, i) => {
      const outs = s.op.outputs.map((t) => `${t.dtype}${shapeToString(t.shape)}`).join(', ');
      const free = s.freeSlots.length ? `  free ${s.freeSlots.map((x) => `%${x}`).join(' ')}` : '';
      const what = s.fused ? `Fused[${s.fused.map((m) => m.type).join('+')}]` : s.op.type;
      const where = s.device === 'GPU' ? 'GPU' : `CPU${s.reason ? ` (${s.reason})` : ''}`;
      lines.push(
        `${String(i).padStart(3)}: ${what} '${s.op.name}' (${s.inputSlots.map((x) => `%${x}`).join(', ')}) -> (${s.outputSlots.map((x) => `%${x}`).join(', ')}) ${outs} @${where}${free}`,
      );
    });
    return lines.join('\n');
  }

  /** TF1's log_device_placement lines: `name: (Type): /device:GPU:0`. */
  placementLog(): string {
    return (this.steps as readonly GpuStep[])
      .map((s) => {
        const dev = s.device === 'GPU' ? '/device:GPU:0' : '/device:CPU:0';
        const what = s.fused ? `Fused[${s.fused.map((m) => m.name).join(', ')}]` : s.op.type;
        return `${s.op.name}: (${what}): ${dev}${s.reason ? ` (${s.reason})` : ''}`;
      })
      .join('\n');
  }
}

/** Rewrites a generic plan for the GPU (see GpuExecutionPlan). */
export function compileGpuPlan(plan: ExecutionPlan, svc: PlanServices): GpuExecutionPlan {
  let slotCount = plan.slotCount;
  const where = new Map<number, 'device' | 'host'>(); // every slot's location (feeds: host)
  const tensorOf = new Map<number, Tensor>();
  const moved = new Map<string, number>(); // `${slot}>${location}` → the slot holding the moved value
  const steps: GpuStep[] = [];

  for (const step of plan.steps) {
    const op = step.op;
    const pl = svc.place(op);
    const inputSlots = step.inputSlots.map((slot, k) => {
      if (slot < 0) return slot;
      const t = op.inputs[k] as Tensor;
      tensorOf.set(slot, t);
      const need = pl.need(k);
      const have = where.get(slot) ?? 'host';
      if (need === 'any' || need === have) return slot;
      const key = `${slot}>${need}`;
      let to = moved.get(key);
      if (to === undefined) {
        to = slotCount++;
        moved.set(key, to);
        tensorOf.set(to, t);
        where.set(to, need);
        steps.push(transferStep(op, t, slot, to, need, svc.transfer(need)));
      }
      return to;
    });
    step.outputSlots.forEach((slot, k) => {
      if (slot < 0) return;
      where.set(slot, pl.device === 'GPU' ? 'device' : 'host');
      tensorOf.set(slot, op.outputs[k] as Tensor);
    });
    steps.push({
      op,
      kernel: pl.kernel as unknown as Kernel,
      inputSlots,
      outputSlots: step.outputSlots.slice(),
      freeSlots: [],
      device: pl.device,
      reason: pl.reason,
      fusible: pl.fusible,
    });
  }

  const fetches = new Set(plan.fetchSlots.filter((s) => s >= 0));
  const fusedSteps = svc.fuse ? fuse(steps, fetches, tensorOf, svc) : steps;
  planFrees(fusedSteps, new Set([...fetches, ...plan.feedSlots.values()]));
  return new GpuExecutionPlan(
    plan.backend,
    fusedSteps,
    plan.feedSlots,
    plan.fetchSlots,
    slotCount,
    plan.variablesRead,
    plan.passes,
  );
}

/** A host↔device copy, as a pseudo-op `_HostToDevice` / `_DeviceToHost` (TF's _Send/_Recv pair). */
function transferStep(
  consumer: Operation,
  t: Tensor,
  from: number,
  to: number,
  need: 'device' | 'host',
  kernel: DeviceKernel,
): GpuStep {
  const type = need === 'device' ? '_HostToDevice' : '_DeviceToHost';
  const def: OpDef = {
    type,
    infer: (ctx) => [{ shape: ctx.shapes[0] ?? null, dtype: ctx.dtypes[0] as DType }],
    grad: 'none',
  };
  const op = new Operation(
    t.graph,
    -1,
    `${t.op.name}/${type}`,
    type,
    [t],
    {},
    [],
    def,
    consumer.device,
    consumer.site,
  );
  op.outputs = [new Tensor(op, 0, t.shape, t.dtype)];
  return {
    op,
    kernel: kernel as unknown as Kernel,
    inputSlots: [from],
    outputSlots: [to],
    freeSlots: [],
    device: need === 'device' ? 'GPU' : 'CPU',
    reason: need === 'device' ? undefined : 'read back for a host op',
  };
}
