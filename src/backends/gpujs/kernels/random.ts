import { registerKernel } from '../../backend';

/**
 * The random ops run on the host under the GPU backend (reason shown by `logDevicePlacement` and the
 * plan): each draws from its op's seeded stream, so values match the CPU backend's bit for bit.
 */
const RANDOM = "seeded host random stream: values match the CPU backend's bit for bit";
for (const type of ['RandomStandardNormal', 'TruncatedNormal', 'RandomUniform'])
  registerKernel('gpu', type, { host: RANDOM });
