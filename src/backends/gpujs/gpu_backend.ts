import type {
  Backend,
  DevicePlacement,
  HostBackend,
  KernelContext,
  Need,
  OpPlacement,
  RunState,
  SlotStorage,
  SlotValue,
  StepKernel,
  Storage,
  TransferStats,
} from '../backend';
import { createCpuBackend } from '../cpu';
import { FailedPreconditionError } from '../../errors';
import { allocArray, DType } from '../../graph/dtype';
import { sizeOf } from '../../graph/shape';
import type { Operation } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import type { ExecutionPlan } from '../../session/plan';
import { elementwiseProgram, readsInput } from './kernels/elementwise';
import { chooseMode, ModeChoice, probeWebGPU, runtimeFor } from './modes';
import { precompilePlan } from './precompile';
import { GpuKernelContext, gpuKernelSpec, GpuRun, inSet, INT32_HOST, isIntegerOp } from './registry';
import type { GpuMode, GpuRuntime, Program } from './runtime';
import { GpuTensor } from './tensor';

export interface GpuBackendOptions {
  /** Force a gpu.js mode (default: the best available one, see modes.ts). */
  mode?: GpuMode;
  /** Fuse chains of elementwise ops into one kernel (default true). */
  fuse?: boolean;
  /** Run every kernel under gpu.js's asynchronous contract (WebGPU always does); needs `runAsync`. */
  asyncKernels?: boolean;
}

/**
 * The GPU backend on gpu.js: every op has a gpu.js kernel (or a declared reason to run on the host);
 * intermediates stay on the device as gpu.js pipeline textures/buffers, feeds are uploaded once per
 * run, variables stay on the device across runs, and only fetched values are read back. One instance
 * per session; compiled kernels are shared per mode (see modes.ts).
 */
export class GpuBackend implements Backend, DevicePlacement {
  readonly name = 'gpu';
  readonly float64 = false;
  /** The device of GPU steps (transfers and host steps are `'/cpu:0'`). */
  readonly device = '/gpu:0';
  /** Largest number of tensor arguments one fused kernel takes. */
  readonly maxFusedInputs = 15;
  readonly fuse: boolean;
  private choice: ModeChoice | undefined;
  private runtime: GpuRuntime | undefined;
  private readonly cpu = createCpuBackend();
  /** Constants are folded with the float32 CPU kernels (see compilePlan's passes). */
  get foldingBackend(): HostBackend {
    return this.cpu;
  }
  private readonly constants = new Map<Operation, GpuTensor>();
  private readonly placements = new WeakMap<Operation, OpPlacement>();
  private closed = false;

  constructor(private readonly options: GpuBackendOptions = {}) {
    this.fuse = options.fuse ?? true;
    if (options.mode === undefined || options.mode === 'webgpu') void probeWebGPU();
  }

  /** What runs and why (resolving the mode now if no run has). */
  get info(): string {
    return this.resolve(false).choice.reason;
  }

  /** The gpu.js mode in use. */
  get mode(): GpuMode {
    return this.resolve(false).runtime.mode;
  }

  get rt(): GpuRuntime {
    return this.resolve(false).runtime;
  }

  private resolve(allowAsync: boolean): { choice: ModeChoice; runtime: GpuRuntime } {
    if (!this.choice || !this.runtime) {
      this.choice = chooseMode(this.options.mode, allowAsync);
      this.runtime = runtimeFor(this.choice.mode, this.options.asyncKernels === true);
    }
    return { choice: this.choice, runtime: this.runtime };
  }

  async prepareAsync(): Promise<void> {
    if (!this.choice && (this.options.mode === undefined || this.options.mode === 'webgpu'))
      await probeWebGPU();
    this.resolve(true);
  }

  kernelFor(op: Operation): StepKernel | undefined {
    if (!gpuKernelSpec(op.type) && !op.def.elementwise) return undefined;
    return this.place(op).kernel;
  }

  /** The placement services of the compile pipeline's placement pass: this backend itself. */
  get placement(): DevicePlacement {
    return this;
  }

  /**
   * Storage of a session on this backend: slots and variables own one device reference per value
   * (released at the last use, on replacement and at close), values are read back from the device.
   */
  createStorage(): Storage {
    const slots: SlotStorage = {
      alloc: (dtype, size) => allocArray(dtype, size),
      hold: () => undefined,
      free: (v) => this.release(v),
    };
    return {
      forPlan: () => slots,
      keep: () => undefined,
      unkeep: (v) => this.release(v),
      endRun: () => undefined,
      handOut: () => undefined,
      share: (v) => (v instanceof GpuTensor ? v.share() : v),
      read: (v) => this.download(v),
      readAsync: (v) => this.downloadAsync(v),
    };
  }

  /** Compiles the plan's kernels with the plan (static shapes), so the first run compiles nothing. */
  prepare(plan: ExecutionPlan): void {
    this.resolve(false);
    precompilePlan(plan, this.rt, (step, k) => this.place(step.op).need(k));
  }

  // ---- placement ----

