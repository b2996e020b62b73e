/**
 * One (framework, workload) measurement, run in its own process by bench/run.ts:
 *   ts-node --transpile-only bench/child.ts <framework> <workload> <threads> [quick]
 * Prints one line `BENCH_RESULT <json>` (see Result in ./common).
 */
import { Framework, peakRss, Result, timeIt, timingFor, Workload } from './common';
import { isPretrainedWorkload, preparePretrained } from './pretrained';

async function main(): Promise<void> {
  const [framework, workload, threadArg, quickArg] = process.argv.slice(2) as [
    Framework,
    Workload,
    string,
    string?,
  ];
  const threads = Number(threadArg) || 1;
  const quick = quickArg === 'quick';
  const result: Result = { framework, workload, threads, times: [], peakRss: 0 };
  try {
    let prepared;
    if (isPretrainedWorkload(workload)) {
      const p = await preparePretrained(framework, workload, threads);
      ({ prepared, threads: result.threads } = p);
      if (p.note) result.note = p.note;
    } else if (framework === 'tensorgraph') {
      // Towers: `threads` CPU devices, one kernel thread each (the devices are the parallelism).
      const towers = workload.endsWith('-towers');
      process.env.TENSORGRAPH_THREADS = String(towers ? 1 : threads);
      const { prepare } = await import('./tensorgraph');
      const { kernelInfo, warmUpWorkers } = await import('../src/backends/cpu/wasm');
      prepared = prepare(workload, undefined, towers ? threads : 1);
      // Start the worker threads before timing, as tfjs's backends are initialized (tf.ready()) first.
      if (threads > 1 && !towers) warmUpWorkers();
      if (!towers) result.note = kernelInfo();
    } else {
      const { initTfjs, prepareTfjs } = await import('./tfjs');
      result.threads = await initTfjs(framework === 'tfjs-wasm' ? 'wasm' : 'cpu', threads);
      prepared = prepareTfjs(workload);
    }
    result.times = timeIt(prepared.step, timingFor(workload, framework, quick), prepared.inner ?? 1);
    if (prepared.flops) result.flops = prepared.flops;
    if (prepared.ops) result.ops = prepared.ops;
    if (prepared.loss) result.loss = prepared.loss();
  } catch (e) {
    result.error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  }
  result.peakRss = peakRss();
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

void main();
