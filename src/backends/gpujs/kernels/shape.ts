import { asGpu, GpuKernelSpec, INT32_HOST, registerGpuKernel } from '../registry';

/**
 * Reshaping ops are views on the GPU (a new tensor over the same device buffer: no kernel, no copy);
 * shape metadata ops read only their input's shape, on the host, so the data never moves.
 */
const view: GpuKernelSpec['run'] = ([x], ctx) => [
  asGpu(x).share((ctx.outputs[0] as { shape: number[] }).shape),
];
registerGpuKernel('Reshape', { run: view, hostInputs: [1] });
registerGpuKernel('ReshapeLike', { run: view, shapeInputs: [1] });
registerGpuKernel('ExpandDims', { run: view, hostInputs: [1] });
registerGpuKernel('Squeeze', { run: view });

const METADATA = 'shape metadata only: computed on the host from the shape, the data is not read';
for (const type of ['Shape', 'Size', 'Rank']) registerGpuKernel(type, { host: METADATA, shapeInputs: [0] });

registerGpuKernel('InvertPermutation', { host: INT32_HOST });

registerGpuKernel('Range', {
  host: 'index sequence from three host scalars: computed on the host with TF1 float32/int32 arithmetic',
});