  place(op: Operation): OpPlacement {
    let pl = this.placements.get(op);
    if (!pl) {
      pl = this.decide(op);
      this.placements.set(op, pl);
    }
    return pl;
  }

  private decide(op: Operation): OpPlacement {
    const spec = gpuKernelSpec(op.type);
    const ew = !spec && op.def.elementwise !== undefined;
    const pinned = /cpu/i.test(op.device) ? `placed with tf.device('${op.device}')` : undefined;
    const hostReason =
      pinned ?? spec?.host ?? spec?.hostWhen?.(op) ?? (isIntegerOp(op) ? INT32_HOST : undefined);
    const shapeOnly = (k: number) => inSet(spec?.shapeInputs, k, op) || (ew && !readsInput(op, k));
    if (hostReason !== undefined) {
      // The CPU kernel may touch every input's data (an elementwise loop reads even the inputs its
      // formula ignores): only inputs the entry declares shape-only stay where they are.
      const need = (k: number): Need => (inSet(spec?.shapeInputs, k, op) ? 'any' : 'host');
      return { device: '/cpu:0', reason: hostReason, need, kernel: this.hostKernel(op, need) };
    }
    const need = (k: number): Need =>
      inSet(spec?.hostInputs, k, op) ? 'host' : shapeOnly(k) ? 'any' : 'device';
    const run = ew ? this.elementwiseRun(op) : spec?.run;
    if (!run) throw new Error(`internal: GPU kernel ${op.type} has no run`);
    return { device: this.device, need, kernel: this.gpuKernel(op, need, run) };
  }

  /** A GPU step: inputs are moved where `need` says (a no-op in compiled plans), then the kernel runs. */
  private gpuKernel(op: Operation, need: (k: number) => Need, run: GpuRun): StepKernel {
    return (inputs, ctx) => {
      const temps: GpuTensor[] = [];
      const args = inputs.map((v, k) => this.moveFor(v, need(k), temps));
      const go = (vals: SlotValue[]) => {
        try {
          return run(vals, this.context(ctx));
        } finally {
          for (const t of temps) t.release();
        }
      };
      return args.some((a) => a instanceof Promise) ? Promise.all(args).then(go) : go(args as SlotValue[]);
    };
  }

  /**
   * The run's variable state as host kernels see it (variables read back from the device); one per run,
   * so host kernels of one run share it (While records its iterations under it for WhileGrad).
   */
  private hostState(device: RunState<SlotValue>): RunState {
    let state = this.hostStates.get(device);
    if (!state) {
      state = {
        readVariable: (v) => this.download(device.readVariable(v)),
        writeVariable: (v, value) => device.writeVariable(v, value),
        random: (v) => device.random(v),
        ...(device.atRunEnd ? { atRunEnd: (fn: () => void) => device.atRunEnd?.(fn) } : {}),
      };
      this.hostStates.set(device, state);
    }
    return state;
  }
  private readonly hostStates = new WeakMap<RunState<SlotValue>, RunState>();

  /** A host step: the CPU kernel on host values, with variables read back from the device if needed. */
  private hostKernel(op: Operation, need: (k: number) => Need): StepKernel {
    return (inputs, ctx) => {
      const kernel = this.cpu.hostKernelFor(op);
      if (!kernel) throw new Error(`No CPU kernel for op '${op.name}' (op type: ${op.type})`);
      const args = inputs.map((v, k) => this.moveFor(v, need(k), []));
      const state = this.hostState(ctx.state);
      // Functions of host steps (a loop run on the host) run on the host too, with the host state.
      const call = ctx.callFunction;
      const host = { ...ctx, state } as KernelContext;
      if (call)
        host.callFunction = (def, args, extra) =>
          call(def, args, extra, { backend: this.cpu, state }) as NDArray[] | Promise<NDArray[]>;
      const go = (vals: SlotValue[]) => kernel(vals as NDArray[], host);
      return args.some((a) => a instanceof Promise) ? Promise.all(args).then(go) : go(args as SlotValue[]);
    };
  }

  /** `v` where `need` wants it: uploads go to `temps` (released after the kernel). */
  private moveFor(v: SlotValue | undefined, need: Need, temps: GpuTensor[]): SlotValue | Promise<SlotValue> {
    if (v === undefined || need === 'any') return v as SlotValue;
    if (need === 'device' && v instanceof NDArray) {
      const t = this.upload(v);
      temps.push(t);
      return t;
    }
    if (need === 'host' && v instanceof GpuTensor)
      return this.rt.async ? this.downloadAsync(v) : this.download(v);
    return v;
  }

  transfer(to: 'device' | 'host'): StepKernel {
    if (to === 'device') return ([v]) => [v instanceof NDArray ? this.upload(v) : (v as GpuTensor).share()];
    return ([v]) => {
      if (!(v instanceof GpuTensor)) return [v as SlotValue];
      return this.rt.async ? this.downloadAsync(v).then((x) => [x]) : [this.download(v)];
    };
  }

