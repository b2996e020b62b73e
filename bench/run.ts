/**
 * `npm run bench`: tensorgraph against TensorFlow.js (its pure-JS CPU backend and its WebAssembly backend,
 * XNNPACK with SIMD) on the same workloads, in one run, each measurement in its own child process (so
 * every row has its own peak RSS and no framework warms another's caches).
 *
 *   npm run bench                      # everything (a few minutes)
 *   npm run bench -- --quick           # fewer repetitions
 *   npm run bench -- --only=mlp,gru    # some workloads
 *   npm run bench -- --json=out.json   # also write the raw results
 *   npm run bench -- --rounds=3        # interleave more rounds (default 2; 1 with --quick)
 *
 * Workloads: matmul 256/512/1024 (GFLOP/s; 1024 also on one and on two threads), the MLP 784-512-10
 * training step (batch 128, Adam), the LeNet-5 training step (batch 64, SGD), the GRU training step
 * (seq 32, batch 32, input 64, hidden 128, Adam; unrolled from the GRU equations), the MLP and LeNet steps
 * as data-parallel towers on CPU devices (`mlp-towers`, `lenet-towers`: the batch split over N = min(cores,
 * 4) devices, one kernel thread each; the peers' cells are their ordinary steps) and the per-op overhead
 * of Session.run on a 10-op graph of [2, 2] tensors; pretrained-model inference (BlazeFace, HandLandmark-lite:
 * bench/pretrained.ts). Prints medians, [min–max] ranges, the ratio to each
 * peer (how many times faster tensorgraph is) and each child's peak RSS.
 *
 * The machine is shared and noisy, so the whole job list runs in `rounds` interleaved rounds (every
 * framework sees the same mix of quiet and busy moments) and each cell pools the repetitions of all
 * rounds. Every child runs with the same node flags. On Node 20 (V8 < 11.4) that includes
 * --experimental-wasm-relaxed-simd, which lets tensorgraph load its fused-multiply-add kernel build;
 * tfjs's XNNPACK binaries contain no relaxed-SIMD code, so the flag changes nothing for them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Framework, Result, Workload, WORKLOADS } from './common';
import { PRETRAINED_LABELS } from './pretrained';

interface Job {
  framework: Framework;
  workload: Workload;
  threads: number;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const jsonOut = args.find((a) => a.startsWith('--json='))?.slice(7);
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? (quick ? 1 : 2));

/** Relaxed SIMD is on by default from V8 11.4 (Node 22); older engines need the flag. */
function nodeFlags(): string[] {
  const [major, minor] = process.versions.v8.split('.').map(Number) as [number, number];
  return major < 11 || (major === 11 && minor < 4) ? ['--experimental-wasm-relaxed-simd'] : [];
}
const childFlags = nodeFlags();
const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
const multi = Math.max(2, Math.min(cores, 4));

const workloads = WORKLOADS.filter((w) => !only || only.includes(w));
const jobs: Job[] = [];
for (const workload of workloads) {
  for (const framework of ['tensorgraph', 'tfjs-cpu', 'tfjs-wasm'] as Framework[]) {
    if (workload === 'matmul1024' && framework !== 'tfjs-cpu') {
      jobs.push({ framework, workload, threads: 1 }, { framework, workload, threads: multi });
    } else {
      jobs.push({ framework, workload, threads: framework === 'tensorgraph' ? multi : 1 });
    }
  }
}

