import { InvalidArgumentError } from '../../errors';
import { sizeOf } from '../../graph/shape';

/*
 * The run-time rules of GatherV2 and GatherGrad (gather.ts), the same on every backend: the index check
 * with TF1's message, and the (outer, limit, inner) layout of the gathered axis. The backends' kernels
 * call them on the host, where the indices and the axis live, and only move the data
 * (src/backends/cpu/kernels/gather.ts, src/backends/gpujs/kernels/gather.ts).
 */

/**
 * Checks every index is in [0, limit), with TF1's run-time message naming the first bad one by its
 * position: `indices[1,0] = 7 is not in [0, 5)`.
 *
 * @example
 * checkGatherIndices({ data: [0, 7], shape: [2] }, 5); // throws 'indices[1] = 7 is not in [0, 5)'
 */
export function checkGatherIndices(
  indices: { readonly data: ArrayLike<number>; readonly shape: readonly number[] },
  limit: number,
): void {
  const d = indices.data;
  for (let j = 0; j < d.length; j++) {
    const k = d[j] as number;
    if (k < 0 || k >= limit) {
      const pos: number[] = [];
      let rem = j;
      for (let ax = indices.shape.length - 1; ax >= 0; ax--) {
        const n = indices.shape[ax] as number;
        pos.unshift(rem % n);
        rem = Math.floor(rem / n);
      }
      // TF1's SliceDebugString: no brackets for a scalar index.
      const where = pos.length ? `[${pos.join(',')}]` : '';
      throw new InvalidArgumentError(`indices${where} = ${k} is not in [0, ${limit})`);
    }
  }
}

/**
 * The layout of a gather of `shape` along `axis` (negative counts from the end): the number of slices
 * before the axis, the axis' length (the index limit) and the size of one slice after it.
 *
 * @example
 * gatherLayout([2, 5, 3], 1); // [2, 5, 3]
 * gatherLayout([2, 5, 3], -1); // [10, 3, 1]
 */
export function gatherLayout(shape: readonly number[], axis: number): [number, number, number] {
  const ax = axis < 0 ? axis + shape.length : axis;
  return [sizeOf(shape.slice(0, ax)), shape[ax] as number, sizeOf(shape.slice(ax + 1))];
}
