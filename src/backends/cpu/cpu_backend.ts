import { HostBackend, hostStep, Kernel, kernelTable, KernelContext, StepKernel } from '../backend';
import type { Operation } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { sizeOf } from '../../graph/shape';
import { CpuStorage } from './storage';
import { compileElementwise, ElementwiseLoop } from './elementwise';

export interface CpuBackendOptions {
  /**
   * Compute float32 tensors in float64 (Float64Array storage). Used by the numeric gradient checks in
   * the tests; results are not float32-rounded.
   */
  float64?: boolean;
}

/**
 * The CPU backend: kernels on typed arrays, registered by op type in `./kernels`; elementwise ops are
 * compiled from their formulas into one JS loop each.
 */
export function createCpuBackend(options: CpuBackendOptions = {}): HostBackend {
  const float64 = options.float64 ?? false;
  const table = kernelTable('cpu');
  const hostKernelFor = (op: Operation): Kernel | undefined =>
    table.get(op.type) ?? (op.def.elementwise ? elementwiseKernel : undefined);
  const backend: HostBackend = {
    name: 'cpu',
    float64,
    info: float64 ? 'CPU (float64 reference mode)' : 'CPU (JavaScript kernels on typed arrays)',
    threadDevices: true,
    hostKernelFor,
    // The float64 reference mode keeps fed JS numbers exact (Float64Array storage for float32).
    ...(float64 ? { adoptFeed: (value: NDArray) => value } : {}),
    kernelFor(op: Operation): StepKernel | undefined {
      const kernel = hostKernelFor(op);
      return kernel && hostStep(kernel);
    },
    get foldingBackend(): HostBackend {
      return backend;
    },
    createStorage: (opts = {}) => new CpuStorage(float64, opts.pool !== false),
  };
  return backend;
}

const loops = new WeakMap<Operation, { key: string; loop: ElementwiseLoop }>();

/** Runs any formula-defined op: one generated loop per (op, input shapes), broadcasting included. */
const elementwiseKernel: Kernel = (inputs: NDArray[], ctx: KernelContext): NDArray[] => {
  const op = ctx.op;
  const out = ctx.outputs[0] as { shape: number[]; dtype: NDArray['dtype'] };
  const key = inputs.map((x) => x.shape.join('x')).join(';');
  let entry = loops.get(op);
  if (!entry || entry.key !== key) {
    const spec = op.def.elementwise as NonNullable<Operation['def']['elementwise']>;
    const loop = compileElementwise(
      spec.formula(op.attrs),
      spec.vars(op.attrs),
      inputs.map((x) => x.shape),
      out.shape,
    );
    entry = { key, loop };
    loops.set(op, entry);
  }
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  entry.loop(
    inputs.map((x) => x.data),
    data,
  );
  return [new NDArray(data, out.shape, out.dtype)];
};
