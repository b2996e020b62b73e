import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { Tensor, TensorLike } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { convertToTensor, firstDtype, graphOf, makeOp, makeTensor } from '../op_def';
import './elementwise_ops';
import './where_op';
import { binaryOp, trueDiv } from './impl';

const nameParam = param('name', kinds.name, { default: undefined as string | undefined });

/** TF1 signature `(x, y, name=None)`. */
function binary(fn: string, type: string) {
  return declare(fn, [param('x', kinds.tensor), param('y', kinds.tensor), nameParam] as const, (a) =>
    binaryOp(type, a.x as TensorLike, a.y as TensorLike, a.name),
  );
}
/** TF1 signature `(x, name=None)`. */
function unary(fn: string, type: string) {
  return declare(fn, [param('x', kinds.tensor), nameParam] as const, (a) =>
    makeTensor(type, [a.x as TensorLike], {}, a.name),
  );
}

/** `x + y` with numpy broadcasting. @example tf.add(a, 1) */
export const add = binary('add', 'Add');
/** `x - y`. @example tf.subtract(a, b) */
export const subtract = binary('subtract', 'Sub');
/** `x * y` elementwise. @example tf.multiply(x, 2, 'double') */
export const multiply = binary('multiply', 'Mul');

/**
 * `x / y`, true division (TF1's `tf.divide`/`tf.truediv`): integer operands are cast to float first, so
 * `tf.divide(7, 2)` on int32 tensors is 3.5. TF1 returns float64 for int32 inputs; this framework has no
 * float64, so the result is float32 (exact for |values| below 2**24). Use `tf.floordiv` for integer
 * division.
 *
 * @example tf.divide(a, b)
 */
export const divide = declare(
  'divide',
  [param('x', kinds.tensor), param('y', kinds.tensor), nameParam] as const,
  (a) => trueDiv(a.x as TensorLike, a.y as TensorLike, a.name),
);
/** TF1's `tf.truediv(x, y, name=None)`: same as `divide` (int32 operands give float32). */
export const truediv = declare(
  'truediv',
  [param('x', kinds.tensor), param('y', kinds.tensor), nameParam] as const,
  (a) => trueDiv(a.x as TensorLike, a.y as TensorLike, a.name),
);

/**
 * `x ^ y` elementwise. For int32, a negative exponent fails at run time with TF1's message "Integers to
 * negative integer powers are not allowed". @example tf.pow(x, 2)
 */
export const pow = binary('pow', 'Pow');

/** FloorDiv / FloorMod: an int32 FloorDiv carries attr T = 'int32' (it selects the exact integer formula). */
function floorOp(type: 'FloorDiv' | 'FloorMod', x: TensorLike, y: TensorLike, name?: string): Tensor {
  const dt = firstDtype([x, y]);
  return makeTensor(type, [x, y], type === 'FloorDiv' && dt === 'int32' ? { T: 'int32' } : {}, name, dt);
}

/**
 * Floor division `floor(x / y)` with Python's semantics (rounds toward -inf: `floordiv(-7, 2)` is -4),
 * for float32 and int32 — TF1's `tf.floordiv(x, y, name=None)` (op FloorDiv). An int32 division by zero
 * fails at run time ("Integer division by zero"), as in TF; float division by zero gives ±inf/NaN. Not
 * differentiable (TF registers no gradient).
 *
 * @example tf.floordiv(tf.constant([7, -7], tf.int32), 2) // → [3, -4]
 */
export const floordiv = declare(
  'floordiv',
  [param('x', kinds.tensor), param('y', kinds.tensor), nameParam] as const,
  (a) => floorOp('FloorDiv', a.x as TensorLike, a.y as TensorLike, a.name),
);
/**
 * Python's modulo: `x - floor(x / y) * y`, so the result has the sign of the divisor `y`
 * (`floormod(-7, 3)` is 2, `floormod(7, -3)` is -2) — TF1's `tf.floormod(x, y, name=None)` / `tf.mod`
 * (op FloorMod). int32 modulo by zero fails at run time ("Integer division by zero"). Gradients as TF:
 * `dy` for x, `-floor(x / y) * dy` for y.
 *
 * @example tf.floormod(tf.constant([7, -7], tf.int32), 3) // → [1, 2]
 */
export const floormod = declare(
  'floormod',
  [param('x', kinds.tensor), param('y', kinds.tensor), nameParam] as const,
  (a) => floorOp('FloorMod', a.x as TensorLike, a.y as TensorLike, a.name),
);
/** TF1's `tf.mod(x, y, name=None)`: the same op as `tf.floormod` (Python's modulo). @example tf.mod(i, 2) */
export const mod = declare(
  'mod',
  [param('x', kinds.tensor), param('y', kinds.tensor), nameParam] as const,
  (a) => floorOp('FloorMod', a.x as TensorLike, a.y as TensorLike, a.name),
);
/** `1 / x` (TF1's `tf.reciprocal(x, name=None)`, op Reciprocal); gradient `-dy / x^2`. @example tf.reciprocal(x) */
export const reciprocal = unary('reciprocal', 'Reciprocal');

