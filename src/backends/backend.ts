import type { DType, TypedArray } from '../graph/dtype';
import type { Attrs, Operation } from '../graph/tensor';
import type { NDArray } from '../ndarray';
import type { Random } from '../util/random';

/** Per-run services a kernel may use: variable storage (stateful ops) and the op's random stream. */
export interface RunState {
  readVariable(op: Operation): NDArray;
  writeVariable(op: Operation, value: NDArray): void;
  random(op: Operation): Random;
}

/** What a kernel is given besides its input values. */
export interface KernelContext {
  readonly op: Operation;
  readonly attrs: Readonly<Attrs>;
  /** Concrete output shapes and dtypes, from the op's shape function. */
  readonly outputs: readonly { shape: number[]; dtype: DType }[];
  readonly state: RunState;
  /** Allocates an output buffer (Float64Array for float32 in the CPU backend's float64 mode). */
  alloc(dtype: DType, size: number): TypedArray;
}

/** A kernel computes an op's outputs; it never mutates or frees its inputs (the session owns lifetimes). */
export type Kernel = (inputs: NDArray[], ctx: KernelContext) => NDArray[];

/** A backend: a name and its kernels by op type. Elementwise ops are compiled from their formulas. */
export interface Backend {
  readonly name: string;
  /** Float32 tensors are computed in float64 (CPU test mode for numeric gradient checks). */
  readonly float64: boolean;
  /** Why this backend/mode was chosen (shown as `session.backendInfo`). */
  readonly info: string;
  /** The kernel for an op, or undefined when the backend has none. */
  kernelFor(op: Operation): Kernel | undefined;
}

const kernelTables = new Map<string, Map<string, Kernel>>();

/** Registers `kernel` for op `type` on backend `backend` (kernels live in src/backends/<name>/kernels). */
export function registerKernel(backend: string, type: string, kernel: Kernel): void {
  let table = kernelTables.get(backend);
  if (!table) kernelTables.set(backend, (table = new Map()));
  if (table.has(type)) throw new Error(`Kernel ${type} is registered twice for backend ${backend}`);
  table.set(type, kernel);
}

export function kernelTable(backend: string): ReadonlyMap<string, Kernel> {
  return kernelTables.get(backend) ?? new Map();
}
