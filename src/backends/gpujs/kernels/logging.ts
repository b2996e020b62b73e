import { registerKernel } from '../../backend';

/** Logging ops run on the host under the GPU backend: their text is formatted and written by the CPU. */
const LOGGING = 'logging: the values are read back and written to the output stream by the host';
for (const type of ['Print', 'PrintV2']) registerKernel('gpu', type, { host: LOGGING });
