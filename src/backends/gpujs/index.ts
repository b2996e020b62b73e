/**
 * The GPU backend on gpu.js (`new tf.Session({ backend: 'gpu' })`). Importing this module registers
 * every GPU kernel and installs the backend factory behind `backend: 'gpu'`.
 */
import { registerBackendFactory } from '../backend';
import { GpuBackend, GpuBackendOptions } from './gpu_backend';
import './kernels';

/**
 * A GPU backend object for `new tf.Session({ backend: tf.createGpuBackend({ mode: 'webasm' }) })`;
 * `backend: 'gpu'` is `createGpuBackend()` (best available gpu.js mode).
 *
 * @example
 * const sess = new tf.Session({ backend: tf.createGpuBackend() });
 * sess.backendInfo.reason; // "gpu.js mode 'headlessgl': headless WebGL 1.0 …"
 */
export function createGpuBackend(options: GpuBackendOptions = {}): GpuBackend {
  return new GpuBackend(options);
}

registerBackendFactory('gpu', (options) => createGpuBackend(options as GpuBackendOptions));

export { GpuBackend };
export type { GpuBackendOptions };
export type { GpuMode } from './runtime';
