import { allCases, compareCase, describeGpu, gpuSession } from './gpu_env';

/**
 * The op case tables of the CPU backend (tests/ops/cases), unchanged, on the GPU backend: every case's
 * forward result and its gradients (tf.gradients graphs) are compared with the float32 CPU backend, in
 * each tested gpu.js mode.
 */
describeGpu('op case tables on the GPU backend', (mode) => {
  for (const { file, cases } of allCases()) {
    describe(file, () => {
      for (const c of cases) {
        test(c.name, () => compareCase(c, (g) => gpuSession(g, mode)));
      }
    });
  }
});
