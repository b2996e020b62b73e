import { DType, isDType } from '../../graph/dtype';
import { Tensor, TensorLike } from '../../graph/tensor';
import { firstDtype, makeTensor, NameOption, parseOptions } from '../op_def';
import './elementwise_ops';

type Opts = NameOption | string;
const nameOf = (o: Opts | undefined): string | undefined => parseOptions(o).name;

function binary(type: string) {
  return (x: TensorLike, y: TensorLike, opts?: Opts): Tensor =>
    makeTensor(type, [x, y], {}, nameOf(opts), firstDtype([x, y]));
}
function unary(type: string) {
  return (x: TensorLike, opts?: Opts): Tensor => makeTensor(type, [x], {}, nameOf(opts));
}

/** `x + y` with numpy broadcasting. @example tf.add(a, 1) */
export const add = binary('Add');
/** `x - y`. @example tf.subtract(a, b) */
export const subtract = binary('Sub');
/** `x * y` elementwise. @example tf.multiply(x, 2, 'double') */
export const multiply = binary('Mul');
/** `x / y` (true division). @example tf.divide(a, b) */
export const divide = binary('RealDiv');
/** `x ^ y` elementwise. @example tf.pow(x, 2) */
export const pow = binary('Pow');
/** Elementwise max (NaN-propagating). @example tf.maximum(x, 0) */
export const maximum = binary('Maximum');
/** Elementwise min. @example tf.minimum(x, 6) */
export const minimum = binary('Minimum');
/** `(x - y)^2`. @example tf.squaredDifference(pred, label) */
export const squaredDifference = binary('SquaredDifference');
/** `x == y` → bool. @example tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1)) */
export const equal = binary('Equal');
export const notEqual = binary('NotEqual');
export const less = binary('Less');
export const lessEqual = binary('LessEqual');
export const greater = binary('Greater');
export const greaterEqual = binary('GreaterEqual');
export const logicalAnd = binary('LogicalAnd');
export const logicalOr = binary('LogicalOr');
export const logicalNot = unary('LogicalNot');

/** `-x`. @example tf.negative(x) */
export const negative = unary('Neg');
export const abs = unary('Abs');
export const square = unary('Square');
export const sqrt = unary('Sqrt');
export const rsqrt = unary('Rsqrt');
export const exp = unary('Exp');
export const log = unary('Log');
export const log1p = unary('Log1p');
export const sign = unary('Sign');
export const floor = unary('Floor');
export const ceil = unary('Ceil');
export const round = unary('Round');
export const sin = unary('Sin');
export const cos = unary('Cos');
/** `1 / (1 + exp(-x))`, computed stably. @example tf.sigmoid(tf.matmul(x, W)) */
export const sigmoid = unary('Sigmoid');
export const tanh = unary('Tanh');
/** `max(x, 0)`. @example tf.nn.relu(h) */
export const relu = unary('Relu');
export const relu6 = unary('Relu6');
export const elu = unary('Elu');
export const softplus = unary('Softplus');

/**
 * Picks `x` where `condition` is true, else `y` (broadcasting all three).
 *
 * @example
 * tf.where(tf.greater(x, 0), x, tf.zerosLike(x))
 */
export function where(condition: TensorLike, x: TensorLike, y: TensorLike, opts?: Opts): Tensor {
  const dt = firstDtype([x, y]);
  const c = makeTensorCondition(condition);
  return makeTensor('Select', [c, x, y], {}, nameOf(opts), dt);
}

function makeTensorCondition(condition: TensorLike): TensorLike {
  return condition;
}

/**
 * Converts to another dtype (float → int truncates; to bool: non-zero is true).
 *
 * @example
 * tf.cast(tf.equal(a, b), 'float32')
 */
export function cast(x: TensorLike, dtype: DType, opts?: Opts): Tensor {
  if (!isDType(dtype)) throw new Error(`cast: unknown dtype '${String(dtype)}'`);
  const t = x instanceof Tensor ? x : makeTensor('Identity', [x], {}, undefined);
  if (t.dtype === dtype) return t;
  return makeTensor('Cast', [t], { DstT: dtype }, nameOf(opts));
}

/**
 * Clips values to `[clipValueMin, clipValueMax]`.
 *
 * @example
 * tf.clipByValue(p, 1e-10, 1.0)
 */
export function clipByValue(
  t: TensorLike,
  clipValueMin: TensorLike,
  clipValueMax: TensorLike,
  opts?: Opts,
): Tensor {
  return makeTensor('ClipByValue', [t, clipValueMin, clipValueMax], {}, nameOf(opts), firstDtype([t]));
}
