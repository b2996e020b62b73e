/**
 * Device names as TF1 writes them: `'/cpu:1'`, `'/device:CPU:1'`, `'/job:localhost/replica:0/task:0/device:CPU:1'`
 * (case-insensitive, any of the job/replica/task prefixes), or `''` for an op placed nowhere in particular.
 */

/** A parsed device specification; `index` undefined for a device type without an index (`'/cpu:*'`). */
export interface DeviceSpec {
  type: 'CPU' | 'GPU';
  index: number | undefined;
}

const DEVICE_RE = /(?:^|\/)(?:device:)?(cpu|gpu):(\d+|\*)(?:$|\/)/i;

/** The device type and index named by `device`, or undefined when it names none (`''`, `'/job:ps'`). */
export function parseDevice(device: string): DeviceSpec | undefined {
  const m = DEVICE_RE.exec(device);
  if (!m) return undefined;
  const type = (m[1] as string).toUpperCase() as 'CPU' | 'GPU';
  const index = m[2] === '*' ? undefined : Number(m[2]);
  return { type, index };
}

/** TF1's full name of a local device, e.g. `/job:localhost/replica:0/task:0/device:CPU:1`. */
export function fullDeviceName(type: 'CPU' | 'GPU', index: number): string {
  return `/job:localhost/replica:0/task:0/device:${type}:${index}`;
}

/** What `sess.listDevices()` returns per device (TF1's `DeviceAttributes`, camelCase). */
export interface DeviceAttributes {
  /** The full name, e.g. `/job:localhost/replica:0/task:0/device:CPU:0`. */
  name: string;
  /** `'CPU'` or `'GPU'`. */
  deviceType: 'CPU' | 'GPU';
  /** Memory the device may use, in bytes (the host's memory for CPU devices). */
  memoryLimitBytes: number;
  /** Where the device runs, e.g. `'calling thread'`, `'worker thread 1'`, `'gpu.js webgl2'`. */
  physicalDeviceDesc: string;
}
