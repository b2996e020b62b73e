/**
 * TF1's `tf.ConfigProto` / `tf.GPUOptions` for `new tf.Session({ config })`, as TF1 programs write them:
 * `new tf.ConfigProto({ deviceCount: { CPU: 2 }, logDevicePlacement: true, allowSoftPlacement: true })`, or
 * `const config = new tf.ConfigProto(); config.gpuOptions.allowGrowth = true;`. The session reads the fields
 * when it is constructed. Keys may be camelCase or TF1's snake_case; unknown keys are TypeErrors.
 */

const GPU_KEYS = ['allowGrowth', 'perProcessGpuMemoryFraction'];
const CONFIG_KEYS = [
  'deviceCount',
  'logDevicePlacement',
  'allowSoftPlacement',
  'gpuOptions',
  'intraOpParallelismThreads',
  'interOpParallelismThreads',
];

const camel = (k: string): string => k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function keywords(fn: string, o: unknown, keys: readonly string[]): Record<string, unknown> {
  if (o === undefined || o === null) return {};
  if (typeof o !== 'object' || Array.isArray(o))
    throw new TypeError(`${fn}: expected an object of keyword arguments, got ${typeof o}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const c = camel(k);
    if (!keys.includes(c))
      throw new TypeError(`${fn} got an unexpected keyword argument '${k}'; accepted: ${keys.join(', ')}`);
    if (c in out) throw new TypeError(`${fn} got multiple values for argument '${c}'`);
    out[c] = v;
  }
  return out;
}

/**
 * GPU options (TF1's `tf.GPUOptions`). `allowGrowth`: the GPU backend allocates on demand either way;
 * `perProcessGpuMemoryFraction` must be 1 (or unset): gpu.js does not expose a memory limit.
 *
 * @example
 * new tf.Session({ config: new tf.ConfigProto({ gpuOptions: new tf.GPUOptions({ allowGrowth: true }) }) });
 */
export class GPUOptions {
  allowGrowth = false;
  perProcessGpuMemoryFraction = 1;

  constructor(options: { allowGrowth?: boolean; perProcessGpuMemoryFraction?: number } = {}) {
    const o = keywords('tf.GPUOptions()', options, GPU_KEYS);
    if (o.allowGrowth !== undefined) this.allowGrowth = o.allowGrowth as boolean;
    if (o.perProcessGpuMemoryFraction !== undefined)
      this.perProcessGpuMemoryFraction = o.perProcessGpuMemoryFraction as number;
    checkGpuOptions('tf.GPUOptions()', this);
  }
}

function checkGpuOptions(fn: string, g: GPUOptions): void {
  if (typeof g.allowGrowth !== 'boolean') throw new TypeError(`${fn}: allowGrowth must be a boolean`);
  const f = g.perProcessGpuMemoryFraction;
  if (typeof f !== 'number' || !(f > 0 && f <= 1))
    throw new TypeError(`${fn}: perProcessGpuMemoryFraction must be a number in (0, 1]`);
  if (f !== 1)
    throw new TypeError(
      `${fn}: perProcessGpuMemoryFraction ${f} is not supported (gpu.js has no memory limit to set; leave it at 1)`,
    );
}

/**
 * Session configuration (TF1's `tf.ConfigProto`): `deviceCount` (`{ CPU: n }` — the session's CPU devices,
 * SPEC §9 — and `{ GPU: 0 | 1 }`), `logDevicePlacement`, `allowSoftPlacement` (default false, as in TF1:
 * an op pinned to a device the session does not have is an error; true runs it on `/cpu:0`), `gpuOptions`,
 * `intraOpParallelismThreads` (threads of one large kernel, e.g. the matmul: process-wide), and
 * `interOpParallelismThreads` (0 or 1: ops of one device run one at a time; use CPU devices for more).
 *
 * @example
 * const config = new tf.ConfigProto({ deviceCount: { CPU: 2 }, logDevicePlacement: true });
 * config.allowSoftPlacement = true;
 * const sess = new tf.Session({ config });
 */
export class ConfigProto {
  deviceCount: { CPU?: number; GPU?: number } = {};
  logDevicePlacement = false;
  allowSoftPlacement = false;
  gpuOptions = new GPUOptions();
  intraOpParallelismThreads = 0;
  interOpParallelismThreads = 0;

  constructor(
    options: {
      deviceCount?: { CPU?: number; GPU?: number };
      logDevicePlacement?: boolean;
      allowSoftPlacement?: boolean;
      gpuOptions?: GPUOptions | { allowGrowth?: boolean; perProcessGpuMemoryFraction?: number };
      intraOpParallelismThreads?: number;
      interOpParallelismThreads?: number;
    } = {},
  ) {
    const o = keywords('tf.ConfigProto()', options, CONFIG_KEYS);
    if (o.deviceCount !== undefined) this.deviceCount = o.deviceCount as { CPU?: number; GPU?: number };
    if (o.logDevicePlacement !== undefined) this.logDevicePlacement = o.logDevicePlacement as boolean;
    if (o.allowSoftPlacement !== undefined) this.allowSoftPlacement = o.allowSoftPlacement as boolean;
    if (o.gpuOptions !== undefined)
      this.gpuOptions =
        o.gpuOptions instanceof GPUOptions
          ? o.gpuOptions
          : new GPUOptions(o.gpuOptions as ConstructorParameters<typeof GPUOptions>[0]);
    if (o.intraOpParallelismThreads !== undefined)
      this.intraOpParallelismThreads = o.intraOpParallelismThreads as number;
    if (o.interOpParallelismThreads !== undefined)
      this.interOpParallelismThreads = o.interOpParallelismThreads as number;
    readConfig('tf.ConfigProto()', this);
  }
}

/** What a session takes from a ConfigProto (fields read and checked when the session is made). */
export interface SessionConfig {
  cpuDevices?: number;
  gpuDevices?: number;
  logDevicePlacement: boolean;
  allowSoftPlacement: boolean;
  intraOpThreads?: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Checks a ConfigProto's fields (they are plain mutable fields, as in TF1) and reads them. */
export function readConfig(fn: string, c: unknown): SessionConfig {
  if (!(c instanceof ConfigProto))
    throw new TypeError(`${fn}: 'config' must be a tf.ConfigProto (new tf.ConfigProto({ ... }))`);
  const dc = keywords(`${fn} deviceCount`, c.deviceCount, ['CPU', 'GPU']);
  for (const [k, v] of Object.entries(dc))
    if (!isCount(v)) throw new TypeError(`${fn}: deviceCount.${k} must be a non-negative integer`);
  if (dc.CPU === 0)
    throw new TypeError(`${fn}: deviceCount.CPU must be at least 1 ('/cpu:0' runs the graph)`);
  if (typeof c.logDevicePlacement !== 'boolean')
    throw new TypeError(`${fn}: logDevicePlacement must be a boolean`);
  if (typeof c.allowSoftPlacement !== 'boolean')
    throw new TypeError(`${fn}: allowSoftPlacement must be a boolean`);
  if (!(c.gpuOptions instanceof GPUOptions)) throw new TypeError(`${fn}: gpuOptions must be a tf.GPUOptions`);
  checkGpuOptions(`${fn} gpuOptions`, c.gpuOptions);
  if (!isCount(c.intraOpParallelismThreads))
    throw new TypeError(`${fn}: intraOpParallelismThreads must be a non-negative integer`);
  if (!isCount(c.interOpParallelismThreads))
    throw new TypeError(`${fn}: interOpParallelismThreads must be a non-negative integer`);
  if (c.interOpParallelismThreads > 1)
    throw new TypeError(
      `${fn}: interOpParallelismThreads ${c.interOpParallelismThreads} is not supported: the ops of one device run one at a time; ` +
        `for ops running concurrently place them on CPU devices (deviceCount: { CPU: n }, tf.device('/cpu:1'))`,
    );
  return {
    ...(dc.CPU !== undefined ? { cpuDevices: dc.CPU as number } : {}),
    ...(dc.GPU !== undefined ? { gpuDevices: dc.GPU as number } : {}),
    logDevicePlacement: c.logDevicePlacement,
    allowSoftPlacement: c.allowSoftPlacement,
    ...(c.intraOpParallelismThreads > 0 ? { intraOpThreads: c.intraOpParallelismThreads } : {}),
  };
}
