/** The CPU devices a session gets by default, and their TF1 DeviceAttributes. */
import { cpuCount } from '../../platform';
import { DeviceAttributes, fullDeviceName } from './names';
import { deviceThreadsAvailable, MAX_DEVICES } from './threads';

/** CPU devices of a default session: one per core where threads can block, else one. */
export function defaultCpuDevices(): number {
  return deviceThreadsAvailable() ? Math.max(1, Math.min(cpuCount(), MAX_DEVICES - 1)) : 1;
}

/** TF1's DeviceAttributes of `/cpu:0` … `/cpu:n-1`. */
export function cpuDeviceAttributes(n: number): DeviceAttributes[] {
  const memory = hostMemory();
  return Array.from({ length: n }, (_x, i) => ({
    name: fullDeviceName('CPU', i),
    deviceType: 'CPU' as const,
    memoryLimitBytes: memory,
    physicalDeviceDesc: i === 0 ? 'calling thread' : `worker thread ${i}`,
  }));
}

/** The host's memory (what a CPU device may use); 0 where it cannot be read (a browser page). */
function hostMemory(): number {
  try {
    return (require('os') as { totalmem(): number }).totalmem();
  } catch {
    return 0;
  }
}
