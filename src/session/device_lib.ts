/**
 * `tf.client.deviceLib` (TF1's `tensorflow.python.client.device_lib`): the devices a default session of
 * this process gets.
 */
import { cpuCount } from '../platform';
import { DeviceAttributes, fullDeviceName } from './devices/names';
import { deviceThreadsAvailable, MAX_DEVICES } from './devices/threads';

/**
 * TF1's `device_lib.list_local_devices()`: the CPU devices `/cpu:0` … of a default CPU session (one per core
 * where threads can block, else one). The GPU backend's device is listed by a GPU session's `listDevices()`
 * (finding it means starting gpu.js), not here — as with a TF1 build without GPU support.
 *
 * @example
 * const gpus = tf.client.deviceLib.listLocalDevices().filter((d) => d.deviceType === 'GPU'); // []
 */
export function listLocalDevices(): DeviceAttributes[] {
  const n = deviceThreadsAvailable() ? Math.max(1, Math.min(cpuCount(), MAX_DEVICES - 1)) : 1;
  let memory = 0;
  try {
    memory = (require('os') as { totalmem(): number }).totalmem();
  } catch {
    memory = 0;
  }
  return Array.from({ length: n }, (_x, i) => ({
    name: fullDeviceName('CPU', i),
    deviceType: 'CPU' as const,
    memoryLimitBytes: memory,
    physicalDeviceDesc: i === 0 ? 'calling thread' : `worker thread ${i}`,
  }));
}
