import { DType } from '../../graph/dtype';
import { Dim, Shape, shapeToString } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { defineOp, InferContext, makeTensor } from '../op_def';
import {
  buildTensor,
  intTensor,
  intValues,
  requireInt,
  unknownDims,
  valueTensor,
  vectorLength,
} from './util';

/** Fails unless `a` and `b` agree where both are known. */
function mergeable(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
}

function checkScatterShapes(ctx: InferContext, ind: Shape, upd: Shape, out: Shape): void {
  if (ind === null || upd === null || out === null) return;
  const k = ind[ind.length - 1] as Dim;
  if (k === null) return;
  const outer = ind.length - 1;
  if (!mergeable(ind.slice(0, outer), upd.slice(0, outer))) {
    ctx.fail(
      `The outer ${outer} dimensions of indices.shape=${shapeToString(ind)} must match the outer ${outer} dimensions of updates.shape=${shapeToString(upd)}`,
    );
  }
  if (k > out.length || !mergeable(out.slice(k), upd.slice(outer))) {
    ctx.fail(
      `The inner ${out.length - k} dimensions of output.shape=${shapeToString(out)} must match the inner ${upd.length - outer} dimensions of updates.shape=${shapeToString(upd)}`,
    );
  }
}

/**
 * ScatterNd(indices:int32 [..., K], updates, shape:int32 [rank]) → zeros of `shape` with each slice of
 * `updates` added at its index row (repeated rows accumulate). Gradient w.r.t. updates: GatherNd.
 */
defineOp({
  type: 'ScatterNd',
  defaultName: 'ScatterNd',
  infer: (ctx) => {
    requireInt(ctx, 0, 'indices');
    requireInt(ctx, 2, 'shape');
    const dtype = ctx.dtypes[1] as DType;
    const ind = ctx.shapes[0] as Shape;
    if (ind !== null && ind.length < 1) ctx.fail('Shape must be at least rank 1 but is rank 0');
    const n = vectorLength(ctx, 2, 'shape');
    const v = intValues(ctx, 2);
    if (v && v.some((d) => d < 0)) ctx.fail(`shape must not have negative dimensions, got [${v.join(',')}]`);
    const out: Shape = v ? v.slice() : unknownDims(n);
    checkScatterShapes(ctx, ind, ctx.shapes[1] as Shape, out);
    return [{ shape: out, dtype }];
  },
  grad: (op, [dy]) => {
    const [indices, updates] = op.inputs as [Tensor, Tensor];
    if (!dy || updates.dtype !== 'float32') return [null, null, null];
    return [null, makeTensor('GatherNd', [dy, indices], {}, 'GatherNd'), null];
  },
});

/**
 * A tensor of `shape` filled with zeros, with the slices of `updates` added at the int32 index rows of
 * `indices` (TF1's `tf.scatter_nd(indices, updates, shape, name=None)`); repeated index rows accumulate.
 * With `indices` of shape `[..., K]`, `updates` has shape `indices.shape[:-1] + shape[K:]`. An index row
 * outside `shape` fails at run time. Differentiable w.r.t. `updates` (its gradient is `tf.gatherNd`).
 *
 * @example
 * tf.scatterNd([[4], [3], [1], [7]], [9, 10, 11, 12], [8]); // → [0, 11, 0, 10, 9, 0, 0, 12]
 */
export const scatterNd = declare(
  'scatterNd',
  [
    param('indices', kinds.tensor),
    param('updates', kinds.tensor),
    param('shape', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor =>
    buildTensor('ScatterNd', 'ScatterNd', a.name, [a.indices, a.updates, a.shape], (g) => ({
      inputs: [intTensor(a.indices, 'indices', g), valueTensor(a.updates, g), intTensor(a.shape, 'shape', g)],
      attrs: {},
    })),
);
