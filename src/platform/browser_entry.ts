/**
 * Entry of the browser bundle (dist/browser/tensorgraph.mjs): the whole public API, plus `ready()`, which
 * resolves once the WebAssembly kernels next to the bundle are fetched and compiled (until then the CPU
 * backend runs its TypeScript kernels).
 */
export * from '../index';
export { ready } from './index';
