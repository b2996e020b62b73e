/**
 * Entry of the browser bundle (dist/browser/tensorgraph.mjs): the whole public API, plus `ready()`, which
 * resolves once the WebAssembly kernels next to the bundle are fetched and compiled (until then the CPU
 * backend runs its TypeScript kernels) and the WebGPU adapter probe has answered (so that
 * `new tf.Session({ backend: 'gpu' })` can pick, or be forced to, gpu.js's `webgpu` mode at once).
 */
import { probeWebGPU } from '../backends/gpujs/modes';
import { ready as kernelsReady } from './index';

export * from '../index';

/** Resolves when the WebAssembly kernels are loaded and the WebGPU probe has answered. */
export async function ready(): Promise<void> {
  await Promise.all([kernelsReady(), probeWebGPU()]);
}
