import type { DType } from '../graph/dtype';
import { Dim, Shape } from '../graph/shape';
import { Tensor, TensorLike } from '../graph/tensor';
import { declare, kinds, param } from '../graph/signature';
import { convertToTensor, defineOp, graphOf, InferContext, makeOp } from '../ops/op_def';
import { intValues, requireInt, requireScalar } from '../ops/array/util';
import { oneHot } from '../ops/array/one_hot';
import { expandDims } from '../ops/array/expand_dims';
import { gather } from '../ops/array/gather';
import { shape as shapeOf, rank as rankOf } from '../ops/fill/shape';
import { multiply, subtract } from '../ops/math/builders';
import { reduceSum } from '../ops/reduce/sum';

/** The static value of scalar int input `i` (k), checked non-negative. */
function kOf(ctx: InferContext, i: number): number | null {
  const k = intValues(ctx, i)?.[0];
  if (k === undefined) return null;
  if (k < 0) ctx.fail(`Need k >= 0, got ${k}`);
  return k;
}

/**
 * TopKV2(input, k:int32 scalar) → (values, indices:int32): the k largest entries of each last-axis row,
 * sorted descending; equal values keep the lower index first (TF1's stable order). Gradient: dy of the
 * values scattered back into the chosen positions (a one-hot sum), none for the indices.
 */
defineOp({
  type: 'TopKV2',
  defaultName: 'TopKV2',
  infer: (ctx) => {
    const dtype = ctx.dtypes[0] as DType;
    if (dtype !== 'float32' && dtype !== 'int32')
      ctx.fail(`Value for attr 'T' of ${dtype} is not in the list of allowed values: float, int32`);
    requireInt(ctx, 1, 'k');
    requireScalar(ctx, 1, 'k');
    const k = kOf(ctx, 1);
    const s = ctx.shapes[0] as Shape;
    if (s === null)
      return [
        { shape: null, dtype },
        { shape: null, dtype: 'int32' },
      ];
    if (s.length < 1) ctx.fail('Shape must be at least rank 1 but is rank 0');
    const last = s[s.length - 1] as Dim;
    if (k !== null && last !== null && last < k)
      ctx.fail(`input must have last dimension >= k = ${k} but is ${last}`);
    const out = [...s.slice(0, -1), k] as Dim[];
    return [
      { shape: out, dtype },
      { shape: out.slice(), dtype: 'int32' },
    ];
  },
  grad: (op, [dValues]) => {
    const x = op.inputs[0] as Tensor;
    if (!dValues || x.dtype !== 'float32') return [null, null];
    const indices = op.outputs[1] as Tensor;
    const s = x.shape;
    const last = s !== null ? s[s.length - 1] : null;
    const depth = typeof last === 'number' ? last : gather(shapeOf(x), subtract(rankOf(x), 1));
    // [..., k, n] one-hot rows weighted by dy, summed over k: dy lands at each chosen index.
    const hot = oneHot(indices, depth as TensorLike, { dtype: 'float32' });
    return [reduceSum(multiply(hot, expandDims(dValues, -1)), -2), null];
  },
});

/**
 * InTopKV2(predictions [batch, classes], targets:int32 [batch], k:int32 scalar) → bool [batch]: whether
 * fewer than k classes score strictly higher than the target (ties count as in, as in TF1). A target
 * outside [0, classes) or a non-finite prediction in the row gives false.
 */
defineOp({
  type: 'InTopKV2',
  defaultName: 'in_top_k',
  infer: (ctx) => {
    if (ctx.dtypes[0] !== 'float32')
      ctx.fail(`Value for attr 'T' of ${ctx.dtypes[0]} is not in the list of allowed values: float`);
    requireInt(ctx, 1, 'targets');
    requireInt(ctx, 2, 'k');
    requireScalar(ctx, 2, 'k');
    kOf(ctx, 2);
    const p = ctx.shapes[0] as Shape;
    const t = ctx.shapes[1] as Shape;
    if (p !== null && p.length !== 2) ctx.fail(`Shape must be rank 2 but is rank ${p.length}`);
    if (t !== null && t.length !== 1) ctx.fail(`Shape must be rank 1 but is rank ${t.length}`);
    const b0 = p?.[0] ?? null;
    const b1 = t?.[0] ?? null;
    if (b0 !== null && b1 !== null && b0 !== b1)
      ctx.fail(`Dimensions must be equal, but are ${b0} and ${b1}`);
    return [{ shape: [b0 ?? b1], dtype: 'bool' }];
  },
  grad: 'none',
});

/**
 * The `k` largest entries of each row (last axis) and their indices (TF1 `tf.nn.top_k(input, k=1,
 * sorted=True, name=None)`), returned as `[values, indices]`. Values are sorted descending, equal values
 * by ascending index (so `sorted: false` — "any order" in TF1 — gives this order too). `k` may be a
 * number or an int32 scalar tensor.
 *
 * @example
 * const [values, indices] = tf.nn.topK(logits, 5);   // [batch, 5] each
 * const [v] = tf.nn.topK(scores, { k: 3 });
 */
export const topK = declare(
  'topK',
  [
    param('input', kinds.tensor),
    param('k', kinds.tensor, { default: 1 as TensorLike }),
    param('sorted', kinds.bool, { default: true }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): [Tensor, Tensor] => {
    const k = a.k as TensorLike;
    if (typeof k === 'number' && !Number.isInteger(k))
      throw new TypeError(`topK(): k must be an integer, got ${k}`);
    const g = graphOf([a.input as TensorLike, k]);
    const x = convertToTensor(a.input as TensorLike, 'float32', g);
    const kt = convertToTensor(k, 'int32', g);
    const op = makeOp('TopKV2', [x, kt], { sorted: a.sorted }, a.name ?? 'TopKV2', g);
    return [op.outputs[0] as Tensor, op.outputs[1] as Tensor];
  },
);

/**
 * Whether each target class is among the `k` highest predictions of its row (TF1 `tf.nn.in_top_k(
 * predictions, targets, k, name=None)`): `predictions` [batch, classes] float32, `targets` [batch]
 * int32, result bool [batch]. Ties with the k-th score count as in top k; non-finite predictions or an
 * out-of-range target give false, as in TF1.
 *
 * @example
 * const correct = tf.nn.inTopK(logits, labels, 1);
 * const acc = tf.reduceMean(tf.cast(correct, 'float32'));
 */
export const inTopK = declare(
  'inTopK',
  [
    param('predictions', kinds.tensor),
    param('targets', kinds.tensor),
    param('k', kinds.tensor),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    const k = a.k as TensorLike;
    if (typeof k === 'number' && !Number.isInteger(k))
      throw new TypeError(`inTopK(): k must be an integer, got ${k}`);
    const g = graphOf([a.predictions as TensorLike, a.targets as TensorLike, k]);
    const p = convertToTensor(a.predictions as TensorLike, 'float32', g);
    const t = convertToTensor(a.targets as TensorLike, 'int32', g);
    return makeOp('InTopKV2', [p, t, convertToTensor(k, 'int32', g)], {}, a.name ?? 'in_top_k', g)
      .outputs[0] as Tensor;
  },
);
