import { DType } from '../../graph/dtype';
import { Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, makeTensor } from '../op_def';
import { InvalidArgumentError } from '../../errors';
import { declare, kinds, param } from '../../graph/signature';
import { scalarAxis } from './concat';
import { buildTensor, checkAxis, intTensor, requireInt, unknownDims, valueTensor } from './util';

/**
 * GatherV2(params, indices:int32, axis:int32): `params` with axis `axis` replaced by the entries of
 * `indices`. An index outside [0, params.shape[axis]) is a run-time error (the CPU kernel names it).
 */
defineOp({
  type: 'GatherV2',
  infer: (ctx) => {
    requireInt(ctx, 1, 'indices');
    const axis = scalarAxis(ctx, 2);
    const [p, ind] = ctx.shapes as [Shape, Shape];
    const dtype = ctx.dtypes[0] as DType;
    if (p !== null && p.length === 0) ctx.fail('Shape must be at least rank 1 but is rank 0');
    if (p === null || ind === null) return [{ shape: null, dtype }];
    if (axis === null) return [{ shape: unknownDims(p.length + ind.length - 1), dtype }];
    const ax = checkAxis(ctx, axis, p.length);
    return [{ shape: [...p.slice(0, ax), ...ind, ...p.slice(ax + 1)], dtype }];
  },
  grad: (op, [dy]) => {
    if (!dy) return [null, null, null];
    const [params, indices, axis] = op.inputs as Tensor[];
    return [
      makeTensor('GatherGrad', [dy, params as Tensor, indices as Tensor, axis as Tensor], {}, 'GatherGrad'),
      null,
      null,
    ];
  },
});

/**
 * GatherGrad(dy, like, indices, axis): the dense gradient of a gather — zeros shaped like `like` (the
 * params) with each slice of `dy` added at its index (repeated indices accumulate).
 */
defineOp({
  type: 'GatherGrad',
  infer: (ctx) => {
    requireInt(ctx, 2, 'indices');
    scalarAxis(ctx, 3);
    return [{ shape: ctx.shapes[1] as Shape, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => {
    if (!dy) return [null, null, null, null];
    const [, , indices, axis] = op.inputs as Tensor[];
    return [gather(dy, indices as Tensor, { axis: axis as Tensor }), null, null, null];
  },
});

/**
 * Picks slices of `params` along `axis` (default 0) at the int32 `indices`; the result's shape is
 * `params.shape[:axis] + indices.shape + params.shape[axis+1:]` — TF1's `tf.gather(params, indices,
 * validate_indices=None, name=None, axis=None, batch_dims=0)`. As in TF1, `validateIndices` is
 * deprecated and has no effect (indices are always checked: out-of-range is an error); a non-zero
 * `batchDims` is not supported and is an error. Note the TF1 order: the third positional argument is
 * `validateIndices`, so the axis goes by keyword: `tf.gather(x, idx, { axis: 1 })`.
 *
 * @example
 * tf.gather(embeddings, ids);              // [vocab,dim] with [batch,len] → [batch,len,dim]
 * tf.gather(x, [2, 0], { axis: 1 });       // columns 2 and 0 of x
 */
export const gather = declare(
  'gather',
  [
    param('params', kinds.tensor),
    param('indices', kinds.tensor),
    param('validateIndices', kinds.nullable(kinds.bool), { default: null }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('axis', kinds.nullable(kinds.tensor), { default: null }),
    param('batchDims', kinds.int, { default: 0 }),
  ] as const,
  (a): Tensor => {
    if (a.batchDims !== 0)
      throw new InvalidArgumentError(`gather: batch_dims=${a.batchDims} is not supported (only 0)`);
    const ax = (a.axis ?? 0) as TensorLike;
    return buildTensor('GatherV2', 'GatherV2', a.name, [a.params, a.indices, ax], (g) => ({
      inputs: [valueTensor(a.params, g), intTensor(a.indices, 'indices', g), intTensor(ax, 'axis', g)],
      attrs: {},
    }));
  },
);
