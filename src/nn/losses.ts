import { DType } from '../graph/dtype';
import { Dim, mergeShapes, Shape, shapeToString } from '../graph/shape';
import { Tensor, TensorLike } from '../graph/tensor';
import { defineElementwise } from '../ops/elementwise';
import {
  convertToTensor,
  defineOp,
  graphOf,
  InferContext,
  makeOp,
  makeTensor,
  NameOption,
  OutputSpec,
} from '../ops/op_def';
import { multiply, negative, subtract } from '../ops/math/builders';
import { reduceSum } from '../ops/reduce/sum';
import { stopGradient } from '../ops/control/basic';
import { expandDims } from '../ops/array/expand_dims';
import { addN } from '../ops/array/broadcast';
import { InvalidArgumentError } from '../errors';
import { axisOf, axisOrDim, logSoftmax, softmax, softmaxVjp } from './softmax';
import { declare, kinds, param, TensorValue } from '../graph/signature';

/**
 * The fused cross-entropy primitives. Both softmax versions output (loss, backprop) as TF1 does; the
 * kernels use the log-sum-exp trick, so logits of ±1000 give finite losses and gradients. The gradient
 * rules use the `backprop` output, and give `backprop` its own gradient, so second derivatives work.
 */
function inferXent(ctx: InferContext, sparse: boolean): OutputSpec[] {
  const [logits, labels] = ctx.shapes as [Shape, Shape];
  const [dl, dlab] = ctx.dtypes as [DType, DType];
  if (dl !== 'float32') ctx.fail(`Value for attr 'T' of ${dl} is not in the list of allowed values: float`);
  if (sparse && dlab !== 'int32')
    ctx.fail(`Value for attr 'Tlabels' of ${dlab} is not in the list of allowed values: int32`);
  if (!sparse && dlab !== dl)
    ctx.fail(
      `Input 'labels' of '${ctx.type}' Op has type ${dlab} that does not match type ${dl} of argument 'features'`,
    );
  if (logits === null)
    return [
      { shape: null, dtype: dl },
      { shape: null, dtype: dl },
    ];
  if (logits.length < 1) ctx.fail('Shape must be at least rank 1 but is rank 0');
  const axis = axisOf(ctx, logits.length);
  const expected: Dim[] = sparse ? logits.filter((_d, i) => i !== axis) : logits;
  const merged = labels === null ? expected : mergeShapes(expected, labels);
  if (!merged && sparse) {
    ctx.fail(
      `logits and labels must have the same first dimension, got logits shape ${shapeToString(logits)} and labels shape ${shapeToString(labels)}`,
    );
  }
  if (!merged)
    ctx.fail(
      `logits and labels must be same size: logits_size=${shapeToString(logits)} labels_size=${shapeToString(labels)}`,
    );
  const full = sparse ? logits : merged;
  const loss = sparse ? merged : full.filter((_d, i) => i !== axis);
  return [
    { shape: loss, dtype: dl },
    { shape: full, dtype: dl },
  ];
}

/**
 * The logits gradient shared by both softmax cross-entropies: backprop·dloss, plus, when the backprop
 * output itself is differentiated, Σlabels · softmax-vjp(dbackprop) (`labelSum` null: one-hot labels).
 */
function logitsGrad(
  logits: Tensor,
  backprop: Tensor,
  [dLoss, dBackprop]: (Tensor | null)[],
  axis: number,
  labelSum: Tensor | null,
): Tensor | null {
  const terms: Tensor[] = [];
  if (dLoss) terms.push(multiply(backprop, expandDims(dLoss, axis)));
  if (dBackprop) {
    const vjp = softmaxVjp(softmax(logits, { axis }), dBackprop, axis);
    terms.push(labelSum ? multiply(vjp, labelSum) : vjp);
  }
  return terms.length ? addN(terms) : null;
}

