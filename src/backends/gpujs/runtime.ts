import type { GPU, IGPUKernelSettings, IKernelRunShortcut } from 'gpu.js';
import { InvalidArgumentError } from '../../errors';
import type { DType, TypedArray } from '../../graph/dtype';
import { helperFunctions } from './program';
import { DeviceBuffer } from './tensor';

/** gpu.js's execution modes, best first (SPEC §4). */
export type GpuMode = 'webgpu' | 'headlessgl' | 'webgl2' | 'webgl' | 'webasm' | 'cpu';

/**
 * One gpu.js kernel to run: JS kernel source (gpu.js transpiles it to GLSL / WGSL / wasm) computing one
 * float per output element from `this.thread.x`, over `size` elements. Source and size identify the
 * compiled kernel: generated source bakes in the op's shapes, dtypes and attrs, so the cache is keyed
 * by (op, shapes, dtypes) in effect.
 */
export interface Program {
  readonly source: string;
  readonly size: number;
  /** Names of the helper functions (program.ts) the source calls. */
  readonly helpers?: readonly string[];
}

/** Loads gpu.js on first use (it takes ~0.4 s, and CPU-only users never need it). */
export function loadGpuJs(): typeof import('gpu.js') {
  return require('gpu.js') as typeof import('gpu.js');
}

/** Float32 represents integers exactly only below 2^24: int32 data beyond that cannot go to the GPU. */
const EXACT_INT = 16777216;

/**
 * The device of one gpu.js mode: its GPU instance, the compiled-kernel cache, and device memory
 * (every DeviceBuffer is created and freed here, so `live` is the exact device memory in use). Shared
 * by all sessions of a process that use the mode; each session releases its own buffers.
 */
export class GpuRuntime {
  /** Kernels compiled, compute kernels launched, host→device and device→host copies. */
  readonly stats = { compiled: 0, launches: 0, uploads: 0, downloads: 0 };
  readonly live = { buffers: 0, bytes: 0 };
  /** Compiled kernels by (source, output size, argument sizes), least recently used first. */
  private readonly kernels = new Map<string, CachedKernel>();
  private textures: { live: number } | undefined;

  constructor(
    readonly mode: GpuMode,
    private readonly gpu: GPU,
    /** Kernel calls return Promises (WebGPU always; other modes with gpu.js's asyncMode, for tests). */
    readonly async: boolean,
  ) {}

  /** Runs `p` over `args` (one device buffer per kernel argument); returns the new output buffer. */
  launch(p: Program, args: readonly DeviceBuffer[]): DeviceBuffer {
    if (this.dummies) return this.build(p, args);
    this.stats.launches++;
    return this.dispatch(p, args);
  }

  /** Zero buffers by size, standing in for values while `precompile` runs (null when not compiling). */
  private dummies: Map<number, DeviceBuffer> | null = null;

  /**
   * Runs `fn` in compile-only mode: every launch builds (compiles) its kernel for the given argument
   * sizes instead of running it, and returns a zero buffer of the output's size, as do uploads. Used by
   * the plan compiler so that kernels are compiled with the plan, not by the first run. Synchronous
   * modes only (WebGPU builds asynchronously).
   */
  precompile<T>(fn: () => T): T | undefined {
    if (this.async) return undefined;
    this.dummies = new Map();
    try {
      return fn();
    } finally {
      const made = [...this.dummies.values()];
      this.dummies = null;
      for (const b of made) (b.data as { delete?: () => void } | null)?.delete?.();
    }
  }

  /** A zero buffer of n values for compile-only mode (shared; never freed by its users). */
  dummy(n: number): DeviceBuffer {
    const pool = this.dummies;
    if (!pool) throw new Error('internal: dummy buffers exist only while precompiling');
    let b = pool.get(n);
    if (!b) {
      const zeros = new Float32Array(n);
      const data =
        this.mode === 'webasm' || this.mode === 'cpu'
          ? zeros
          : this.kernel({ source: UPLOAD, size: n }, [new DeviceBuffer(zeros, n, () => undefined)])(zeros);
      b = new DeviceBuffer(data, n, () => undefined);
      b.refs = Number.POSITIVE_INFINITY;
      pool.set(n, b);
    }
    return b;
  }

  private build(p: Program, args: readonly DeviceBuffer[]): DeviceBuffer {
    const kernel = this.kernel(p, args);
    const inner = (kernel as unknown as { kernel: { built?: boolean; build(...a: unknown[]): void } }).kernel;
    if (!inner.built) inner.build(...args.map((a) => a.data));
    return this.dummy(p.size);
  }

