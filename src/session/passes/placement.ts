/**
 * The placement pass for a backend with a device besides the host (the GPU): every step gets the device
 * the backend places its op on (`'/gpu:0'`, or the host `'/cpu:0'` with the reason), and where a value is
 * needed on the other side a transfer step copies it across (`_HostToDevice` / `_DeviceToHost`, TF's
 * send/recv pair). Each value moves at most once per run in each direction. The steps keep the plan's
 * order; the memory plan is recomputed by the caller afterwards. A pure function: the input plan is not
 * changed.
 */
import type { DevicePlacement, StepKernel } from '../../backends/backend';
import type { DType } from '../../graph/dtype';
import { Operation, Tensor } from '../../graph/tensor';
import type { OpDef } from '../../ops/op_def';
import type { PlanStep } from '../plan';

/** The host's device name in placed plans. */
export const HOST_DEVICE = '/cpu:0';

export interface PlacedSteps {
  steps: PlanStep[];
  slotCount: number;
  /** Host↔device copies inserted. */
  transfers: number;
}

export function placeSteps(
  steps: readonly PlanStep[],
  slotCount: number,
  placement: DevicePlacement,
): PlacedSteps {
  const where = new Map<number, 'device' | 'host'>(); // every slot's location (feeds: host)
  const moved = new Map<string, number>(); // `${slot}>${location}` → the slot holding the moved value
  const out: PlanStep[] = [];
  let transfers = 0;
  for (const step of steps) {
    const op = step.op;
    const pl = placement.place(op);
    const inputSlots = step.inputSlots.map((slot, k) => {
      if (slot < 0) return slot;
      const need = pl.need(k);
      const have = where.get(slot) ?? 'host';
      if (need === 'any' || need === have) return slot;
      const key = `${slot}>${need}`;
      let to = moved.get(key);
      if (to === undefined) {
        to = slotCount++;
        moved.set(key, to);
        where.set(to, need);
        const t = op.inputs[k] as Tensor;
        out.push(transferStep(op, t, slot, to, need, placement));
        transfers++;
      }
      return to;
    });
    const onDevice = pl.device !== HOST_DEVICE;
    for (const slot of step.outputSlots) if (slot >= 0) where.set(slot, onDevice ? 'device' : 'host');
    out.push({
      ...step,
      kernel: pl.kernel,
      inputSlots,
      outputSlots: step.outputSlots.slice(),
      freeSlots: [],
      device: pl.device,
      ...(pl.reason !== undefined ? { reason: pl.reason } : {}),
    });
  }
  return { steps: out, slotCount, transfers };
}

/** A host↔device copy, as a pseudo-op `_HostToDevice` / `_DeviceToHost` (TF's _Send/_Recv pair). */
function transferStep(
  consumer: Operation,
  t: Tensor,
  from: number,
  to: number,
  need: 'device' | 'host',
  placement: DevicePlacement,
): PlanStep {
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
  const kernel: StepKernel = placement.transfer(need);
  return {
    op,
    kernel,
    inputSlots: [from],
    outputSlots: [to],
    freeSlots: [],
    device: need === 'device' ? placement.device : HOST_DEVICE,
    ...(need === 'host' ? { reason: 'read back for a host op' } : {}),
  };
}
