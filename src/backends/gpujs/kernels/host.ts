import { registerKernel } from '../../backend';

/**
 * Ops that deliberately run on the host under the GPU backend, each with its reason (shown by
 * `logDevicePlacement` and the plan). Their inputs are read back from the device when they live there.
 */
const RANDOM = "seeded host random stream: values match the CPU backend's bit for bit";
for (const type of ['RandomStandardNormal', 'TruncatedNormal', 'RandomUniform'])
  registerKernel('gpu', type, { host: RANDOM });

// If and While run on the device (kernels/control.ts); the loop gradient walks recorded host histories.
registerKernel('gpu', 'WhileGrad', {
  host: "a loop's gradient walks the forward iterations recorded on the host",
});

const SUMMARY = 'summary protos are serialized on the host';
for (const type of ['ScalarSummary', 'HistogramSummary', 'MergeSummary'])
  registerKernel('gpu', type, { host: SUMMARY });
