// TensorBoard event files for the tutorials: where they go (`<out>/logs/<tutorial>`), writing recorded
// curves with tf.summary.FileWriter, and the command that shows them (`npx tensorgraph board`).
import * as path from 'path';
import * as tf from '../../src';

/** The log directory of tutorial `name` under the output folder; `undefined` when output is off. */
export function logdirFor(outDir: string | null | undefined, name: string): string | undefined {
  if (outDir === null) return undefined;
  return path.join(outDir ?? 'out', 'logs', name);
}

/** The command that shows a log directory in the board. */
export function boardCommand(logdir: string): string {
  return `npx tensorgraph board --logdir ${logdir}`;
}

/**
 * Writes recorded curves (`{ tag: [step, value][] }`) and the graph as an event file in `logdir`
 * (for tutorials that record their curves during training and write them at the end).
 */
export function writeCurves(
  logdir: string,
  graph: tf.Graph | null,
  curves: Record<string, [number, number][]>,
): void {
  const writer = new tf.summary.FileWriter(logdir, graph);
  const steps = new Map<number, { tag: string; simpleValue: number }[]>();
  for (const [tag, points] of Object.entries(curves))
    for (const [step, value] of points) {
      if (!Number.isFinite(value)) continue;
      const list = steps.get(step) ?? [];
      list.push({ tag, simpleValue: value });
      steps.set(step, list);
    }
  for (const step of [...steps.keys()].sort((a, b) => a - b))
    writer.addSummary({ value: steps.get(step) as { tag: string; simpleValue: number }[] }, step);
  writer.close();
}

/** Writes several runs (`{ run: { tag: [step, value][] } }`), each in its own subdirectory of `logdir`. */
export function writeRuns(
  logdir: string,
  graph: tf.Graph | null,
  runs: Record<string, Record<string, [number, number][]>>,
): void {
  for (const [name, curves] of Object.entries(runs))
    writeCurves(path.join(logdir, name.replace(/[^A-Za-z0-9_.-]+/g, '_')), graph, curves);
}
