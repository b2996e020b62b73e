import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, makeTensor, NameOption, parseOptions } from '../op_def';

/** Options of shape/size/rank: TF1's `out_type` (int32 is the only integer type here). */
export interface ShapeOptions extends NameOption {
  outType?: 'int32';
}

function outType(what: string, opts: ShapeOptions): 'int32' {
  if (opts.outType !== undefined && opts.outType !== 'int32') {
    throw new Error(`${what}: outType must be 'int32', got '${String(opts.outType)}'`);
  }
  return 'int32';
}

defineOp({
  type: 'Shape',
  defaultName: 'Shape',
  infer: (ctx) => {
    const s = ctx.shapes[0] ?? null;
    return [{ shape: [s === null ? null : s.length], dtype: 'int32' }];
  },
  grad: 'none',
});

/**
 * The run-time shape of `x` as a 1-D int32 tensor (works with unknown dims).
 *
 * @example
 * const x = tf.placeholder('float32', [null, 3]);
 * const z = tf.zeros(tf.shape(x)); // same shape as each fed x
 */
export function shape(x: TensorLike, options?: ShapeOptions | string): Tensor {
  const opts = parseOptions(options);
  return makeTensor('Shape', [x], { out_type: outType('shape', opts) }, opts.name);
}

defineOp({ type: 'Size', defaultName: 'Size', infer: () => [{ shape: [], dtype: 'int32' }], grad: 'none' });

/**
 * The number of elements of `x` (int32 scalar), at run time.
 *
 * @example
 * tf.size(tf.placeholder('float32', [null, 4]));
 */
export function size(x: TensorLike, options?: ShapeOptions | string): Tensor {
  const opts = parseOptions(options);
  return makeTensor('Size', [x], { out_type: outType('size', opts) }, opts.name);
}

defineOp({ type: 'Rank', defaultName: 'Rank', infer: () => [{ shape: [], dtype: 'int32' }], grad: 'none' });

/**
 * The number of dimensions of `x` (int32 scalar).
 *
 * @example
 * tf.rank(tf.zeros([2, 3])); // 2
 */
export function rank(x: TensorLike, name?: string | NameOption): Tensor {
  return makeTensor('Rank', [x], {}, parseOptions(name).name);
}
