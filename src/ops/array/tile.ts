import { DType } from '../../graph/dtype';
import { Dim, Shape } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { defineOp, makeTensor } from '../op_def';
import { declare, kinds, param } from '../../graph/signature';
import {
  buildTensor,
  intTensor,
  intValues,
  requireInt,
  unknownDims,
  valueTensor,
  vectorLength,
} from './util';

/** Tile(input, multiples:int32): the input repeated `multiples[i]` times along axis i. */
defineOp({
  type: 'Tile',
  infer: (ctx) => {
    requireInt(ctx, 1, 'multiples');
    const x = ctx.shapes[0] as Shape;
    const len = vectorLength(ctx, 1, 'multiples');
    const dtype = ctx.dtypes[0] as DType;
    const rank = x?.length ?? len;
    if (x !== null && len !== null && len !== x.length) {
      ctx.fail(`Expected multiples argument to be a vector of length ${x.length} but got length ${len}`);
    }
    const m = intValues(ctx, 1);
    if (rank === null) return [{ shape: null, dtype }];
    if (!m) return [{ shape: unknownDims(rank), dtype }];
    if (m.some((v) => v < 0)) ctx.fail(`Expected multiples to be non-negative, got [${m.join(',')}]`);
    return [{ shape: m.map((k, i): Dim => (x && x[i] !== null ? (x[i] as number) * k : null)), dtype }];
  },
  grad: (op, [dy]) => {
    if (!dy) return [null, null];
    const [x, multiples] = op.inputs as [Tensor, Tensor];
    return [makeTensor('TileGrad', [dy, x, multiples], {}, 'TileGrad'), null];
  },
});

/** TileGrad(dy, like, multiples): the sum of the `multiples` tiled copies in dy, shaped like `like`. */
defineOp({
  type: 'TileGrad',
  infer: (ctx) => {
    requireInt(ctx, 2, 'multiples');
    const [dy, like] = ctx.shapes as [Shape, Shape];
    const m = intValues(ctx, 2);
    if (
      ctx.runtime &&
      dy &&
      like &&
      m &&
      (dy.length !== like.length || dy.some((d, i) => d !== (like[i] as number) * (m[i] as number)))
    ) {
      ctx.fail(`Gradient of shape [${dy.join(',')}] is not [${like.join(',')}] tiled [${m.join(',')}] times`);
    }
    return [{ shape: like, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => [dy ? tile(dy, op.inputs[2] as Tensor) : null, null, null],
});

/**
 * Repeats `input` `multiples[i]` times along each axis i — TF1's `tf.tile(input, multiples, name=None)`.
 *
 * @example
 * tf.tile(x, [2, 3]);   // [2,3] → [4,9]
 */
export const tile = declare(
  'tile',
  [
    param('input', kinds.tensor),
    param('multiples', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor =>
    buildTensor('Tile', 'Tile', a.name, [a.input, a.multiples], (g) => ({
      inputs: [valueTensor(a.input, g), intTensor(a.multiples, 'multiples', g)],
      attrs: {},
    })),
);
