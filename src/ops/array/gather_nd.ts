import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Dim, Shape, shapeToString, stridesOf } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { defineOp, graphOf, makeTensor } from '../op_def';
import { constant } from '../state/constant';
import { reduceProd } from '../reduce/prod';
import { concat } from './concat';
import { range } from './range';
import { reshape } from './reshape';
import { slice } from './slice';
import { tile } from './tile';
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
 * w.r.t. `params` (the gradient is `tf.scatterNd`). With `batchDims = b`, the first b dims of `params`
 * and `indices` are batch dims: each batch gathers from its own `params` (TF's `batch_dims`).
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
    if (a.batchDims === 0) return gatherNdOp(a.params as TensorLike, a.indices as TensorLike, a.name);
    const g = graphOf([a.params as TensorLike, a.indices as TensorLike]);
    return g.asDefault(() =>
      g.nameScope(a.name ?? 'GatherNd', () => {
        const params = valueTensor(a.params as TensorLike, g);
        const indices = intTensor(a.indices as TensorLike, 'indices', g);
        return batchGatherNd(params, indices, a.batchDims);
      }),
    );
  },
);

function gatherNdOp(params: TensorLike, indices: TensorLike, name?: string): Tensor {
  return buildTensor('GatherNd', 'GatherNd', name, [params, indices], (g) => ({
    inputs: [valueTensor(params, g), intTensor(indices, 'indices', g)],
    attrs: {},
  }));
}

/** Dims `from..to` of `t` (to = rank when omitted): constants when static, else a slice of its shape. */
function dimsOf(t: Tensor, from: number, to?: number): number[] | Tensor {
  const s = t.shape as Dim[];
  const part = s.slice(from, to);
  if (part.every((d) => d !== null)) return part as number[];
  return slice(shapeOf(t), [from], [(to ?? s.length) - from]);
}

/** A shape vector from parts (plain dims or int32 vectors): plain when every part is. */
function shapeVector(parts: (number[] | Tensor)[]): TensorLike {
  if (parts.every((p) => Array.isArray(p))) return (parts as number[][]).flat();
  return concat(
    parts.map((p) => (Array.isArray(p) ? constant(p, 'int32') : p)),
    0,
  );
}

/**
 * TF1's `gather_nd` with `batch_dims = b > 0` (array_ops.batch_gather_nd): the first b dims of params
 * and indices are batch dims, and each batch gathers from its own params. Built from GatherNd on the
 * batch-flattened params with each index row prefixed by its batch number, so gradients flow as usual.
 */
function batchGatherNd(params: Tensor, indices: Tensor, b: number): Tensor {
  const ps = params.shape;
  const is = indices.shape;
  if (b < 0) throw new InvalidArgumentError('tf.gather_nd does not allow negative batch_dims.');
  if (ps === null || is === null)
    throw new InvalidArgumentError('gatherNd: batch_dims > 0 needs params and indices of known rank');
  if (b >= is.length)
    throw new InvalidArgumentError(`batch_dims = ${b} must be less than rank(indices) = ${is.length}`);
  if (b >= ps.length)
    throw new InvalidArgumentError(`batch_dims = ${b} must be less than rank(params) = ${ps.length}`);
  const k = is[is.length - 1];
  if (typeof k !== 'number')
    throw new InvalidArgumentError('gatherNd: batch_dims > 0 needs the last dimension of indices known');
  if (b + k > ps.length) {
    throw new InvalidArgumentError(
      `indices.shape[-1] must be <= params.rank - batch_dims, but saw indices shape: ${shapeToString(is)} and params shape: ${shapeToString(ps)}`,
    );
  }
  const batch = dimsOf(params, 0, b);
  const nb: number | Tensor = Array.isArray(batch) ? batch.reduce((x, y) => x * y, 1) : reduceProd(batch);
  const nbVec = typeof nb === 'number' ? [nb] : reshape(nb, [1]);
  const flatParams = reshape(params, shapeVector([nbVec, dimsOf(params, b)]));
  const flatIndices = reshape(indices, shapeVector([nbVec, [-1, k]]));
  const rows = dimsOf(flatIndices, 1, 2);
  const batchIds = tile(reshape(range(nb, null, 1, 'int32'), [-1, 1, 1]), shapeVector([[1], rows, [1]]));
  const gathered = gatherNdOp(flatParams, concat([batchIds, flatIndices], 2));
  return reshape(gathered, shapeVector([dimsOf(indices, 0, is.length - 1), dimsOf(params, b + k)]));
}

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