// Inputs (features, labels) with labels over `axis` (TF1's ..._v2 op: gradients into labels too).
defineOp({
  type: 'SoftmaxCrossEntropyWithLogits',
  infer: (ctx) => inferXent(ctx, false),
  grad: (op, dys) => {
    const [logits, labels] = op.inputs as [Tensor, Tensor];
    const axis = op.attrs.axis as number;
    const [dLoss, dBackprop] = [dys[0] ?? null, dys[1] ?? null];
    const labelSum = dBackprop ? reduceSum(labels, axis, { keepDims: true }) : null;
    const dLogits = logitsGrad(logits, op.outputs[1] as Tensor, [dLoss, dBackprop], axis, labelSum);
    // ∂loss/∂labels = −log softmax(logits); ∂backprop_j/∂labels_k = softmax_j − δ_jk. Labels behind a
    // stop-gradient (the v1 function) get no gradient nodes at all.
    if (labels.op.type === 'StopGradient') return [dLogits, null];
    const labelTerms: Tensor[] = [];
    if (dLoss) labelTerms.push(multiply(negative(logSoftmax(logits, { axis })), expandDims(dLoss, axis)));
    if (dBackprop) {
      const s = softmax(logits, { axis });
      labelTerms.push(subtract(reduceSum(multiply(dBackprop, s), axis, { keepDims: true }), dBackprop));
    }
    return [dLogits, labelTerms.length ? addN(labelTerms) : null];
  },
});

// Inputs (features, labels:int32), class axis last.
defineOp({
  type: 'SparseSoftmaxCrossEntropyWithLogits',
  infer: (ctx) => inferXent(ctx, true),
  grad: (op, [dLoss, dBackprop]) => {
    const logits = op.inputs[0] as Tensor;
    return [logitsGrad(logits, op.outputs[1] as Tensor, [dLoss ?? null, dBackprop ?? null], -1, null), null];
  },
});

// TF1's stable formula max(x, 0) − x·z + log(1 + exp(−|x|)), with x = logits and z = labels.
defineElementwise({
  type: 'SigmoidCrossEntropyWithLogits',
  defaultName: 'logistic_loss',
  vars: ['labels', 'logits'],
  formula: 'max(logits, 0) - logits * labels + log1p(exp(-abs(logits)))',
  allowed: ['float32'],
  // sigmoid(x) − z with sigmoid(x) = exp(min(x, 0)) / (1 + exp(−|x|)): no exp can overflow, and the
  // formula (unlike sigmoid()) has a symbolic derivative, so the gradient differentiates again.
  grads: {
    logits: 'dy * (exp((logits - abs(logits)) / 2) / (1 + exp(-abs(logits))) - labels)',
    labels: '-(dy * logits)',
  },
});

/** The keyword arguments of the cross-entropy functions (TF1's names). */
export interface XentArgs extends NameOption {
  labels: TensorLike;
  logits: TensorLike;
  /** The class axis (default -1). */
  axis?: number | null;
  /** TF1's deprecated alias of `axis`. */
  dim?: number | null;
}

const nameParam = param('name', kinds.name, { default: undefined as string | undefined });

function softmaxXent(
  labelsIn: TensorValue,
  logitsIn: TensorValue,
  axis: number,
  name: string | undefined,
  labelGradient: boolean,
): Tensor {
  const g = graphOf([logitsIn as TensorLike, labelsIn as TensorLike]);
  const logits = convertToTensor(logitsIn as TensorLike, 'float32', g);
  let labels = convertToTensor(labelsIn as TensorLike, 'float32', g);
  if (!labelGradient) labels = stopGradient(labels);
  return makeOp(
    'SoftmaxCrossEntropyWithLogits',
    [logits, labels],
    { axis },
    name ?? 'SoftmaxCrossEntropyWithLogits',
    g,
  ).outputs[0] as Tensor;
}

/**
 * Per-example softmax cross-entropy `-Σ labels · log softmax(logits)` over the class axis (TF1
 * `tf.nn.softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None,
 * axis=None)`), fused and stable. Keyword-only, as in TF1: `({ labels, logits })`. As in TF1's v1
 * function, no gradient flows into `labels` (use softmaxCrossEntropyWithLogitsV2 for that).
 *
 * @example
 * const loss = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ labels: y_, logits: y })); // [?] → []
 */
