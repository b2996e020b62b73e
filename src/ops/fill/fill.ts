import { DType, isDType } from '../../graph/dtype';
import { Tensor, TensorLike } from '../../graph/tensor';
import { toNDArray } from '../../ndarray';
import { defineOp, makeTensor, NameOption, parseOptions } from '../op_def';
import { reduceSum } from '../reduce/sum';
import { inferShapeInput, shapeInput, ShapeLike } from './shape_arg';

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

/**
 * A tensor of shape `dims` filled with the scalar `value` (its dtype is the value's: JS numbers are
 * float32). `dims` may be a 1-D int32 tensor, e.g. `tf.shape(x)`.
 *
 * @example
 * tf.fill([2, 3], 9);                       // [[9, 9, 9], [9, 9, 9]]
 * tf.fill(tf.shape(x), tf.constant(1, 'int32'));
 */
export function fill(dims: ShapeLike, value: TensorLike, name?: string | NameOption): Tensor {
  // A plain JS value takes its own dtype (numbers → float32), not the int32 of the dims input.
  const hint = value instanceof Tensor ? undefined : typeof value === 'boolean' ? 'bool' : 'float32';
  return makeTensor('Fill', [shapeInput('fill', dims), value], {}, parseOptions(name).name, hint);
}

/** Options of zeros/ones. */
export interface FillOptions extends NameOption {
  dtype?: DType;
}

function filled(
  what: string,
  value: number,
  shape: ShapeLike,
  dtypeOrOpts?: DType | FillOptions | string,
  name?: string,
): Tensor {
  let opts: FillOptions;
  if (typeof dtypeOrOpts === 'string')
    opts = isDType(dtypeOrOpts) ? { dtype: dtypeOrOpts, name } : { name: dtypeOrOpts };
  else opts = { ...dtypeOrOpts, name: dtypeOrOpts?.name ?? name };
  const dtype = opts.dtype ?? 'float32';
  if (!isDType(dtype)) throw new Error(`${what}: unknown dtype '${String(dtype)}'`);
  // An explicit Const: plain numbers would become float32 (bool and int32 need the dtype here).
  const scalar = makeTensor('Const', [], { value: toNDArray(value, dtype, true), dtype }, 'Const');
  return makeTensor('Fill', [shapeInput(what, shape), scalar], {}, opts.name ?? what);
}

/**
 * A tensor of zeros (default float32). The dtype may be given positionally, as in TF1.
 *
 * @example
 * const b = new tf.Variable(tf.zeros([10]));
 * tf.zeros([2, 3], 'int32');
 * tf.zeros(tf.shape(x), { dtype: 'float32', name: 'z' });
 */
export function zeros(shape: ShapeLike, dtype?: DType | FillOptions | string, name?: string): Tensor {
  return filled('zeros', 0, shape, dtype, name);
}

/**
 * A tensor of ones (default float32).
 *
 * @example
 * tf.ones([3, 4]);
 * tf.ones([2], 'bool'); // [true, true]
 */
export function ones(shape: ShapeLike, dtype?: DType | FillOptions | string, name?: string): Tensor {
  return filled('ones', 1, shape, dtype, name);
}
