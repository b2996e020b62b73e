import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Dim, Shape, shapeToString, stridesOf } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { defineOp, makeTensor } from '../op_def';
import { shape as shapeOf } from '../fill/shape';
import { buildTensor, intTensor, requireInt, valueTensor } from './util';

/**
 * GatherNd(params, indices:int32 [..., K]) → indices.shape[:-1] + params.shape[K:]: each innermost row
 * of `indices` addresses an element (K = rank) or a slice (K < rank) of `params`. An index row outside
 * params' shape is a run-time error (TF CPU's message). Gradient: ScatterNd of dy into params' shape.
 */
defineOp({
  type: 'GatherNd',
  defaultName: 'GatherNd',
  infer: (ctx) => {
    requireInt(ctx, 1, 'indices');
    const [p, ind] = ctx.shapes as [Shape, Shape];
    const dtype = ctx.dtypes[0] as DType;
    if (ind !== null && ind.length < 1) ctx.fail('Shape must be at least rank 1 but is rank 0');
    if (p === null || ind === null) return [{ shape: null, dtype }];
    const k = ind[ind.length - 1] as Dim;
    if (k === null) return [{ shape: null, dtype }];
    if (k > p.length) {
      ctx.fail(
        `indices.shape[-1] must be <= params.rank, but saw indices shape: ${shapeToString(ind)} and params shape: ${shapeToString(p)}`,
      );
    }
    return [{ shape: [...ind.slice(0, -1), ...p.slice(k)], dtype }];
  },
  grad: (op, [dy]) => {
    const [params, indices] = op.inputs as [Tensor, Tensor];
    if (!dy || params.dtype !== 'float32') return [null, null];
    const s = params.shape;
    const shape: TensorLike = s !== null && s.every((d) => d !== null) ? (s as number[]) : shapeOf(params);
    const g = params.graph;
    return [makeTensor('ScatterNd', [indices, dy, intTensor(shape, 'shape', g)], {}, 'ScatterNd'), null];
  },
});

/**
 * Gathers slices of `params` addressed by the innermost rows of the int32 `indices` (TF1's
 * `tf.gather_nd(params, indices, name=None, batch_dims=0)`): with `indices` of shape `[..., K]`, the
 * result has shape `indices.shape[:-1] + params.shape[K:]`. An index row outside `params` fails at run
 * time with TF's message (`indices[1] = [2, 0] does not index into param shape [2,3]`). Differentiable
 * w.r.t. `params` (the gradient is `tf.scatterNd`). A non-zero `batchDims` is not supported (an error).
 *
 * @example
 * tf.gatherNd([[1, 2], [3, 4]], [[1, 0], [0, 1]]); // → [3, 2]
 * tf.gatherNd(x, [[1], [0]]);                      // rows 1 and 0 of x
 */
export const gatherNd = declare(
  'gatherNd',
  [
    param('params', kinds.tensor),
    param('indices', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('batchDims', kinds.int, { default: 0 }),
  ] as const,
  (a): Tensor => {
    if (a.batchDims !== 0)
      throw new InvalidArgumentError(`gatherNd: batch_dims=${a.batchDims} is not supported (only 0)`);
    return buildTensor('GatherNd', 'GatherNd', a.name, [a.params, a.indices], (g) => ({
      inputs: [valueTensor(a.params, g), intTensor(a.indices, 'indices', g)],
      attrs: {},
    }));
  },
);

/**
 * Index rows of GatherNd / ScatterNd (shared by the CPU and GPU kernels): the flat element offset of
 * each innermost row of `indices` into an array of `shape`, checked against the shape with TF's message
 * (`indices[1] = [2, 0] does not index into param shape [2,3]`).
 */
export function ndOffsets(
  indices: ArrayLike<number>,
  indicesShape: readonly number[],
  shape: readonly number[],
  what: 'param shape' | 'shape',
): { offsets: Float64Array; slice: number } {
  const k = indicesShape[indicesShape.length - 1] as number;
  const rows = k === 0 ? indicesShape.slice(0, -1).reduce((a, b) => a * b, 1) : indices.length / k;
  const strides = stridesOf(shape as number[]);
  const slice = shape.slice(k).reduce((a, b) => a * b, 1);
  const offsets = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let off = 0;
    for (let j = 0; j < k; j++) {
      const v = indices[r * k + j] as number;
      const d = shape[j] as number;
      if (v < 0 || v >= d) {
        const row = Array.from({ length: k }, (_x, t) => indices[r * k + t] as number);
        throw new InvalidArgumentError(
          `indices${position(r, indicesShape.slice(0, -1))} = [${row.join(', ')}] does not index into ${what} [${shape.join(',')}]`,
        );
      }
      off += v * (strides[j] as number);
    }
    offsets[r] = off;
  }
  return { offsets, slice };
}

/** `[i,j]`: the coordinates of flat row `r` in `shape` (TF's SliceDebugString; empty for a scalar). */
function position(r: number, shape: readonly number[]): string {
  if (shape.length === 0) return '';
  const pos: number[] = [];
  let rem = r;
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    const n = shape[ax] as number;
    pos.unshift(rem % n);
    rem = Math.floor(rem / n);
  }
  return `[${pos.join(',')}]`;
}
