import { registerKernel } from '../../backend';

/**
 * Ops that deliberately run on the host under the GPU backend, each with its reason (shown by
 * `logDevicePlacement` and the plan). Their inputs are read back from the device when they live there.
 */
const RANDOM = "seeded host random stream: values match the CPU backend's bit for bit";
for (const type of ['RandomStandardNormal', 'TruncatedNormal', 'RandomUniform'])
  registerKernel('gpu', type, { host: RANDOM });

const SUMMARY = 'summary protos are serialized on the host';
for (const type of ['ScalarSummary', 'HistogramSummary', 'MergeSummary'])
  registerKernel('gpu', type, { host: SUMMARY });
