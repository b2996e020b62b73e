import { DType } from '../../graph/dtype';
import { Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, InferContext, makeTensor, NameOption, OutputSpec } from '../op_def';
import { InvalidArgumentError } from '../../errors';
import { declare, kinds, param } from '../../graph/signature';

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

/** TF1's `(input, axis=None, name=None, dimension=None, output_type=int64)`; axis None means 0. */
function argBuilder(fn: string, type: string) {
  return declare(
    fn,
    [
      param('input', kinds.tensor),
      param('axis', kinds.nullable(kinds.int), { default: null, aliases: ['dimension'] }),
      param('name', kinds.name, { default: undefined as string | undefined }),
      param('outputType', kinds.dtype, { default: 'int32' }),
    ] as const,
    (a): Tensor => {
      if (a.outputType !== 'int32') {
        throw new TypeError(
          `${fn}(): outputType must be int32 (tensorgraph's integer type; TF1's int64 is not supported), got ${a.outputType}`,
        );
      }
      return makeTensor(type, [a.input as TensorLike], { axis: a.axis ?? 0, output_type: 'int32' }, a.name);
    },
  );
}

/**
 * Index of the largest value along `axis` (TF1's default axis 0); the first index wins ties. int32 result
 * (TF1's default output type is int64, which tensorgraph does not have; the values are the same).
 *
 * @example
 * const correct = tf.equal(tf.argmax(y, 1), tf.argmax(label, { axis: 1 }));
 */
export const argmax = argBuilder('argmax', 'ArgMax');

/**
 * Index of the smallest value along `axis` (default 0); the first index wins ties. int32 result.
 *
 * @example
 * tf.argmin(distances, 1);
 */
export const argmin = argBuilder('argmin', 'ArgMin');

/** TF1's deprecated `tf.arg_max`/`tf.arg_min` (gen_math_ops): `(input, dimension, output_type=int64, name=None)`. */
function legacyArgBuilder(fn: string, type: string) {
  return declare(
    fn,
    [
      param('input', kinds.tensor),
      param('dimension', kinds.int),
      param('outputType', kinds.dtype, { default: 'int32' }),
      param('name', kinds.name, { default: undefined as string | undefined }),
    ] as const,
    (a): Tensor => {
      if (a.outputType !== 'int32') {
        throw new TypeError(
          `${fn}(): outputType must be int32 (tensorgraph's integer type; TF1's int64 is not supported), got ${a.outputType}`,
        );
      }
      return makeTensor(type, [a.input as TensorLike], { axis: a.dimension, output_type: 'int32' }, a.name);
    },
  );
}

/**
 * TF1's deprecated `tf.arg_max(input, dimension, output_type, name)`: `argmax` with a required
 * `dimension` and TF1's positional order (output type before name). int32 result.
 *
 * @example
 * tf.argMax(logits, 1);
 */
export const argMax = legacyArgBuilder('argMax', 'ArgMax');

/**
 * TF1's deprecated `tf.arg_min(input, dimension, output_type, name)`, as in the classic nearest-neighbour
 * example `pred = tf.arg_min(distance, 0)`. int32 result.
 *
 * @example
 * const pred = tf.argMin(distance, 0);
 */
export const argMin = legacyArgBuilder('argMin', 'ArgMin');