export const softmaxCrossEntropyWithLogits = declare(
  'softmaxCrossEntropyWithLogits',
  [
    param('labels', kinds.tensor, { keywordOnly: true }),
    param('logits', kinds.tensor, { keywordOnly: true }),
    param('dim', kinds.nullable(kinds.int), { default: null as number | null, keywordOnly: true }),
    { ...nameParam, keywordOnly: true },
    param('axis', kinds.nullable(kinds.int), { default: null as number | null, keywordOnly: true }),
  ] as const,
  (a): Tensor =>
    softmaxXent(a.labels, a.logits, axisOrDim('softmaxCrossEntropyWithLogits', a.axis, a.dim), a.name, false),
);

/**
 * As softmaxCrossEntropyWithLogits, with gradients into `labels` too (TF1
 * `tf.nn.softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None)`, which
 * TF1 also accepts positionally): ∂loss/∂labels = −log softmax(logits).
 *
 * @example
 * const loss = tf.nn.softmaxCrossEntropyWithLogitsV2({ labels: soft, logits });
 */
export const softmaxCrossEntropyWithLogitsV2 = declare(
  'softmaxCrossEntropyWithLogitsV2',
  [
    param('labels', kinds.tensor),
    param('logits', kinds.tensor),
    param('axis', kinds.nullable(kinds.int), { default: null as number | null }),
    nameParam,
    param('dim', kinds.nullable(kinds.int), { default: null as number | null }),
  ] as const,
  (a): Tensor =>
    softmaxXent(
      a.labels,
      a.logits,
      axisOrDim('softmaxCrossEntropyWithLogitsV2', a.axis, a.dim),
      a.name,
      true,
    ),
);

/**
 * Softmax cross-entropy with int32 class indices as labels (TF1
 * `tf.nn.sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None)`,
 * keyword-only): labels `[batch]`, logits `[batch, classes]`. A label outside [0, classes) is a run-time
 * InvalidArgumentError.
 *
 * @example
 * const loss = tf.nn.sparseSoftmaxCrossEntropyWithLogits({ labels: digits, logits }); // [?]
 */
export const sparseSoftmaxCrossEntropyWithLogits = declare(
  'sparseSoftmaxCrossEntropyWithLogits',
  [
    param('labels', kinds.tensor, { keywordOnly: true }),
    param('logits', kinds.tensor, { keywordOnly: true }),
    { ...nameParam, keywordOnly: true },
  ] as const,
  (a): Tensor => {
    const g = graphOf([a.logits as TensorLike, a.labels as TensorLike]);
    const logits = convertToTensor(a.logits as TensorLike, 'float32', g);
    const labels = convertToTensor(a.labels as TensorLike, 'int32', g);
    const name = a.name ?? 'SparseSoftmaxCrossEntropyWithLogits';
    return makeOp('SparseSoftmaxCrossEntropyWithLogits', [logits, labels], { axis: -1 }, name, g)
      .outputs[0] as Tensor;
  },
);

/**
 * Per-element logistic loss `max(x, 0) - x·z + log(1 + exp(-|x|))` for logits x and labels z in [0, 1]
 * (TF1 `tf.nn.sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None)`,
 * keyword-only); stable for large |x|, gradient sigmoid(x) − z.
 *
 * @example
 * const loss = tf.reduceMean(tf.nn.sigmoidCrossEntropyWithLogits({ labels: y_, logits }));
 */
export const sigmoidCrossEntropyWithLogits = declare(
  'sigmoidCrossEntropyWithLogits',
  [
    param('labels', kinds.tensor, { keywordOnly: true }),
    param('logits', kinds.tensor, { keywordOnly: true }),
    { ...nameParam, keywordOnly: true },
  ] as const,
  (a): Tensor => {
    const g = graphOf([a.logits as TensorLike, a.labels as TensorLike]);
    const logits = convertToTensor(a.logits as TensorLike, 'float32', g);
    const labels = convertToTensor(a.labels as TensorLike, 'float32', g);
    const [x, z] = [logits.shape, labels.shape];
    if (
      x !== null &&
      z !== null &&
      (x.length !== z.length || x.some((d, i) => d !== null && z[i] !== null && d !== z[i]))
    ) {
      throw new InvalidArgumentError(
        `logits and labels must have the same shape (${shapeToString(x)} vs ${shapeToString(z)})`,
      );
    }
    return makeTensor('SigmoidCrossEntropyWithLogits', [labels, logits], {}, a.name ?? 'logistic_loss');
  },
);
