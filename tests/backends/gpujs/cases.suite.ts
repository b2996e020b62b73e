import { allCases, compareCase, compareFusion, gpuSession } from './gpu_env';
import type { GpuMode } from '../../../src/backends/gpujs';

/**
 * The op case tables of the CPU backend (tests/ops/cases), unchanged, on the GPU backend: every case's
 * forward result and its gradients (tf.gradients graphs) are compared with the float32 CPU backend. The
 * elementwise table also runs unfused, compared with the fused plan.
 */
export function caseTableSuite(mode: GpuMode): void {
  describe('op case tables', () => {
    for (const { file, cases } of allCases()) {
      describe(file, () => {
        for (const c of cases) {
          test(c.name, () => compareCase(c, (g) => gpuSession(g, mode)));
        }
      });
    }
    describe('fused vs unfused plans (elementwise table)', () => {
      for (const c of allCases().find((f) => f.file === 'math')?.cases ?? []) {
        test(c.name, () => compareFusion(c, mode));
      }
    });
  });
}