  private context(ctx: KernelContext<SlotValue>): GpuKernelContext {
    return {
      op: ctx.op,
      attrs: ctx.attrs,
      outputs: ctx.outputs,
      rt: this.rt,
      state: ctx.state,
      run: (p, inputs, shape, dtype) => this.launch(p, inputs, shape, dtype),
      upload: (x) => this.upload(x),
      variable: (op) => {
        const v = ctx.state.readVariable(op);
        if (v instanceof GpuTensor) return v;
        const t = this.upload(v as NDArray);
        ctx.state.writeVariable(op, t); // stays on the device from now on
        return t;
      },
      constant: (op, make) => {
        let t = this.constants.get(op);
        if (!t) this.constants.set(op, (t = make()));
        return t.share();
      },
      callFunction: (def, args, extra) => {
        if (!ctx.callFunction)
          throw new Error('internal: the executor gave this GPU kernel no function runner');
        return ctx.callFunction(def, args, extra);
      },
      read: (v) => (this.rt.async ? this.downloadAsync(v) : this.download(v)),
      onHost: (inputs) => this.hostKernel(ctx.op, () => 'host')(inputs, ctx),
    };
  }

  /** Host↔device copies so far (for tests and placement logs). */
  transferStats(): TransferStats {
    return { ...this.transfers };
  }
  private readonly transfers: TransferStats = {
    uploads: 0,
    uploadedElements: 0,
    downloads: 0,
    downloadedElements: 0,
  };

  launch(p: Program, inputs: readonly GpuTensor[], shape: number[], dtype: DType): GpuTensor {
    if (sizeOf(shape) === 0) return new GpuTensor(null, shape.slice(), dtype);
    const bufs = inputs.map((t) => {
      if (!t.buffer) throw new Error('internal: an empty tensor is a kernel argument');
      return t.buffer;
    });
    return new GpuTensor(this.rt.launch(p, bufs), shape.slice(), dtype);
  }

  // ---- elementwise ----

  /**
   * Runs an elementwise op (a fused group from the fusion pass included: its formula is the members'
   * formulas composed) as one generated kernel over its inputs, by position.
   */
  private elementwiseRun(op: Operation): GpuRun {
    const dtypes = [(op.outputs[0] as { dtype: DType }).dtype];
    let cached: { key: string; program: Program; leaves: number[] } | undefined;
    return (inputs, ctx) => {
      const out = ctx.outputs[0] as { shape: number[]; dtype: DType };
      const shapes = inputs.map((x) => x.shape);
      const key = `${shapes.map((s) => s.join('x')).join(';')}>${out.shape.join('x')}`;
      if (!cached || cached.key !== key)
        cached = { key, ...elementwiseProgram([op], (_m, j) => ({ leaf: j }), shapes, out.shape, dtypes) };
      const temps: GpuTensor[] = [];
      try {
        const args = cached.leaves.map((l) => this.moveFor(inputs[l], 'device', temps) as GpuTensor);
        return [this.launch(cached.program, args, out.shape, out.dtype)];
      } finally {
        for (const t of temps) t.release();
      }
    };
  }

  // ---- device values ----

  upload(x: NDArray): GpuTensor {
    if (x.size === 0) return new GpuTensor(null, x.shape.slice(), x.dtype);
    this.transfers.uploads++;
    this.transfers.uploadedElements += x.size;
    return new GpuTensor(this.rt.upload(x.data, x.dtype), x.shape.slice(), x.dtype);
  }

  download(v: SlotValue): NDArray {
    if (!(v instanceof GpuTensor)) return v as NDArray;
    if (this.rt.async) {
      throw new FailedPreconditionError(
        `The GPU backend reads back asynchronously in gpu.js mode '${this.rt.mode}': use sess.runAsync(...) instead of sess.run(...)`,
      );
    }
    this.countDownload(v);
    return toHost(v, v.buffer ? this.rt.read(v.buffer) : new Float32Array(0));
  }

  private countDownload(v: GpuTensor): void {
    if (!v.buffer) return;
    this.transfers.downloads++;
    this.transfers.downloadedElements += v.size;
  }

  async downloadAsync(v: SlotValue): Promise<NDArray> {
    if (!(v instanceof GpuTensor)) return v as NDArray;
    this.countDownload(v);
    return toHost(v, v.buffer ? await this.rt.readAsync(v.buffer) : new Float32Array(0));
  }

  release(v: SlotValue): void {
    if (v instanceof GpuTensor) v.release();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.constants.values()) t.release();
    this.constants.clear();
  }
}

/** A fresh host array of the tensor's dtype from float32 device values. */
function toHost(t: GpuTensor, values: Float32Array): NDArray {
  const data = allocArray(t.dtype, t.size);
  if (t.dtype === 'float32') data.set(values);
  else if (t.dtype === 'int32')
    for (let i = 0; i < data.length; i++) data[i] = Math.round(values[i] as number);
  else for (let i = 0; i < data.length; i++) data[i] = values[i] !== 0 && values[i] === values[i] ? 1 : 0;
  return new NDArray(data, t.shape.slice(), t.dtype);
}
