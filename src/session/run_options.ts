/**
 * TF1's `tf.RunOptions` / `tf.RunMetadata` for tracing a run: with `traceLevel` FULL_TRACE (or
 * SOFTWARE_TRACE), `sess.run(fetches, feeds, options, runMetadata)` records when each op started and ended
 * on which device into `runMetadata.stepStats.devStats` (TF1's StepStats, camelCase).
 */

/** One op's timing (TF1's NodeExecStats): absolute start, and end relative to the start, in µs. */
export interface NodeExecStats {
  nodeName: string;
  /** Op type and name, e.g. `'MatMul'` (TF1 prints `name = Type(inputs)`). */
  timelineLabel: string;
  allStartMicros: number;
  opStartRelMicros: number;
  opEndRelMicros: number;
  allEndRelMicros: number;
}

/** The ops one device ran (TF1's DeviceStepStats). */
export interface DeviceStepStats {
  device: string;
  nodeStats: NodeExecStats[];
}

const TRACE_LEVELS = ['NO_TRACE', 'SOFTWARE_TRACE', 'HARDWARE_TRACE', 'FULL_TRACE'] as const;
const RUN_OPTION_KEYS = ['traceLevel'];

/**
 * Options of one run (TF1's `tf.RunOptions`): only `traceLevel` exists here.
 *
 * @example
 * const options = new tf.RunOptions({ traceLevel: tf.RunOptions.FULL_TRACE });
 * const meta = new tf.RunMetadata();
 * sess.run(train, feeds, options, meta);
 * meta.stepStats.devStats.map((d) => d.device); // ['/job:localhost/replica:0/task:0/device:CPU:0', …]
 */
export class RunOptions {
  static readonly NO_TRACE = 0;
  static readonly SOFTWARE_TRACE = 1;
  static readonly HARDWARE_TRACE = 2;
  static readonly FULL_TRACE = 3;
  /** 0 (NO_TRACE) … 3 (FULL_TRACE). */
  readonly traceLevel: number;

  constructor(options: { traceLevel?: number | (typeof TRACE_LEVELS)[number] } = {}) {
    this.traceLevel = parseRunOptions('tf.RunOptions', options);
  }
}

/** Reads `{ traceLevel }` (or `trace_level`); anything else is a TypeError. */
export function parseRunOptions(fn: string, options: unknown): number {
  if (options instanceof RunOptions) return options.traceLevel;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError(`${fn}: expected tf.RunOptions or an object { traceLevel }, got ${typeof options}`);
  let level = 0;
  for (const [key, v] of Object.entries(options)) {
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (!RUN_OPTION_KEYS.includes(camel))
      throw new TypeError(
        `${fn}: '${key}' is not supported (only traceLevel: tf.RunOptions.FULL_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE or NO_TRACE)`,
      );
    const i = typeof v === 'string' ? TRACE_LEVELS.indexOf(v as (typeof TRACE_LEVELS)[number]) : v;
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i > 3)
      throw new TypeError(
        `${fn}: traceLevel must be one of ${TRACE_LEVELS.join(', ')} (0…3), got ${String(v)}`,
      );
    level = i;
  }
  return level;
}

/**
 * What a traced run reports (TF1's `tf.RunMetadata`): `stepStats.devStats`, one entry per device that ran
 * ops, each op with its start and end time. Filled by `sess.run(..., options, runMetadata)`; a new run
 * replaces the previous contents.
 *
 * @example
 * const meta = new tf.RunMetadata();
 * sess.run(y, feeds, new tf.RunOptions({ traceLevel: tf.RunOptions.FULL_TRACE }), meta);
 * meta.stepStats.devStats[0].nodeStats[0].nodeName;
 */
export class RunMetadata {
  stepStats: { devStats: DeviceStepStats[] } = { devStats: [] };
}
