import { registerKernel } from '../../backend';

/**
 * Summary ops run on the host under the GPU backend (reason shown by `logDevicePlacement` and the plan):
 * their inputs are read back from the device and serialized into summary protos by the CPU kernels.
 */
const SUMMARY = 'summary protos are serialized on the host';
for (const type of ['ScalarSummary', 'HistogramSummary', 'MergeSummary'])
  registerKernel('gpu', type, { host: SUMMARY });
