import { registerKernel } from '../../backend';
import { asGpu, GpuKernelSpec, INT32_HOST } from '../registry';

/**
 * Reshaping ops are views on the GPU (a new tensor over the same device buffer: no kernel, no copy);
 * shape metadata ops read only their input's shape, on the host, so the data never moves.
 */
const view: GpuKernelSpec['run'] = ([x], ctx) => [
  asGpu(x).share((ctx.outputs[0] as { shape: number[] }).shape),
];
registerKernel('gpu', 'Reshape', { run: view, hostInputs: [1] });
registerKernel('gpu', 'ReshapeLike', { run: view, shapeInputs: [1] });
registerKernel('gpu', 'ExpandDims', { run: view, hostInputs: [1] });
registerKernel('gpu', 'Squeeze', { run: view });

const METADATA = 'shape metadata only: computed on the host from the shape, the data is not read';
for (const type of ['Shape', 'Size', 'Rank'])
  registerKernel('gpu', type, { host: METADATA, shapeInputs: [0] });

registerKernel('gpu', 'InvertPermutation', { host: INT32_HOST });
