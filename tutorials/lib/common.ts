// What every tutorial shares: its options (from the command line or a test), printing, the Session
// with the chosen backend, and the small result record the CLI and the tests both read.
import * as tf from '../../src';

export type BackendName = 'cpu' | 'gpu';

export interface TutorialOptions {
  /** Training steps (or iterations) instead of the tutorial's default; see each tutorial's header. */
  steps?: number;
  /** Backend for `tf.Session` (default `'cpu'`). */
  backend?: BackendName;
  /** No printing and no progress bar (tests). */
  quiet?: boolean;
  /** Folder for the loss/accuracy plot (default `out`); `null` skips the plot. */
  outDir?: string | null;
  /** Where printed lines go (default: console.log unless quiet). */
  log?: (line: string) => void;
}

/** Fields every tutorial's result has. */
export interface TutorialResult {
  /** The path of the SVG plot written, if any. */
  plot?: string;
  /** The log directory of the event files written (`npx tensorgraph board --logdir DIR` shows them), if any. */
  logdir?: string;
  /** Wall time of the tutorial in seconds. */
  seconds: number;
}

/** Whether to draw progress bars: not in quiet mode, nor when the caller collects the printed lines. */
export function showProgress(options: TutorialOptions): boolean {
  return !options.quiet && !options.log;
}

/** The print function for these options. */
export function logger(options: TutorialOptions): (line: string) => void {
  if (options.log) return options.log;
  if (options.quiet) return () => undefined;
  return (line) => console.log(line);
}

/**
 * `new tf.Session({ graph, backend })`, with a clear message when the requested backend cannot start
 * (for example `--backend gpu` on a build or machine without the gpu.js backend).
 */
export function openSession(graph: tf.Graph, options: TutorialOptions): tf.Session {
  const backend = options.backend ?? 'cpu';
  try {
    return new tf.Session({ graph, backend });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `Cannot start a Session with backend '${backend}': ${why}\nRun with --backend cpu (the default) instead.`,
    );
  }
}

/** Describes the session's backend in one line, e.g. `backend: cpu (…)`. */
export function describeBackend(sess: tf.Session): string {
  const info = sess.backendInfo;
  return `backend: ${info.backend}${info.reason ? ` (${info.reason})` : ''}`;
}

/** The number of steps to run: the option when given (a positive integer), else the default. */
export function stepsOption(options: TutorialOptions, fallback: number): number {
  const s = options.steps;
  if (s === undefined) return fallback;
  if (!Number.isInteger(s) || s <= 0) throw new Error(`steps must be a positive integer, got ${s}`);
  return s;
}

/** Seconds since `start` (from `performance.now()`), rounded to 0.1 s. */
export function secondsSince(start: number): number {
  return Math.round((performance.now() - start) / 100) / 10;
}

/** `0.9134` → `'91.34 %'`. */
export function percent(x: number): string {
  return `${(x * 100).toFixed(2)} %`;
}

/** Formats a number list compactly: `[0.12, -3.4]`. */
export function fmtVec(values: ArrayLike<number>, digits = 3): string {
  return `[${Array.from(values, (v) => v.toFixed(digits)).join(', ')}]`;
}
