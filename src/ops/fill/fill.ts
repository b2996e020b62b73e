import { DType } from '../../graph/dtype';
import { declare, kinds, param } from '../../graph/signature';
import { Tensor, TensorLike } from '../../graph/tensor';
import { toNDArray } from '../../ndarray';
import { defineOp, makeTensor } from '../op_def';
import { reduceSum } from '../reduce/sum';
import { inferShapeInput, shapeInput, shapeKind, ShapeLike } from './shape_arg';

defineOp({
  type: 'Fill',
  defaultName: 'Fill',
  infer: (ctx) => {
    const shape = inferShapeInput(ctx, 0, 'dims');
    const v = ctx.shapes[1] ?? null;
    if (v !== null && v.length !== 0) ctx.fail(`Shape must be rank 0 but is rank ${v.length}`);
    return [{ shape, dtype: ctx.dtypes[1] as DType }];
  },
  // Every output element is the one value: its gradient is the sum of dy.
  grad: (_op, [dy]) => [null, dy ? reduceSum(dy) : null],
});

const NAME = param('name', kinds.name, { default: undefined as string | undefined });

/**
 * A tensor of shape `dims` filled with the scalar `value` (its dtype is the value's: JS numbers are
 * float32) — TF1's `tf.fill(dims, value, name=None)`. `dims` may be a 1-D int32 tensor, e.g. `tf.shape(x)`.
 *
 * @example
 * tf.fill([2, 3], 9);                       // [[9, 9, 9], [9, 9, 9]]
 * tf.fill(tf.shape(x), tf.constant(1, 'int32'));
 */
export const fill = declare(
  'fill',
  [param('dims', shapeKind), param('value', kinds.tensor), NAME] as const,
  (a): Tensor => {
    const value = a.value as TensorLike;
    // A plain JS value takes its own dtype (numbers → float32), not the int32 of the dims input.
    const hint = value instanceof Tensor ? undefined : typeof value === 'boolean' ? 'bool' : 'float32';
    return makeTensor('Fill', [shapeInput('fill', a.dims), value], {}, a.name, hint);
  },
);

function filled(what: string, value: number, a: { shape: ShapeLike; dtype: DType; name?: string }): Tensor {
  // An explicit Const: plain numbers would become float32 (bool and int32 need the dtype here).
  const scalar = makeTensor('Const', [], { value: toNDArray(value, a.dtype, true), dtype: a.dtype }, 'Const');
  return makeTensor('Fill', [shapeInput(what, a.shape), scalar], {}, a.name ?? what);
}

const filledParams = [
  param('shape', shapeKind),
  param('dtype', kinds.dtype, { default: 'float32' as DType }),
  NAME,
] as const;

/**
 * A tensor of zeros — TF1's `tf.zeros(shape, dtype=tf.float32, name=None)`.
 *
 * @example
 * const b = new tf.Variable(tf.zeros([10]));
 * tf.zeros([2, 3], 'int32');
 * tf.zeros(tf.shape(x), { dtype: 'float32', name: 'z' });
 */
export const zeros = declare('zeros', filledParams, (a): Tensor => filled('zeros', 0, a));

/**
 * A tensor of ones — TF1's `tf.ones(shape, dtype=tf.float32, name=None)`.
 *
 * @example
 * tf.ones([3, 4]);
 * tf.ones([2], 'bool'); // [true, true]
 */
export const ones = declare('ones', filledParams, (a): Tensor => filled('ones', 1, a));
