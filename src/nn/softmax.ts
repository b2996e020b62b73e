import { DType } from '../graph/dtype';
import { normalizeAxis, Shape } from '../graph/shape';
import { Tensor, TensorLike } from '../graph/tensor';
import { defineOp, InferContext, makeTensor, NameOption, OutputSpec } from '../ops/op_def';
import { declare, kinds, param } from '../graph/signature';
import { exp, multiply, subtract } from '../ops/math/builders';
import { reduceSum } from '../ops/reduce/sum';

/**
 * Softmax and LogSoftmax along one axis (attr `axis`, default -1), as stable primitives (the kernels
 * subtract the maximum). Their gradients are built from Mul/Sub/Sum/Exp, so they differentiate again.
 */
export function inferAlongAxis(ctx: InferContext): OutputSpec[] {
  const s = ctx.shapes[0] as Shape;
  const dtype = ctx.dtypes[0] as DType;
  if (dtype !== 'float32')
    ctx.fail(`Value for attr 'T' of ${dtype} is not in the list of allowed values: float`);
  if (s === null) return [{ shape: null, dtype }];
  if (s.length < 1) ctx.fail('Shape must be at least rank 1 but is rank 0');
  axisOf(ctx, s.length);
  return [{ shape: s.slice(), dtype }];
}

/** The op's `axis` attr normalised against `rank` (TF1's error when out of range). */
export function axisOf(ctx: InferContext, rank: number): number {
  const a = (ctx.attrs.axis as number | undefined) ?? -1;
  const n = normalizeAxis(a, rank);
  if (n === undefined) ctx.fail(`axis ${a} is out of range for a tensor of rank ${rank}`);
  return n;
}

/** `s · (g − Σ_axis g·s)`: the vector-Jacobian product of softmax (output `s`) with `g`. */
export function softmaxVjp(s: Tensor, g: Tensor, axis: number): Tensor {
  return multiply(subtract(g, reduceSum(multiply(g, s), axis, { keepDims: true })), s);
}

defineOp({
  type: 'Softmax',
  infer: inferAlongAxis,
  grad: (op, [dy]) => [dy ? softmaxVjp(op.outputs[0] as Tensor, dy, op.attrs.axis as number) : null],
});

defineOp({
  type: 'LogSoftmax',
  infer: inferAlongAxis,
  // d/dx log softmax(x)ᵀ·dy = dy − softmax(x)·Σ dy, with softmax = exp(output) (no second exp of x).
  grad: (op, [dy]) => {
    if (!dy) return [null];
    const axis = op.attrs.axis as number;
    return [subtract(dy, multiply(exp(op.outputs[0] as Tensor), reduceSum(dy, axis, { keepDims: true })))];
  },
});

export interface SoftmaxOptions extends NameOption {
  /** The class axis (default -1, the last). */
  axis?: number | null;
  /** TF1's deprecated alias of `axis`. */
  dim?: number | null;
}

/** TF1's `deprecated_argument_lookup('axis', axis, 'dim', dim)`: at most one of them, default -1. */
export function axisOrDim(fn: string, axis: number | null, dim: number | null, dflt = -1): number {
  if (axis !== null && dim !== null)
    throw new TypeError(`${fn}(): cannot specify both 'axis' and 'dim' (dim is the deprecated name of axis)`);
  return axis ?? dim ?? dflt;
}

function alongAxis(type: 'Softmax' | 'LogSoftmax', fn: string) {
  return declare(
    fn,
    [
      param('logits', kinds.tensor),
      param('axis', kinds.nullable(kinds.int), { default: null as number | null }),
      param('name', kinds.name, { default: undefined as string | undefined }),
      param('dim', kinds.nullable(kinds.int), { default: null as number | null }),
    ] as const,
    (a): Tensor =>
      makeTensor(type, [a.logits as TensorLike], { axis: axisOrDim(fn, a.axis, a.dim) }, a.name ?? type),
  );
}

/**
 * `exp(logits) / sum(exp(logits), axis)`, computed stably (TF1 `tf.nn.softmax(logits, axis=None,
 * name=None, dim=None)`; `dim` is TF1's deprecated alias of `axis`, default the last axis).
 *
 * @example
 * const y = tf.nn.softmax(tf.add(tf.matmul(x, W), b)); // [?,10], rows sum to 1
 * const p = tf.nn.softmax(logits, 0);                  // along axis 0
 */
export const softmax = alongAxis('Softmax', 'softmax');

/**
 * `logits - log(sum(exp(logits), axis))`, computed stably (TF1 `tf.nn.log_softmax(logits, axis=None,
 * name=None, dim=None)`).
 *
 * @example
 * const logp = tf.nn.logSoftmax(logits, { axis: 1 });
 */
export const logSoftmax = alongAxis('LogSoftmax', 'logSoftmax');