function runChild(job: Job): Result {
  const child = path.join(__dirname, 'child.ts');
  const argv = [
    ...childFlags,
    '-r',
    'ts-node/register/transpile-only',
    child,
    job.framework,
    job.workload,
    String(job.threads),
  ];
  if (quick) argv.push('quick');
  const r = spawnSync(process.execPath, argv, {
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    maxBuffer: 1 << 26,
    timeout: 15 * 60 * 1000,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) {
    const why = r.error?.message ?? (r.stderr || '').trim().split('\n').slice(-3).join(' | ');
    return { ...job, times: [], peakRss: 0, error: `child failed: ${why || `exit ${r.status}`}` };
  }
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as Result;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

/** The value reported for a result and whether larger is better. */
function metric(
  r: Result,
): { unit: string; med: number; lo: number; hi: number; higherBetter: boolean } | null {
  if (r.error || !r.times.length) return null;
  if (r.flops) {
    const g = r.times.map((t) => r.flops! / t / 1e6);
    return { unit: 'GFLOP/s', med: median(g), lo: Math.min(...g), hi: Math.max(...g), higherBetter: true };
  }
  if (r.ops) {
    const u = r.times.map((t) => (t * 1000) / r.ops!);
    return { unit: 'µs/op', med: median(u), lo: Math.min(...u), hi: Math.max(...u), higherBetter: false };
  }
  return {
    unit: 'ms/step',
    med: median(r.times),
    lo: Math.min(...r.times),
    hi: Math.max(...r.times),
    higherBetter: false,
  };
}

const fmt = (x: number): string =>
  x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2);
const mb = (b: number): string => `${Math.round(b / 2 ** 20)} MB`;

function cell(r: Result | undefined): string {
  if (!r) return '—';
  const m = metric(r);
  if (!m) return `n/a (${r.error ?? 'no data'})`;
  return `${fmt(m.med)} [${fmt(m.lo)}–${fmt(m.hi)}] ×${r.times.length}, ${mb(r.peakRss)}`;
}

function ratio(ours: Result | undefined, peer: Result | undefined): string {
  const a = ours && metric(ours);
  const b = peer && metric(peer);
  if (!a || !b) return '—';
  const x = a.higherBetter ? a.med / b.med : b.med / a.med;
  return `${x.toFixed(x >= 10 ? 0 : 2)}×`;
}

function label(w: Workload, threads: number, showThreads: boolean): string {
  const names: Record<Workload, string> = {
    matmul256: 'matmul 256 (GFLOP/s)',
    matmul512: 'matmul 512 (GFLOP/s)',
    matmul1024: 'matmul 1024 (GFLOP/s)',
    mlp: 'MLP 784-512-10 step, batch 128 (ms)',
    lenet: 'LeNet-5 step, batch 64 (ms)',
    'mlp-towers': `MLP step as ${multi} towers on ${multi} CPU devices (ms)`,
    'lenet-towers': `LeNet-5 step as ${multi} towers on ${multi} CPU devices (ms)`,
    gru: 'GRU step, seq 32 batch 32 64→128 (ms)',
    overhead: 'Session.run overhead, 10 tiny ops (µs/op)',
    ...PRETRAINED_LABELS,
  };
  return showThreads ? `${names[w]}, ${threads} thread${threads > 1 ? 's' : ''}` : names[w];
}

function main(): void {
  const started = Date.now();
  console.log(
    `tensorgraph bench — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, ${cores} cores, ${rounds} round(s)` +
      `${quick ? ', quick' : ''}${childFlags.length ? `; children run with ${childFlags.join(' ')}` : ''}`,
  );
  const done: { job: Job; r: Result }[] = jobs.map((job) => ({ job, r: { ...job, times: [], peakRss: 0 } }));
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round}/${rounds}`);
    for (const d of done) {
      const { job } = d;
      process.stdout.write(
        `  ${job.framework.padEnd(11)} ${job.workload.padEnd(10)} threads=${job.threads} … `,
      );
      const r = runChild(job);
      const m = metric(r);
      console.log(m ? `${fmt(m.med)} ${m.unit} (${r.times.length} reps)` : `n/a: ${r.error}`);
      // Pool the rounds: all repetitions, the largest peak RSS; an error only if no round succeeded.
      const times = [...d.r.times, ...r.times];
      d.r = { ...r, times, peakRss: Math.max(d.r.peakRss, r.peakRss) };
      if (times.length) delete d.r.error;
    }
  }
  const tg = done.find((d) => d.job.framework === 'tensorgraph' && d.r.note)?.r.note;
  console.log(`\ntensorgraph kernels: ${tg ?? '?'}`);
  console.log(
    'cells: median [min–max] ×repetitions, peak RSS of the process; ratio = how many times faster tensorgraph is\n',
  );
  const rows: string[][] = [['workload', 'tensorgraph', 'tfjs-cpu', 'vs cpu', 'tfjs-wasm', 'vs wasm']];
  for (const w of workloads) {
    const threadsList = w === 'matmul1024' ? [1, multi] : [0];
    for (const t of threadsList) {
      const pick = (f: Framework): Result | undefined =>
        done.find(
          (d) =>
            d.job.framework === f &&
            d.job.workload === w &&
            (t === 0 || f === 'tfjs-cpu' || d.job.threads === t),
        )?.r;
      const ours = pick('tensorgraph');
      const cpu = pick('tfjs-cpu');
      const wasm = pick('tfjs-wasm');
      rows.push([label(w, t, t > 0), cell(ours), cell(cpu), ratio(ours, cpu), cell(wasm), ratio(ours, wasm)]);
    }
  }
  console.log(markdownTable(rows));
  console.log(
    `\n(${((Date.now() - started) / 1000).toFixed(0)} s; command: npm run bench${args.length ? ` -- ${args.join(' ')}` : ''})`,
  );
  if (jsonOut)
    fs.writeFileSync(
      jsonOut,
      JSON.stringify(
        done.map((d) => d.r),
        null,
        2,
      ),
    );
}

function markdownTable(rows: string[][]): string {
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string => `| ${r.map((x, c) => x.padEnd(widths[c] as number)).join(' | ')} |`;
  return [
    line(rows[0] as string[]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

main();
