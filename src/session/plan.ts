import type { Kernel } from '../backends/backend';
import { DEFAULT_MAX_TENSOR_BYTES, shapeToString } from '../graph/shape';
import type { Operation } from '../graph/tensor';

/** One step of a compiled plan: run `op`'s kernel on the values in `inputSlots`. */
export interface PlanStep {
  op: Operation;
  kernel: Kernel;
  inputSlots: number[];
  outputSlots: number[];
  /** Slots whose value is not needed after this step (the memory plan). */
  freeSlots: number[];
  /**
   * Per input: the variable op when the input is an unfed variable. Such inputs are read from the
   * variable store when this step runs, not when the variable op ran, so a read ordered after an assign
   * (by data or control dependencies) sees the assigned value, as in TF1.
   */
  liveReads?: (Operation | undefined)[];
}

/**
 * A compiled run: fed slots, ordered steps with their kernels, the slots of the fetched tensors. One line
 * per step when printed, so tests can assert on what runs.
 */
export class ExecutionPlan {
  /** Most bytes one tensor of a run may take (the session's `maxTensorBytes`); checked before allocating. */
  maxTensorBytes = DEFAULT_MAX_TENSOR_BYTES;
  /**
   * Set when the plan runs on several CPU devices: each step's device and what is sent after it
   * (`%slot -> /cpu:N`, tokens for control dependencies). Printed with the steps.
   */
  placement?: { device: string[]; sends: string[][] };

  constructor(
    readonly backend: string,
    readonly steps: readonly PlanStep[],
    /** Slot of each fed tensor, by tensor key. */
    readonly feedSlots: ReadonlyMap<string, number>,
    /** Slot per fetch leaf, or -1 for an Operation fetch. */
    readonly fetchSlots: readonly number[],
    readonly slotCount: number,
    /** Variable ops read by the plan that no assign in the plan writes. */
    readonly variablesRead: readonly Operation[],
    /** What the compile-time passes did (src/session/passes), printed under the header. */
    readonly passes?: string,
  ) {}

  toString(): string {
    const lines = [`ExecutionPlan (${this.backend}, ${this.steps.length} steps, ${this.slotCount} slots)`];
    if (this.passes) lines.push(`  ${this.passes}`);
    this.steps.forEach((s, i) => {
      const outs = s.op.outputs.map((t) => `${t.dtype}${shapeToString(t.shape)}`).join(', ');
      const free = s.freeSlots.length ? `  free ${s.freeSlots.map((x) => `%${x}`).join(' ')}` : '';
      const at = this.placement ? ` @${this.placement.device[i] ?? '?'}` : '';
      const sends = this.placement?.sends[i]?.length ? `  send ${this.placement.sends[i]?.join(', ')}` : '';
      lines.push(
        `${String(i).padStart(3)}: ${s.op.type} '${s.op.name}'${at} (${s.inputSlots.map((x) => `%${x}`).join(', ')}) -> (${s.outputSlots.map((x) => `%${x}`).join(', ')}) ${outs}${free}${sends}`,
      );
    });
    return lines.join('\n');
  }
}
