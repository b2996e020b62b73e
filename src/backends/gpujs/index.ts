/**
 * The GPU backend on gpu.js (`new tf.Session({ backend: 'gpu' })`). Importing this module registers
 * every GPU kernel and installs the backend factory behind `backend: 'gpu'`.
 */
import { installGpuBackendFactory } from '../../session/session';
import { GpuBackend, GpuBackendOptions } from './gpu_backend';
import './kernels/state';
import './kernels/shape';
import './kernels/indexing';
import './kernels/reduce';
import './kernels/matmul';
import './kernels/nn';
import './kernels/window';
import './kernels/depthwise';
import './kernels/host';
import './kernels/control';
import './kernels/logging';
import './kernels/where';
import './kernels/data';
import './kernels/reverse';
import './kernels/tensor_array';
import './kernels/nn_extra';
import './kernels/image';
import './kernels/gather_nd';
import './kernels/nms';

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

installGpuBackendFactory((options) => createGpuBackend(options as GpuBackendOptions));

export { GpuBackend };
export type { GpuBackendOptions };
export type { GpuMode } from './runtime';
