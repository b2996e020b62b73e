import type { DType } from '../../../graph/dtype';
import { sizeOf } from '../../../graph/shape';
import { NDArray } from '../../../ndarray';
import { clampIndex, ilit, makeProgram } from '../program';
import type { GpuKernelContext } from '../registry';
import type { GpuTensor } from '../tensor';

/**
 * Row assembly on the device, for TensorArrays (kernels/tensor_array.ts) and the per-iteration outputs
 * a While accumulates (kernels/control.ts): an output of `rows` rows of `rowLen` values each, built from
 * runs of rows of device tensors, every other row zero. Which rows come from where is decided on the host
 * (TensorArray indices and loop counters are host integers) and baked into the kernel, so no data is
 * read back and, for short lists of runs, nothing is uploaded.
 */

/** `count` rows of `t` from row `from`, placed at output row `at`. */
export interface Run {
  t: GpuTensor;
  from: number;
  at: number;
  count: number;
}

/** Kernels take at most this many tensor arguments (as the other data-movement kernels). */
export const MAX_ARGS = 15;
/** Longest if-chain of runs baked into one kernel; longer lists go through an uploaded row map. */
const MAX_RUNS = 32;

/** A zero tensor of `shape` made on the device (no upload). */
export function zeros(ctx: GpuKernelContext, shape: number[], dtype: DType): GpuTensor {
  return ctx.run(makeProgram(sizeOf(shape), [], 'return 0.0;'), [], shape, dtype);
}

/** Runs of consecutive rows: `[out row, source row]` pairs merged where both go up by one. */
export function runsOf(pairs: readonly (readonly [number, number])[], t: GpuTensor): Run[] {
  const runs: Run[] = [];
  for (const [at, from] of pairs) {
    const last = runs[runs.length - 1];
    if (last && last.t === t && last.at + last.count === at && last.from + last.count === from) last.count++;
    else runs.push({ t, from, at, count: 1 });
  }
  return runs;
}

/**
 * A tensor of `shape` (`rows` × `rowLen` values) assembled from `runs` (of at most MAX_ARGS distinct
 * tensors, each read as rows of `rowLen`); rows no run covers are zero. One kernel launch.
 */
export function assemble(
  ctx: GpuKernelContext,
  runs: readonly Run[],
  rowLen: number,
  shape: number[],
  dtype: DType,
): GpuTensor {
  const live = runs.filter((r) => r.count > 0 && r.t.size > 0);
  if (sizeOf(shape) === 0 || rowLen === 0 || live.length === 0) return zeros(ctx, shape, dtype);
  const only = live[0] as Run;
  if (
    live.length === 1 &&
    only.from === 0 &&
    only.at === 0 &&
    only.count * rowLen === sizeOf(shape) &&
    only.t.size === sizeOf(shape)
  )
    return only.t.share(shape);
  const args: GpuTensor[] = [];
  for (const r of live) if (!args.includes(r.t)) args.push(r.t);
  if (args.length > MAX_ARGS) throw new Error(`internal: row assembly of ${args.length} tensors`);
  const names = args.map((_t, k) => `t${k}`);
  const head = [`const row = Math.floor(i / ${ilit(rowLen)});`, `const col = i - row * ${ilit(rowLen)};`];
  if (live.length <= MAX_RUNS) {
    // Every source is read (at a clamped index) before choosing, as the other data-movement kernels do.
    const lines = [...head, 'let r = 0.0;'];
    const choose: string[] = [];
    live.forEach((run, q) => {
      const k = args.indexOf(run.t);
      const rowsOf = run.t.size / rowLen;
      const d = run.at - run.from;
      const src = clampIndex(d === 0 ? 'row' : d > 0 ? `row - ${ilit(d)}` : `row + ${ilit(-d)}`, rowsOf - 1);
      lines.push(`const v${q} = t${k}[${src} * ${ilit(rowLen)} + col];`);
      choose.push(
        `${q ? '} else ' : ''}if (row >= ${ilit(run.at)} && row < ${ilit(run.at + run.count)}) { r = v${q};`,
      );
    });
    lines.push(...choose, '}', 'return r;');
    return ctx.run(makeProgram(sizeOf(shape), names, lines.join('\n')), args, shape, dtype);
  }
  // Many runs: a map of the output rows (source tensor and row, or -1 for a zero row), uploaded once.
  const rows = sizeOf(shape) / rowLen;
  const map = new Int32Array(rows).fill(-1);
  for (const run of live) {
    const k = args.indexOf(run.t);
    for (let j = 0; j < run.count; j++) map[run.at + j] = (run.from + j) * MAX_ARGS + k;
  }
  const m = ctx.upload(new NDArray(map, [rows], 'int32'));
  try {
    const lines = [
      ...head,
      'const s = map[row];',
      `const src = Math.floor(s / ${ilit(MAX_ARGS)});`,
      `const which = s - src * ${ilit(MAX_ARGS)};`,
      'let r = 0.0;',
    ];
    args.forEach((t, k) => {
      lines.push(
        `const v${k} = t${k}[${clampIndex('src', t.size / rowLen - 1)} * ${ilit(rowLen)} + col];`,
        `if (s >= 0 && which === ${ilit(k)}) { r = v${k}; }`,
      );
    });
    lines.push('return r;');
    return ctx.run(
      makeProgram(sizeOf(shape), ['map', ...names], lines.join('\n')),
      [m, ...args],
      shape,
      dtype,
    );
  } finally {
    m.release();
  }
}

