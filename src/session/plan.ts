import type { StepKernel } from '../backends/backend';
import { DEFAULT_MAX_TENSOR_BYTES, shapeToString } from '../graph/shape';
import type { Operation } from '../graph/tensor';
import { fullDeviceName, parseDevice } from './devices/names';

/** One step of a compiled plan: run `op`'s kernel on the values in `inputSlots`. */
export interface PlanStep {
  op: Operation;
  kernel: StepKernel;
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
  /** Where the step runs (`'/cpu:1'`, `'/gpu:0'`), set by placement; unset: the backend's one device. */
  device?: string;
  /** Why it runs there where placement chose it over the op's own or the backend's default device. */
  reason?: string;
  /** What is sent to other devices right after the step (`%3 -> /cpu:1`, `token -> /cpu:0`). */
  sends?: string[];
}

/** The op type an elementwise-fusion step prints with its members: `FusedElementwise[Add+Mul]`. */
function stepTitle(op: Operation): string {
  const members = op.attrs.fused_ops;
  return Array.isArray(members) ? `${op.type}[${members.join('+')}]` : op.type;
}

/**
 * A compiled run, the one plan format of every backend: fed slots, ordered steps with their kernels
 * and devices (transfers between devices are steps too), the slots of the fetched tensors. One line
 * per step when printed, so tests can assert on what runs and where.
 */
export class ExecutionPlan {
  /** Most bytes one tensor of a run may take (the session's `maxTensorBytes`); checked before allocating. */
  maxTensorBytes = DEFAULT_MAX_TENSOR_BYTES;

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
    const fused = this.steps.filter((s) => Array.isArray(s.op.attrs.fused_ops)).length;
    const lines = [
      `ExecutionPlan (${this.backend}, ${this.steps.length} steps, ${this.slotCount} slots${fused ? `, ${fused} fused kernels` : ''})`,
    ];
    if (this.passes) lines.push(`  ${this.passes}`);
    this.steps.forEach((s, i) => {
      const outs = s.op.outputs.map((t) => `${t.dtype}${shapeToString(t.shape)}`).join(', ');
      const free = s.freeSlots.length ? `  free ${s.freeSlots.map((x) => `%${x}`).join(' ')}` : '';
      const at = s.device ? ` @${s.device}${s.reason ? ` (${s.reason})` : ''}` : '';
      const sends = s.sends?.length ? `  send ${s.sends.join(', ')}` : '';
      const slots = (xs: number[]) => xs.map((x) => `%${x}`).join(', ');
      lines.push(
        `${String(i).padStart(3)}: ${stepTitle(s.op)} '${s.op.name}'${at} (${slots(s.inputSlots)}) -> (${slots(s.outputSlots)}) ${outs}${free}${sends}`,
      );
    });
    return lines.join('\n');
  }

  /**
   * TF1's `log_device_placement` lines, one per step: `name: (Type): /job:localhost/replica:0/task:0/device:GPU:0`,
   * with the reason where placement overrode the default. Steps without a device run on `defaultDevice`.
   */
  placementLog(defaultDevice = '/cpu:0'): string {
    return this.steps
      .map((s) => {
        const spec = parseDevice(s.device ?? defaultDevice) ?? { type: 'CPU' as const, index: 0 };
        const name = fullDeviceName(spec.type, spec.index ?? 0);
        return `${s.op.name}: (${stepTitle(s.op)}): ${name}${s.reason ? ` (${s.reason})` : ''}`;
      })
      .join('\n');
  }
}
