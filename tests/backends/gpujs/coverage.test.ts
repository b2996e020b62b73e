import '../../../src';
import { gpuKernelSpec } from '../../../src/backends/gpujs/registry';
import { registeredOpTypes, getOpDef } from '../../../src/ops/op_def';

/**
 * Every registered op has a GPU kernel: a gpu.js implementation, the elementwise compiler (formula ops),
 * or a declared reason to run on the host. A new op without one fails here, by name.
 */
test('every registered op type has a GPU kernel entry', () => {
  const missing = registeredOpTypes().filter((type) => !gpuKernelSpec(type) && !getOpDef(type).elementwise);
  expect(missing).toEqual([]);
});

test('host placements are declared with a reason', () => {
  for (const type of registeredOpTypes()) {
    const spec = gpuKernelSpec(type);
    if (spec?.host !== undefined) expect(spec.host.length).toBeGreaterThan(10);
    if (spec && !spec.host) expect(typeof spec.run).toBe('function');
  }
});