/**
 * `parts` (each one row of `rowLen` values) stacked as rows 0… of a tensor of `shape`, later rows zero:
 * one launch for up to MAX_ARGS parts, chunks of them joined otherwise. The parts are not released.
 */
export function stackRows(
  ctx: GpuKernelContext,
  parts: readonly GpuTensor[],
  rowLen: number,
  shape: number[],
  dtype: DType,
): GpuTensor {
  if (parts.length <= MAX_ARGS)
    return assemble(
      ctx,
      parts.map((t, j) => ({ t, from: 0, at: j, count: 1 })),
      rowLen,
      shape,
      dtype,
    );
  const chunks: GpuTensor[] = [];
  try {
    for (let j = 0; j < parts.length; j += MAX_ARGS) {
      const group = parts.slice(j, j + MAX_ARGS);
      chunks.push(stackRows(ctx, group, rowLen, [group.length * rowLen], dtype));
    }
    const runs = chunks.map((t, q) => ({ t, from: 0, at: q * MAX_ARGS, count: t.size / rowLen }));
    if (runs.length <= MAX_ARGS) return assemble(ctx, runs, rowLen, shape, dtype);
    return stackChunks(ctx, runs, rowLen, shape, dtype);
  } finally {
    for (const c of chunks) c.release();
  }
}

/** Joins more than MAX_ARGS runs (each a whole tensor) in rounds of at most MAX_ARGS. */
function stackChunks(
  ctx: GpuKernelContext,
  runs: readonly Run[],
  rowLen: number,
  shape: number[],
  dtype: DType,
): GpuTensor {
  const joined: Run[] = [];
  try {
    for (let j = 0; j < runs.length; j += MAX_ARGS) {
      const group = runs.slice(j, j + MAX_ARGS);
      const at = (group[0] as Run).at;
      const count = group.reduce((a, r) => a + r.count, 0);
      const t = assemble(
        ctx,
        group.map((r) => ({ ...r, at: r.at - at })),
        rowLen,
        [count * rowLen],
        dtype,
      );
      joined.push({ t, from: 0, at, count });
    }
    if (joined.length <= MAX_ARGS) return assemble(ctx, joined, rowLen, shape, dtype);
    return stackChunks(ctx, joined, rowLen, shape, dtype);
  } finally {
    for (const r of joined) r.t.release();
  }
}
