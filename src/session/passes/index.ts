/**
 * The compile-time passes, run by compile on the pruned, ordered op list of a run before slots and
 * kernels are assigned. Each pass is a pure function (ops in, new ops out; the graph is never touched)
 * with its own tests (tests/session/passes*.test.ts), and what each did is printed with the plan.
 *
 *   1. removeNoOps       Identity / StopGradient / Snapshot / same-shape Reshape
 *   2. foldConstants     pure ops on constants → Const (evaluated with the backend's own kernels)
 *   3. eliminateCommonSubexpressions   forward and backward together
 *   4. fuseElementwise   single-use float32 elementwise chains → one generated loop (CPU) or kernel (GPU)
 *
 * Then compile assigns slots and kernels, the placement pass (./placement.ts) places steps on a device
 * backend's device and inserts the transfers, and the memory plan (`planFrees`) frees each slot at its
 * last use.
 */
import type { Backend, HostBackend, RunState } from '../../backends/backend';
import { allocArray, DType } from '../../graph/dtype';
import { InvalidArgumentError } from '../../errors';
import type { Operation } from '../../graph/tensor';
import type { NDArray } from '../../ndarray';
import type { InferContext } from '../../ops/op_def';
import { Evaluate, foldConstants } from './constant_folding';
import { eliminateCommonSubexpressions } from './cse';
import { fuseElementwise } from './fusion';
import { removeNoOps } from './noop_removal';
import type { PassInput, PassStat } from './rewrite';

export { foldConstants } from './constant_folding';
export type { Evaluate, FoldOptions } from './constant_folding';
export { eliminateCommonSubexpressions } from './cse';
export { fuseElementwise, fusedDef, FUSED_TYPE } from './fusion';
export type { FusionOptions } from './fusion';
export { removeNoOps } from './noop_removal';
export { BufferPool } from '../../backends/cpu/buffer_pool';
export type { PassInput, PassResult, PassStat } from './rewrite';

export interface PassOptions {
  /** Each pass can be switched off (all on by default). */
  noopRemoval?: boolean;
  constantFolding?: boolean;
  cse?: boolean;
  fusion?: boolean;
  /** Folding evaluates ops with this (default: the backend's folding backend via `backendEvaluator`). */
  evaluate?: Evaluate;
}

let enabled = process.env.TENSORGRAPH_PASSES !== '0';

/** Whether compile runs the passes (default on; TENSORGRAPH_PASSES=0 or setPassesEnabled(false) turns them off). */
export function passesEnabled(): boolean {
  return enabled;
}

/** Turns the compile-time passes on or off for plans compiled from now on (benchmarks, debugging). */
export function setPassesEnabled(on: boolean): void {
  enabled = on;
}

export interface OptimizedOps {
  ops: Operation[];
  stats: PassStat[];
}

/** Runs the passes in order on a pruned, ordered op list. */
export function optimizeOps(input: PassInput, backend: Backend, options: PassOptions = {}): OptimizedOps {
  const stats: PassStat[] = [];
  let ops = [...input.ops];
  const step = (run: (i: PassInput) => { ops: Operation[]; stat: PassStat }): void => {
    const r = run({ ops, fetches: input.fetches, fed: input.fed });
    ops = r.ops;
    stats.push(r.stat);
  };
  if (options.noopRemoval !== false) step(removeNoOps);
  const folder = backend.foldingBackend;
  if (options.constantFolding !== false && (options.evaluate || folder)) {
    const evaluate = options.evaluate ?? backendEvaluator(folder as HostBackend);
    step((i) => foldConstants(i, evaluate));
  }
  if (options.cse !== false) step(eliminateCommonSubexpressions);
  if (options.fusion !== false && backend.fuse !== false)
    step((i) => fuseElementwise(i, { roundFloat32: !backend.float64, maxInputs: backend.maxFusedInputs }));
  return { ops, stats };
}

/** One line for the printed plan: `passes: 2 no-op identities/reshapes removed; …`. */
export function passSummary(stats: readonly PassStat[]): string {
  return `passes: ${stats.map((s) => s.summary).join('; ')}`;
}

const noState: RunState = {
  readVariable: () => {
    throw new Error('constant folding cannot read variables');
  },
  writeVariable: () => {
    throw new Error('constant folding cannot write variables');
  },
  random: () => {
    throw new Error('constant folding cannot draw random numbers');
  },
};

/** Evaluates a pure op on constant inputs with `backend`'s kernel (run-time shape inference included). */
export function backendEvaluator(backend: HostBackend): Evaluate {
  return (op: Operation, inputs: NDArray[]): NDArray[] => {
    const kernel = backend.hostKernelFor(op);
    if (!kernel) throw new Error(`no kernel for ${op.type}`);
    const ctx: InferContext = {
      type: op.type,
      name: op.name,
      shapes: inputs.map((x) => x.shape),
      dtypes: inputs.map((x) => x.dtype),
      attrs: op.attrs,
      runtime: true,
      value: (i) => inputs[i],
      fail: (message) => {
        throw new InvalidArgumentError(message);
      },
    };
    const outputs = op.def.infer(ctx).map((s) => {
      if (s.shape === null || s.shape.some((d) => d === null)) throw new Error('no concrete shape');
      return { shape: s.shape as number[], dtype: s.dtype };
    });
    return kernel(inputs, {
      op,
      attrs: op.attrs,
      outputs,
      state: noState,
      alloc: (dtype: DType, size: number) => allocArray(dtype, size, backend.float64),
    });
  };
}