  private dispatch(p: Program, args: readonly DeviceBuffer[]): DeviceBuffer {
    // gpu.js bakes argument sizes into a kernel: the same source over other sizes is another kernel.
    const cached = this.cached(p, args);
    const kernel = cached.kernel;
    if (!this.async) {
      let out: unknown;
      try {
        out = kernel(...args.map((a) => a.data as Float32Array));
      } catch (e) {
        throw kernelError(this.mode, e, p);
      }
      this.checkFallback(kernel, p);
      if (!this.textures) this.instrument(kernel);
      return this.track(out, p.size, cached);
    }
    // Asynchronous modes: chain on the arguments; a buffer's deletion waits for its readers.
    const ready = Promise.all(args.map((a) => a.data)).then(async (vals) => {
      let r: unknown;
      try {
        r = await (kernel(...(vals as Float32Array[])) as unknown);
      } catch (e) {
        throw kernelError(this.mode, e, p);
      }
      this.checkFallback(kernel, p);
      return r;
    });
    // Nothing may be left unhandled: a failure surfaces through whatever reads the result.
    void ready.catch(() => undefined);
    for (const a of args) {
      a.readers.push(ready);
      const done = () => {
        const i = a.readers.indexOf(ready);
        if (i >= 0) a.readers.splice(i, 1);
      };
      void ready.then(done, done);
    }
    return this.track(ready, p.size, cached);
  }

  /** Copies host data to the device. int32/bool become float32 (exact: larger ints are refused). */
  upload(data: TypedArray, dtype: DType): DeviceBuffer {
    const n = data.length;
    if (this.dummies) {
      if (this.mode === 'webasm' || this.mode === 'cpu') return this.dummy(n);
      return this.build({ source: UPLOAD, size: n }, [
        new DeviceBuffer(new Float32Array(n), n, () => undefined),
      ]);
    }
    const f = new Float32Array(n);
    if (dtype === 'int32') {
      for (let i = 0; i < n; i++) {
        const v = data[i] as number;
        if (v >= EXACT_INT || v <= -EXACT_INT) {
          throw new InvalidArgumentError(
            `int32 value ${v} cannot be represented exactly on the GPU (float32 storage is exact below 2^24); place the op on '/cpu:0'`,
          );
        }
        f[i] = v;
      }
    } else f.set(data);
    this.stats.uploads++;
    if (this.mode === 'webasm' || this.mode === 'cpu') return this.track(f, n);
    return this.dispatch({ source: UPLOAD, size: n }, [new DeviceBuffer(f, n, () => undefined)]);
  }

  /** Reads a buffer back (synchronous modes). */
  read(b: DeviceBuffer): Float32Array {
    if (b.data instanceof Promise) {
      throw new Error(`internal: synchronous read of an asynchronous ${this.mode} buffer`);
    }
    this.stats.downloads++;
    return this.values(b.data, b.length);
  }

  async readAsync(b: DeviceBuffer): Promise<Float32Array> {
    const data = await b.data;
    this.stats.downloads++;
    const t = data as { toArray?: () => unknown };
    const arr = t.toArray ? await (t.toArray() as Promise<unknown> | unknown) : data;
    return this.values(arr, b.length);
  }

  /** Device textures currently allocated by kernels of this runtime (GL modes; undefined elsewhere). */
  get deviceTextures(): number | undefined {
    return this.textures?.live;
  }

  /** Compiled kernels in the cache. */
  get kernelCount(): number {
    return this.kernels.size;
  }

  private values(data: unknown, n: number): Float32Array {
    const t = data as { toArray?: () => unknown };
    const arr = (t.toArray ? t.toArray() : data) as Float32Array;
    if (!(arr instanceof Float32Array) || arr.length < n)
      throw new Error(`internal: bad read-back of ${n} values`);
    return arr.length === n ? arr : arr.slice(0, n);
  }

  private track(data: unknown, n: number, maker?: CachedKernel): DeviceBuffer {
    this.live.buffers++;
    this.live.bytes += 4 * n;
    if (maker) maker.live++;
    return new DeviceBuffer(data, n, (b) => this.free(b, maker));
  }

