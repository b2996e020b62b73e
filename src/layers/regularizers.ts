// TF1's weight regularizers (`tf.contrib.layers.l1_regularizer`, `l2_regularizer`, `l1_l2_regularizer`,
// `sum_regularizer`, `apply_regularization`), usable as `tf.getVariable`'s `regularizer` and as the
// layers' `kernelRegularizer` / `biasRegularizer` / `activityRegularizer`.
import { InvalidArgumentError } from '../errors';
import { getDefaultGraph, Graph } from '../graph/graph';
import { declare, kinds, param } from '../graph/signature';
import { Tensor } from '../graph/tensor';
import { convertToTensor, makeOp } from '../ops/op_def';
import { abs } from '../ops/math/builders';
import { addN } from '../ops/array/broadcast';
import { reduceSum } from '../ops/reduce/sum';
import { l2Loss } from '../nn/l2_loss';
import type { Regularizer } from './common';

export type { Regularizer } from './common';

function checkScale(scale: number): void {
  if (scale < 0) throw new InvalidArgumentError(`Setting a scale less than 0 on a regularizer: ${scale}`);
}

const scopeParam = param('scope', kinds.nullable(kinds.string), { default: null as string | null });

/**
 * TF1's `tf.contrib.layers.l2_regularizer(scale, scope=None)`: a function of the weights returning
 * `scale * tf.nn.l2_loss(weights)` = `scale * Σ w² / 2` (op `l2_regularizer`). A scale of 0 gives a
 * regularizer returning null (no loss), as in TF1.
 *
 * @example
 * const reg = tf.contrib.layers.l2Regularizer(1e-4);
 * const h = tf.layers.dense(x, 64, tf.nn.relu, { kernelRegularizer: reg });
 * const w = tf.getVariable('w', [3, 4], { regularizer: reg });
 */
export const l2Regularizer = declare(
  'l2Regularizer',
  [param('scale', kinds.number), scopeParam] as const,
  (a): Regularizer => {
    checkScale(a.scale);
    if (a.scale === 0) return () => null;
    return (weights: Tensor): Tensor =>
      getDefaultGraph().nameScope(a.scope ?? 'l2_regularizer', () => {
        const g = getDefaultGraph();
        const name = g.currentScope;
        const s = convertToTensor(a.scale, weights.dtype, g);
        return named(g, name, [s, l2Loss(weights)]);
      });
  },
);

/**
 * TF1's `tf.contrib.layers.l1_regularizer(scale, scope=None)`: `scale * Σ |w|` (op `l1_regularizer`).
 *
 * @example
 * const reg = tf.contrib.layers.l1Regularizer(0.01);
 */
export const l1Regularizer = declare(
  'l1Regularizer',
  [param('scale', kinds.number), scopeParam] as const,
  (a): Regularizer => {
    checkScale(a.scale);
    if (a.scale === 0) return () => null;
    return (weights: Tensor): Tensor =>
      getDefaultGraph().nameScope(a.scope ?? 'l1_regularizer', () => {
        const g = getDefaultGraph();
        const name = g.currentScope;
        const s = convertToTensor(a.scale, weights.dtype, g);
        return named(g, name, [s, reduceSum(abs(weights))]);
      });
  },
);

/**
 * TF1's `tf.contrib.layers.l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None)`:
 * `scale_l1 * Σ |w| + scale_l2 * Σ w² / 2` (the sum of the two regularizers).
 *
 * @example
 * const reg = tf.contrib.layers.l1L2Regularizer(0.01, 0.001);
 */
export const l1L2Regularizer = declare(
  'l1L2Regularizer',
  [
    param('scaleL1', kinds.number, { default: 1.0 }),
    param('scaleL2', kinds.number, { default: 1.0 }),
    scopeParam,
  ] as const,
  (a): Regularizer => {
    checkScale(a.scaleL1);
    checkScale(a.scaleL2);
    if (a.scaleL1 === 0) return l2Regularizer(a.scaleL2, { scope: a.scope });
    if (a.scaleL2 === 0) return l1Regularizer(a.scaleL1, { scope: a.scope });
    return sumRegularizer([l1Regularizer(a.scaleL1), l2Regularizer(a.scaleL2)], {
      scope: a.scope ?? 'l1_l2_regularizer',
    });
  },
);

/**
 * TF1's `tf.contrib.layers.sum_regularizer(regularizer_list, scope=None)`: the sum of the losses of the
 * given regularizers (those returning null are skipped; null when all do).
 *
 * @example
 * const reg = tf.contrib.layers.sumRegularizer([tf.contrib.layers.l1Regularizer(0.1), tf.contrib.layers.l2Regularizer(0.2)]);
 */
export const sumRegularizer = declare(
  'sumRegularizer',
  [
    param(
      'regularizerList',
      kinds.custom<Regularizer[]>(
        'a list of regularizer functions',
        (v) => Array.isArray(v) && v.every((f) => typeof f === 'function'),
        () => [() => null],
      ),
    ),
    scopeParam,
  ] as const,
  (a): Regularizer => {
    const list = a.regularizerList;
    if (list.length === 0) return () => null;
    return (weights: Tensor): Tensor | null => {
      const g = getDefaultGraph();
      return g.nameScope(a.scope ?? 'sum_regularizer', () => {
        const losses = list.map((r) => r(weights)).filter((l): l is Tensor => l !== null);
        if (losses.length === 0) return null;
        return addN(losses, 'sum_regularizer');
      });
    };
  },
);

/**
 * TF1's `tf.contrib.layers.apply_regularization(regularizer, weights_list=None)`: the sum of
 * `regularizer(w)` over `weightsList` (default: the `weights` collection, else the trainable variables
 * of the graph), each loss added to `regularization_losses`; returns their sum (op
 * `get_regularization_penalty`), or 0 when there are none.
 *
 * @example
 * const penalty = tf.contrib.layers.applyRegularization(tf.contrib.layers.l2Regularizer(0.1), [w1, w2]);
 */
export const applyRegularization = declare(
  'applyRegularization',
  [
    param('regularizer', kinds.fn),
    param('weightsList', kinds.nullable(kinds.tensors), { default: null }),
  ] as const,
  (a): Tensor => {
    const g = getDefaultGraph();
    const reg = a.regularizer as Regularizer;
    const weights = (a.weightsList ?? g.getCollection<Tensor>('weights')).map((w) => convertToTensor(w));
    if (weights.length === 0) throw new InvalidArgumentError('No weights to regularize.');
    return g.nameScope('get_regularization_penalty', () => {
      const penalties: Tensor[] = [];
      for (const w of weights) {
        const p = reg(w);
        if (p) {
          penalties.push(p);
          g.addToCollection('regularization_losses', p);
        }
      }
      if (penalties.length === 0) return convertToTensor(0, 'float32', g);
      return addN(penalties, 'get_regularization_penalty');
    });
  },
);

/** `scale * loss` as one Mul op named exactly `full` (TF1's `multiply(..., name=scope_name)`). */
function named(g: Graph, full: string, inputs: [Tensor, Tensor]): Tensor {
  return makeOp('Mul', inputs, {}, undefined, g, { exactName: full }).outputs[0] as Tensor;
}
