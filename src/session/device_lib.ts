/**
 * `tf.client.deviceLib` (TF1's `tensorflow.python.client.device_lib`): the devices a default session of
 * this process gets.
 */
import type { DeviceAttributes } from './devices/names';
import { cpuDeviceAttributes, defaultCpuDevices } from './devices/local';

/**
 * TF1's `device_lib.list_local_devices()`: the CPU devices `/cpu:0` … of a default CPU session (one per core
 * where threads can block, else one). The GPU backend's device is listed by a GPU session's `listDevices()`
 * (finding it means starting gpu.js), not here — as with a TF1 build without GPU support.
 *
 * @example
 * const gpus = tf.client.deviceLib.listLocalDevices().filter((d) => d.deviceType === 'GPU'); // []
 */
export function listLocalDevices(): DeviceAttributes[] {
  return cpuDeviceAttributes(defaultCpuDevices());
}
