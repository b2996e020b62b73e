import type { DeviceValue } from '../backend';
import type { DType } from '../../graph/dtype';
import { sizeOf } from '../../graph/shape';

/**
 * Device storage: one gpu.js pipeline result holding `length` float32 values — a Texture on the GL
 * modes, a buffer handle on WebGPU, a Float32Array on webasm/cpu (gpu.js's "device memory" there is host
 * memory). In asynchronous modes `data` is a Promise of it. Reference counted: slots, variables and
 * views each hold one reference; the runtime frees the storage with the last one.
 */
export class DeviceBuffer {
  refs = 1;
  /** Asynchronous modes: launches still reading this buffer (its deletion waits for them). */
  readonly readers: Promise<unknown>[] = [];
  constructor(
    public data: unknown,
    readonly length: number,
    readonly free: (b: DeviceBuffer) => void,
  ) {}
}

/**
 * A tensor value on the GPU: a shape and dtype over a DeviceBuffer, stored flat in row-major order as
 * float32 (int32 and bool values are exact integers there). Reshapes are new GpuTensors over the same
 * buffer. An empty tensor has no buffer.
 */
export class GpuTensor implements DeviceValue {
  readonly device = 'gpu';
  private released = false;
  constructor(
    readonly buffer: DeviceBuffer | null,
    readonly shape: number[],
    readonly dtype: DType,
  ) {}

  get size(): number {
    return sizeOf(this.shape);
  }

  /** A new reference to the same storage, optionally viewed with another shape or dtype. */
  share(shape: number[] = this.shape, dtype: DType = this.dtype): GpuTensor {
    if (this.released) throw new Error('internal: sharing a released GPU tensor');
    if (this.buffer) this.buffer.refs++;
    return new GpuTensor(this.buffer, shape.slice(), dtype);
  }

  /** Drops this reference; the storage is freed with the last one. Releasing twice is a bug. */
  release(): void {
    if (this.released) throw new Error('internal: GPU tensor released twice');
    this.released = true;
    const b = this.buffer;
    if (b && --b.refs === 0) b.free(b);
  }

  get isReleased(): boolean {
    return this.released;
  }
}

export function isGpuTensor(v: unknown): v is GpuTensor {
  return v instanceof GpuTensor;
}
