import type { RunState, SlotValue } from '../backend';
import { isDeviceValue, kernelTable } from '../backend';
import type { DType } from '../../graph/dtype';
import type { Attrs, Operation } from '../../graph/tensor';
import type { FuncDef } from '../../graph/func_graph';
import { NDArray } from '../../ndarray';
import type { GpuRuntime, Program } from './runtime';
import { GpuTensor } from './tensor';

/** What a GPU kernel is given besides its inputs. */
export interface GpuKernelContext {
  readonly op: Operation;
  readonly attrs: Readonly<Attrs>;
  /** Concrete output shapes and dtypes, from the op's shape function. */
  readonly outputs: readonly { shape: number[]; dtype: DType }[];
  readonly rt: GpuRuntime;
  /** Variable storage; values are GpuTensors or (for variables written on the host) NDArrays. */
  readonly state: RunState<SlotValue>;
  /** Runs a program over device tensors; an empty output gives an empty tensor without a launch. */
  run(p: Program, inputs: readonly GpuTensor[], shape: number[], dtype: DType): GpuTensor;
  /** Copies a host array to the device. */
  upload(x: NDArray): GpuTensor;
  /** A variable's value on the device (uploaded once and stored back if it was on the host). Borrowed. */
  variable(op: Operation): GpuTensor;
  /** A per-session cached device value for `op` (made once by `make`); returns a new reference. */
  constant(op: Operation, make: () => GpuTensor): GpuTensor;
  /**
   * Runs a traced function (a cond branch, a loop's condition or body) on this backend, sharing the
   * run's state: arguments stay where they are (device values are not read back), results are new
   * references the caller owns; then the values of the function's `extra` tensors, when asked for.
   */
  callFunction(
    def: FuncDef,
    args: SlotValue[],
    extra?: readonly string[],
  ): SlotValue[] | Promise<SlotValue[]>;
  /** Reads a value back to the host (a Promise in asynchronous modes). */
  read(v: SlotValue): NDArray | Promise<NDArray>;
  /** Runs the op's CPU kernel on host copies of `inputs` (the host placement, chosen at run time). */
  onHost(inputs: SlotValue[]): SlotValue[] | Promise<SlotValue[]>;
}

/**
 * How an op runs on the GPU backend: its entry in the backend's kernel table (`registerKernel('gpu',
 * type, spec)`). Every op type has one entry (no silent fallback): either `run`, a gpu.js implementation
 * with the kernel signature `(inputs, ctx) => outputs`, or `host`, a declared reason to run the CPU kernel
 * on the host (shown by `logDevicePlacement` and the plan). `hostWhen` declares host placement for some
 * instances only.
 */
export type GpuKernelSpec = GpuKernelPlacement &
  (
    | { run: GpuRun; host?: undefined }
    | { host: string; run?: undefined; hostWhen?: undefined; hostInputs?: undefined }
  );

interface GpuKernelPlacement {
  /** Runs on the host for these instances (returns the reason), on the GPU otherwise. */
  hostWhen?: (op: Operation) => string | undefined;
  /** Inputs the GPU kernel reads on the host (small integer parameters); they are never uploaded. */
  hostInputs?: InputSet;
  /** Inputs of which only the shape is used: they stay wherever they are. */
  shapeInputs?: InputSet;
}

declare module '../backend' {
  interface KernelEntries {
    gpu: GpuKernelSpec;
  }
}

/** Input positions: a list (negative counts from the end) or a test. */
export type InputSet = readonly number[] | ((input: number, op: Operation) => boolean);

export function inSet(set: InputSet | undefined, input: number, op: Operation): boolean {
  if (!set) return false;
  if (typeof set === 'function') return set(input, op);
  const n = op.inputs.length;
  return set.some((k) => (k < 0 ? k + n : k) === input);
}

/** A GPU kernel: returns the outputs, or their Promise (control flow in asynchronous modes). */
export type GpuRun = (inputs: SlotValue[], ctx: GpuKernelContext) => SlotValue[] | Promise<SlotValue[]>;

const table = kernelTable('gpu');

export function gpuKernelSpec(type: string): GpuKernelSpec | undefined {
  return table.get(type);
}

/** Op types with a GPU kernel entry (formula-defined ops are covered by the elementwise compiler). */
export function gpuKernelTypes(): string[] {
  return [...table.keys()].sort();
}

/** Why int32-only ops stay on the host (TF likewise keeps int32 tensors in host memory). */
export const INT32_HOST =
  'int32 op: computed exactly on the host (float32 GPU storage is exact only below 2^24)';

/**
 * True for ops whose inputs and outputs are all int32 or bool, with at least one int32 (counters and
 * their comparisons: a loop's `i < n` then runs where `i` lives, with no read-back of its predicate).
 */
export function isIntegerOp(op: Operation): boolean {
  const exact = (t: { dtype: string }) => t.dtype === 'int32' || t.dtype === 'bool';
  return (
    op.outputs.length > 0 &&
    op.outputs.every(exact) &&
    op.inputs.every(exact) &&
    [...op.inputs, ...op.outputs].some((t) => t.dtype === 'int32')
  );
}

export function asGpu(v: SlotValue | undefined, what = 'input'): GpuTensor {
  if (!(v instanceof GpuTensor)) throw new Error(`internal: GPU kernel ${what} is not on the device`);
  return v;
}

export function asHost(v: SlotValue | undefined, what = 'input'): NDArray {
  if (isDeviceValue(v) || !(v instanceof NDArray))
    throw new Error(`internal: GPU kernel ${what} is not on the host`);
  return v;
}

/** The integers of a small host parameter input (an axis, a shape, begin/size, …). */
export function ints(v: SlotValue | undefined): number[] {
  return Array.from(asHost(v).data);
}