/** Elementwise max (NaN-propagating). @example tf.maximum(x, 0) */
export const maximum = binary('maximum', 'Maximum');
/** Elementwise min. @example tf.minimum(x, 6) */
export const minimum = binary('minimum', 'Minimum');
/** `(x - y)^2`. @example tf.squaredDifference(pred, label) */
export const squaredDifference = binary('squaredDifference', 'SquaredDifference');
/** `x == y` → bool. @example tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1)) */
export const equal = binary('equal', 'Equal');
/** `x != y` → bool. */
export const notEqual = binary('notEqual', 'NotEqual');
/** `x < y` → bool. */
export const less = binary('less', 'Less');
/** `x <= y` → bool. */
export const lessEqual = binary('lessEqual', 'LessEqual');
/** `x > y` → bool. */
export const greater = binary('greater', 'Greater');
/** `x >= y` → bool. */
export const greaterEqual = binary('greaterEqual', 'GreaterEqual');
/** Elementwise `x && y` on bool tensors. */
export const logicalAnd = binary('logicalAnd', 'LogicalAnd');
/** Elementwise `x || y` on bool tensors. */
export const logicalOr = binary('logicalOr', 'LogicalOr');
/** Elementwise `!x` on a bool tensor. */
export const logicalNot = unary('logicalNot', 'LogicalNot');

/** `-x`. @example tf.negative(x) */
export const negative = unary('negative', 'Neg');
export const abs = unary('abs', 'Abs');
export const square = unary('square', 'Square');
export const sqrt = unary('sqrt', 'Sqrt');
export const rsqrt = unary('rsqrt', 'Rsqrt');
export const exp = unary('exp', 'Exp');
export const log = unary('log', 'Log');
export const log1p = unary('log1p', 'Log1p');
/** -1, 0 or 1 by sign; its gradient is zero. */
export const sign = unary('sign', 'Sign');
export const floor = unary('floor', 'Floor');
export const ceil = unary('ceil', 'Ceil');
/** Rounds half to even (banker's rounding), as TF1. */
export const round = unary('round', 'Round');
export const sin = unary('sin', 'Sin');
export const cos = unary('cos', 'Cos');
/** `1 / (1 + exp(-x))`, computed stably. @example tf.sigmoid(tf.matmul(x, W)) */
export const sigmoid = unary('sigmoid', 'Sigmoid');
export const tanh = unary('tanh', 'Tanh');
/** `max(x, 0)`. TF1 signature `relu(features, name=None)`. @example tf.nn.relu(h) */
export const relu = declare('relu', [param('features', kinds.tensor), nameParam] as const, (a) =>
  makeTensor('Relu', [a.features as TensorLike], {}, a.name),
);
/** `min(max(x, 0), 6)`; TF1 signature `relu6(features, name=None)`. */
export const relu6 = declare('relu6', [param('features', kinds.tensor), nameParam] as const, (a) =>
  makeTensor('Relu6', [a.features as TensorLike], {}, a.name),
);
/** `x > 0 ? x : exp(x) - 1`; TF1 signature `elu(features, name=None)`. */
export const elu = declare('elu', [param('features', kinds.tensor), nameParam] as const, (a) =>
  makeTensor('Elu', [a.features as TensorLike], {}, a.name),
);
/** `log(1 + exp(x))`; TF1 signature `softplus(features, name=None)`. */
export const softplus = declare('softplus', [param('features', kinds.tensor), nameParam] as const, (a) =>
  makeTensor('Softplus', [a.features as TensorLike], {}, a.name),
);

/**
 * TF1's v1 `tf.where(condition, x=None, y=None, name=None)`.
 *
 * With `x` and `y`: picks `x` where `condition` is true, else `y`. As in TF1 v1, `x` and `y` must have
 * the same shape, and `condition` either that shape too, or be a vector whose size is `x.shape[0]` (then
 * it selects whole rows: batch select). Without `x` and `y`: the coordinates of the true (non-zero)
 * elements of `condition`, an int32 tensor of shape [n, rank(condition)] in row-major order.
 *
 * @example
 * tf.where(tf.greater(x, 0), x, tf.zerosLike(x))
 * tf.where([[true, false], [false, true]]) // → [[0, 0], [1, 1]]
 */
