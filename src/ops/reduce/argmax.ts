import { DType } from '../../graph/dtype';
import { Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, InferContext, makeTensor, NameOption, OutputSpec, parseOptions } from '../op_def';
import { InvalidArgumentError } from '../../errors';

/** Options of argmax/argmin. TF1's default output type is int64; tensorgraph's only integer type is int32. */
export interface ArgOptions extends NameOption {
  outputType?: 'int32';
}

function inferArg(ctx: InferContext): OutputSpec[] {
  const dtype = ctx.dtypes[0] as DType;
  if (dtype !== 'float32' && dtype !== 'int32') {
    ctx.fail(`Value for attr 'T' of ${dtype} is not in the list of allowed values: float32, int32`);
  }
  const shape: Shape = ctx.shapes[0] ?? null;
  if (shape === null) return [{ shape: null, dtype: 'int32' }];
  const rank = shape.length;
  const a = ctx.attrs.axis as number;
  if (a < -rank || a >= rank) ctx.fail(`Expected dimension in the range [${-rank}, ${rank}), but got ${a}`);
  const axis = a < 0 ? a + rank : a;
  if (shape[axis] === 0) {
    const msg = `Reduction axis ${axis} is empty in shape [${shape.map((d) => d ?? '?').join(',')}]`;
    if (ctx.runtime) throw new InvalidArgumentError(msg);
    ctx.fail(msg);
  }
  return [{ shape: shape.filter((_d, i) => i !== axis), dtype: 'int32' }];
}

// No gradient rule (not even 'none'): as in TF1, differentiating through an argmax is an error.
defineOp({ type: 'ArgMax', defaultName: 'ArgMax', infer: inferArg });
defineOp({ type: 'ArgMin', defaultName: 'ArgMin', infer: inferArg });

function makeArg(
  type: string,
  x: TensorLike,
  axis: number | ArgOptions | string | undefined,
  options: ArgOptions | string | undefined,
): Tensor {
  const axisNum = typeof axis === 'number' ? axis : 0;
  const opts = parseOptions<ArgOptions>(typeof axis === 'number' || axis === undefined ? options : axis);
  if (!Number.isInteger(axisNum))
    throw new InvalidArgumentError(`${type}: axis must be an integer, got ${axisNum}`);
  if (opts.outputType !== undefined && opts.outputType !== 'int32') {
    throw new InvalidArgumentError(`${type}: outputType must be 'int32', got '${String(opts.outputType)}'`);
  }
  return makeTensor(type, [x], { axis: axisNum, output_type: 'int32' }, opts.name);
}

/**
 * Index of the largest value along `axis` (TF1's default axis 0); the first index wins ties. int32 result.
 *
 * @example
 * const correct = tf.equal(tf.argmax(y, 1), tf.argmax(label, 1));
 */
export function argmax(
  x: TensorLike,
  axis?: number | ArgOptions | string,
  options?: ArgOptions | string,
): Tensor {
  return makeArg('ArgMax', x, axis, options);
}

/**
 * Index of the smallest value along `axis` (default 0); the first index wins ties. int32 result.
 *
 * @example
 * tf.argmin(distances, 1);
 */
export function argmin(
  x: TensorLike,
  axis?: number | ArgOptions | string,
  options?: ArgOptions | string,
): Tensor {
  return makeArg('ArgMin', x, axis, options);
}
