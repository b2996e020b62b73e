import type { DType } from '../../../graph/dtype';
import { sizeOf, stridesOf } from '../../../graph/shape';
import { coords, linear, makeProgram } from '../program';
import type { GpuKernelContext } from '../registry';
import type { GpuTensor } from '../tensor';

/**
 * Helpers of the data-movement kernels (slice.ts, transpose.ts, tile.ts, join.ts, gather.ts,
 * broadcast.ts, fill.ts).
 */
export type Out = { shape: number[]; dtype: DType };
export const out0 = (ctx: GpuKernelContext): Out => ctx.outputs[0] as Out;
export const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);
/** Coordinate names c0 … c{rank-1}. */
export const cs = (rank: number, p = 'c'): string[] => Array.from({ length: rank }, (_v, k) => `${p}${k}`);

/** out = x read at `index` (an expression over the output coordinates c0…). */
export function gather(
  ctx: GpuKernelContext,
  x: GpuTensor,
  out: Out,
  index: string,
  extra: GpuTensor[] = [],
): GpuTensor {
  const p = makeProgram(
    sizeOf(out.shape),
    ['x', ...extra.map((_t, k) => `e${k}`)],
    `${coords(out.shape)}\nreturn x[${index}];`,
  );
  return ctx.run(p, [x, ...extra], out.shape, out.dtype);
}

/** The element of an array of shape `x` at (coordinate expressions) `exprs`, which must be in range. */
export function at(x: readonly number[], exprs: readonly string[]): string {
  return linear(exprs as string[], stridesOf(x));
}
