// The CPU backend: its kernels (registered on import) and the backend object (./cpu_backend).
import './kernels';
export { createCpuBackend } from './cpu_backend';
export type { CpuBackendOptions } from './cpu_backend';