export const where = declare(
  'where',
  [
    param('condition', kinds.tensor),
    param('x', kinds.nullable(kinds.tensor), { default: null }),
    param('y', kinds.nullable(kinds.tensor), { default: null }),
    nameParam,
  ] as const,
  (a): Tensor => {
    if (a.x === null && a.y === null) {
      return makeTensor('Where', [a.condition as TensorLike], {}, a.name, 'bool');
    }
    if (a.x === null || a.y === null) {
      throw new TypeError('where: x and y must both be given or both be omitted (null)');
    }
    return select(a.condition as TensorLike, a.x as TensorLike, a.y as TensorLike, a.name);
  },
);

function select(condition: TensorLike, x: TensorLike, y: TensorLike, name?: string): Tensor {
  const g = graphOf([condition, x, y]);
  const dt = firstDtype([x, y]);
  const c = convertToTensor(condition, 'bool', g);
  const xt = convertToTensor(x, dt, g);
  const yt = convertToTensor(y, dt, g);
  if (c.dtype !== 'bool') {
    throw new TypeError(`where: condition must be a bool tensor, got ${c.dtype} ('${c.name}')`);
  }
  const xs = xt.shape;
  const ys = yt.shape;
  if (xs !== null && ys !== null && !sameShape(xs, ys)) {
    throw new InvalidArgumentError(
      `where: x and y must have the same shape (TF1's v1 where does not broadcast), got ${fmt(xs)} and ${fmt(ys)}`,
    );
  }
  const known = xs ?? ys;
  const cs = c.shape;
  let cond = c;
  if (cs !== null && known !== null && !sameShape(cs, known)) {
    const batch = cs.length === 1 && known.length > 1 && dimsMatch(cs[0] ?? null, known[0] ?? null);
    if (!batch) {
      throw new InvalidArgumentError(
        `where: condition must have the shape of x (${fmt(known)}) or be a vector of size x.shape[0], got ${fmt(cs)}`,
      );
    }
    // Batch select: the condition picks rows, so it broadcasts over every axis after the first.
    const target = [-1, ...known.slice(1).map(() => 1)];
    cond = g.asDefault(
      () =>
        makeOp('Reshape', [c, convertToTensor(target, 'int32', g)], {}, 'where_condition', g)
          .outputs[0] as Tensor,
    );
  } else if (cs !== null && cs.length === 1 && known === null) {
    throw new InvalidArgumentError(
      'where: with a vector condition, the rank of x must be known at graph-building time (to tell an ' +
        'elementwise select from a batch select)',
    );
  }
  return makeTensor('Select', [cond, xt, yt], {}, name, dt);
}

function dimsMatch(a: number | null, b: number | null): boolean {
  return a === null || b === null || a === b;
}
function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => dimsMatch(d, b[i] ?? null));
}
function fmt(s: readonly (number | null)[]): string {
  return `[${s.map((d) => (d === null ? '?' : d)).join(',')}]`;
}

/**
 * Converts to another dtype (float → int truncates; to bool: non-zero is true). TF1 signature
 * `cast(x, dtype, name=None)`; dtype `tf.float32`/`'float32'`/`'float'`, `tf.int32`/`'int'`, `tf.bool`.
 *
 * @example
 * tf.cast(tf.equal(a, b), tf.float32)
 */
export const cast = declare(
  'cast',
  [param('x', kinds.tensor), param('dtype', kinds.dtype), nameParam] as const,
  (a): Tensor => castTo(a.x as TensorLike, a.dtype, a.name),
);

function castTo(x: TensorLike, dtype: DType, name?: string): Tensor {
  const t = x instanceof Tensor ? x : convertToTensor(x);
  if (t.dtype === dtype) return t;
  return makeTensor('Cast', [t], { DstT: dtype }, name);
}

/**
 * Clips values to `[clipValueMin, clipValueMax]`. TF1 signature
 * `clip_by_value(t, clip_value_min, clip_value_max, name=None)`: the bounds must be scalars or have the
 * shape of `t` (TF1 raises otherwise).
 *
 * @example
 * tf.clipByValue(p, 1e-10, 1.0)
 */
export const clipByValue = declare(
  'clipByValue',
  [
    param('t', kinds.tensor),
    param('clipValueMin', kinds.tensor),
    param('clipValueMax', kinds.tensor),
    nameParam,
  ] as const,
  (a): Tensor => {
    const g = graphOf([a.t as TensorLike, a.clipValueMin as TensorLike, a.clipValueMax as TensorLike]);
    const dt = firstDtype([a.t as TensorLike]) ?? 'float32';
    const t = convertToTensor(a.t as TensorLike, dt, g);
    const lo = convertToTensor(a.clipValueMin as TensorLike, t.dtype, g);
    const hi = convertToTensor(a.clipValueMax as TensorLike, t.dtype, g);
    // Shapes: the op's inference enforces TF1's rule (bounds scalar or of t's shape).
    return makeTensor('ClipByValue', [t, lo, hi], {}, a.name, t.dtype);
  },
);