  private free(b: DeviceBuffer, maker?: CachedKernel): void {
    this.live.buffers--;
    this.live.bytes -= 4 * b.length;
    if (maker) maker.live--;
    const del = (d: unknown) => (d as { delete?: () => void } | null)?.delete?.();
    if (b.data instanceof Promise) {
      void Promise.allSettled([b.data, ...b.readers]).then(
        ([r]) => r?.status === 'fulfilled' && del(r.value),
      );
    } else del(b.data);
    b.data = null;
  }

  private kernel(p: Program, args: readonly DeviceBuffer[]): IKernelRunShortcut {
    return this.cached(p, args).kernel;
  }

  private cached(p: Program, args: readonly DeviceBuffer[]): CachedKernel {
    const key = `${p.size}|${args.map((a) => a.length).join(',')}|${p.helpers?.join(',') ?? ''}|${p.source}`;
    const hit = this.kernels.get(key);
    if (hit) {
      // Most recently used last: eviction drops the least recently used kernel.
      this.kernels.delete(key);
      this.kernels.set(key, hit);
      return hit;
    }
    const settings: IGPUKernelSettings = {
      output: [p.size],
      pipeline: true,
      immutable: true,
      precision: 'single',
      tactic: 'precision',
      ...(this.async && this.mode !== 'webgpu' ? { asyncMode: true } : {}),
    };
    // gpu.js takes typed { source, settings } function entries here too (its typings list only Function[]).
    if (p.helpers?.length)
      settings.functions = helperFunctions(p.helpers) as unknown as IGPUKernelSettings['functions'];
    const entry: CachedKernel = { kernel: this.gpu.createKernel(p.source, settings), live: 0 };
    this.stats.compiled++;
    this.kernels.set(key, entry);
    if (this.kernels.size > MAX_KERNELS) this.evict();
    return entry;
  }

  /**
   * Drops the least recently used kernel whose outputs are all freed (destroying a GL kernel deletes
   * every texture it made, so kernels with live outputs stay).
   */
  private evict(): void {
    for (const [key, entry] of this.kernels) {
      if (entry.live > 0) continue;
      this.kernels.delete(key);
      entry.kernel.destroy();
      return;
    }
  }

  /** gpu.js degrades a kernel it cannot build to its plain-JS mode with a warning; that is an error here. */
  private checkFallback(k: IKernelRunShortcut, p: Program): void {
    const inner = (
      k as unknown as { kernel: { fallbackReason?: string | null; constructor: { mode?: string } } }
    ).kernel;
    if (inner.fallbackReason || (this.mode !== 'cpu' && inner.constructor.mode === 'cpu')) {
      throw new Error(
        `gpu.js could not build a ${this.mode} kernel (${inner.fallbackReason ?? 'fell back to cpu'}); source:\n${p.source}`,
      );
    }
  }

  /** Counts the GL context's live textures (device memory) from the first kernel on. */
  private instrument(k: IKernelRunShortcut): void {
    const gl = (k as unknown as { kernel: { context?: GLTextures } }).kernel.context;
    if (!gl || typeof gl.createTexture !== 'function') return;
    const counter = { live: 0 };
    const made = new WeakSet<object>();
    const create = gl.createTexture.bind(gl);
    const remove = gl.deleteTexture.bind(gl);
    gl.createTexture = () => {
      const t = create();
      if (t) {
        made.add(t);
        counter.live++;
      }
      return t;
    };
    gl.deleteTexture = (t: object | null) => {
      if (t && made.has(t)) {
        made.delete(t);
        counter.live--;
      }
      remove(t);
    };
    this.textures = counter;
  }
}

const MAX_KERNELS = 4096;

/** A compiled kernel and the number of its output buffers still alive. */
interface CachedKernel {
  kernel: IKernelRunShortcut;
  live: number;
}

/** A gpu.js failure on generated source is an internal error: report the source with it. */
function kernelError(mode: GpuMode, e: unknown, p: Program): Error {
  const err = new Error(
    `gpu.js (${mode}) failed on a generated kernel: ${(e as Error).message}\nkernel source:\n${p.source}`,
  );
  err.stack = `${err.message}\n${(e as Error).stack?.split('\n').slice(1).join('\n') ?? ''}`;
  return err;
}

/** The part of a WebGL context the texture counter wraps. */
interface GLTextures {
  createTexture(): object | null;
  deleteTexture(t: object | null): void;
}

/** The upload kernel: copies a host Float32Array argument into a pipeline texture. */
const UPLOAD = 'function(a) { return a[this.thread.x]; }';
