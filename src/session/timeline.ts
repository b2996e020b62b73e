/**
 * TF1's `tensorflow.python.client.timeline`: turns a traced run's StepStats into the Chrome trace format
 * (open it in chrome://tracing or https://ui.perfetto.dev): one process per device, one complete event
 * per op.
 */
import type { DeviceStepStats } from './run_options';

/** A Chrome trace event (the "complete" kind, or process metadata). */
export interface ChromeTraceEvent {
  name: string;
  ph: 'X' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args: Record<string, string | number>;
}

/**
 * TF1's `timeline.Timeline(step_stats)`.
 *
 * @example
 * const meta = new tf.RunMetadata();
 * sess.run(train, feeds, new tf.RunOptions({ traceLevel: tf.RunOptions.FULL_TRACE }), meta);
 * const trace = new tf.client.timeline.Timeline(meta.stepStats).generateChromeTraceFormat();
 * fs.writeFileSync('timeline.json', trace);
 */
export class Timeline {
  private readonly devStats: DeviceStepStats[];

  constructor(stepStats: { devStats: DeviceStepStats[] }) {
    if (!stepStats || !Array.isArray(stepStats.devStats))
      throw new TypeError(
        'Timeline(stepStats): expected runMetadata.stepStats (a traced run: tf.RunOptions({ traceLevel: FULL_TRACE }))',
      );
    this.devStats = stepStats.devStats;
  }

  /** The events: a `process_name` record per device, then one `X` event per op (µs). */
  events(): ChromeTraceEvent[] {
    const out: ChromeTraceEvent[] = [];
    this.devStats.forEach((d, pid) => {
      out.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: `${d.device} Compute` } });
      for (const n of d.nodeStats) {
        const op = n.timelineLabel.replace(/^.* = /, '').replace(/\(.*$/, '');
        out.push({
          name: op,
          ph: 'X',
          cat: 'Op',
          pid,
          tid: 0,
          ts: n.allStartMicros,
          dur: n.allEndRelMicros,
          args: { name: n.nodeName, op },
        });
      }
    });
    return out;
  }

  /**
   * TF1's `generate_chrome_trace_format(show_dataflow=True, show_memory=False)`: a JSON string. Dataflow
   * arrows are not drawn (the trace records ops, not tensor edges); `showMemory: true` is a TypeError.
   */
  generateChromeTraceFormat(
    showDataflow: boolean | { showDataflow?: boolean; showMemory?: boolean } = true,
    showMemory = false,
  ): string {
    let memory: unknown = showMemory;
    let flow: unknown = showDataflow;
    if (typeof showDataflow === 'object' && showDataflow !== null) {
      if (arguments.length > 1)
        throw new TypeError('generateChromeTraceFormat(): keyword arguments must come last');
      flow = true;
      memory = false;
      for (const [k, v] of Object.entries(showDataflow)) {
        const c = k.replace(/_([a-z])/g, (_m, x: string) => x.toUpperCase());
        if (c === 'showDataflow') flow = v;
        else if (c === 'showMemory') memory = v;
        else throw new TypeError(`generateChromeTraceFormat() got an unexpected keyword argument '${k}'`);
      }
    }
    if (typeof flow !== 'boolean' || typeof memory !== 'boolean')
      throw new TypeError('generateChromeTraceFormat(showDataflow, showMemory): both must be booleans');
    if (memory)
      throw new TypeError(
        'generateChromeTraceFormat(): showMemory is not supported (traces record no allocations)',
      );
    return JSON.stringify({ traceEvents: this.events() });
  }
}

/** `tf.client.timeline` (TF1's `from tensorflow.python.client import timeline`). */
export const timeline = { Timeline };
