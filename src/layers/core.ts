// TF1's core functional layers: `tf.layers.dense`, `tf.layers.dropout`, `tf.layers.flatten`.
import { InvalidArgumentError } from '../errors';
import { getDefaultGraph } from '../graph/graph';
import { BoundArgs, declare, kinds, param } from '../graph/signature';
import { Tensor, TensorLike } from '../graph/tensor';
import { getVariable } from '../graph/variable_scope';
import { convertToTensor } from '../ops/op_def';
import { zeros } from '../ops/initializers';
import { matmul } from '../ops/linalg/matmul';
import { reshape } from '../ops/array/reshape';
import { concat } from '../ops/array/concat';
import { stridedSlice } from '../ops/array/strided_slice';
import { shape as shapeOp } from '../ops/fill/shape';
import { identity } from '../ops/control/basic';
import { cast, multiply } from '../ops/math/builders';
import { biasAdd } from '../nn/bias_add';
import { dropout as nnDropout } from '../nn/dropout';
import {
  Activation,
  activationKind,
  addActivityRegularization,
  constraintKind,
  initializerKind,
  InitializerArg,
  layerDataFormatKind,
  functionalScope,
  Regularizer,
  regularizerKind,
  resolveInitializer,
  reuseKind,
  ScopeRunner,
} from './common';

const nameParam = param('name', kinds.name, { default: undefined as string | undefined });

/** Adds the bias and applies the activation, as TF1's layers do after their main op. */
export function finishLayer(
  out: Tensor,
  useBias: boolean,
  bias: () => Tensor,
  activation: Activation | null,
  activityRegularizer: Regularizer | null,
): Tensor {
  let y = useBias ? biasAdd(out, bias()) : out;
  if (activation) y = activation(y);
  addActivityRegularization(activityRegularizer, y);
  return y;
}

/** Makes a layer weight with `tf.getVariable` (TF1's `Layer.add_weight`). */
export function addWeight(
  name: string,
  shape: number[],
  initializer: InitializerArg | null,
  regularizer: Regularizer | null,
  trainable: boolean,
): Tensor {
  return getVariable(name, {
    shape,
    dtype: 'float32',
    initializer: resolveInitializer(initializer),
    regularizer,
    trainable,
  });
}

function floatInput(fn: string, x: TensorLike): Tensor {
  const t = convertToTensor(x, 'float32');
  if (t.dtype !== 'float32') {
    throw new InvalidArgumentError(`${fn}: inputs must be float32, got ${t.dtype} ('${t.name}')`);
  }
  return t;
}

export const DENSE_LAYER_PARAMS = [
  param('units', kinds.nonNegInt),
  param('activation', activationKind, { default: null }),
  param('useBias', kinds.bool, { default: true }),
  param('kernelInitializer', initializerKind, { default: null }),
  param('biasInitializer', initializerKind, { default: zeros() as InitializerArg | null }),
  param('kernelRegularizer', regularizerKind, { default: null }),
  param('biasRegularizer', regularizerKind, { default: null }),
  param('activityRegularizer', regularizerKind, { default: null }),
  param('kernelConstraint', constraintKind, { default: null }),
  param('biasConstraint', constraintKind, { default: null }),
  param('trainable', kinds.bool, { default: true }),
  nameParam,
] as const;
const DENSE_PARAMS = [
  param('inputs', kinds.tensor),
  ...DENSE_LAYER_PARAMS,
  param('reuse', reuseKind, { default: null }),
] as const;

/** Builds a dense layer's ops in the scope `run` opens (shared by `dense` and `Dense`). */
export function denseImpl(a: BoundArgs<typeof DENSE_PARAMS>, run: ScopeRunner): Tensor {
  const x = floatInput('dense', a.inputs as TensorLike);
  const rank = x.rank;
  if (rank === null || rank < 2) {
    throw new InvalidArgumentError(
      `Input 0 of layer dense is incompatible with the layer: expected min_ndim=2, found ndim=${rank ?? 'unknown'}. Full shape received: ${JSON.stringify(x.shape)}`,
    );
  }
  const inDim = (x.shape as (number | null)[])[rank - 1];
  if (inDim === null || inDim === undefined) {
    throw new InvalidArgumentError(
      'The last dimension of the inputs to `Dense` should be defined. Found `None`.',
    );
  }
  return run('dense', () => {
    const kernel = addWeight(
      'kernel',
      [inDim, a.units],
      a.kernelInitializer,
      a.kernelRegularizer,
      a.trainable,
    );
    const bias = a.useBias
      ? addWeight('bias', [a.units], a.biasInitializer, a.biasRegularizer, a.trainable)
      : undefined;
    let out: Tensor;
    if (rank === 2) out = matmul(x, kernel, 'MatMul');
    else out = tensordotLast(x, kernel, a.units);
    return finishLayer(out, a.useBias, () => bias as Tensor, a.activation, a.activityRegularizer);
  });
}

/**
 * TF1's `tf.layers.dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
 * bias_initializer=zeros, kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
 * kernel_constraint=None, bias_constraint=None, trainable=True, name=None, reuse=None)`:
 * `activation(inputs · kernel + bias)` with variables `<scope>/kernel` `[in, units]` (glorot uniform by
 * default) and `<scope>/bias` `[units]`; the scope is `name`, else `dense`, `dense_1`, …. Inputs of rank
 * > 2 are multiplied along their last axis.
 *
 * @example
 * const h = tf.layers.dense(x, 128, tf.nn.relu);                        // dense/kernel, dense/bias
 * const logits = tf.layers.dense(h, 10, { name: 'logits' });            // logits/kernel
 * const again = tf.layers.dense(x2, 128, tf.nn.relu, { name: 'dense', reuse: true }); // shares
 */
export const dense = declare('dense', DENSE_PARAMS, (a): Tensor =>
  denseImpl(a, functionalScope(a.name, a.reuse)),
);

/** `x · kernel` along x's last axis for rank > 2 (TF1's tensordot): reshape, matmul, reshape back. */
function tensordotLast(x: Tensor, kernel: Tensor, units: number): Tensor {
  const g = getDefaultGraph();
  return g.nameScope('Tensordot', () => {
    const s = x.shape as (number | null)[];
    const inDim = s[s.length - 1] as number;
    const flat = reshape(x, [-1, inDim], 'Reshape');
    const prod = matmul(flat, kernel, 'MatMul');
    const lead = s.slice(0, -1);
    const unknown = lead.filter((d) => d === null).length;
    if (unknown <= 1) return reshape(prod, [...lead.map((d) => (d === null ? -1 : d)), units]);
    const leadShape = stridedSlice(shapeOp(x), [0], [-1], [1]);
    return reshape(prod, concat([leadShape, convertToTensor([units], 'int32')], 0));
  });
}

const DROPOUT_PARAMS = [
  param('inputs', kinds.tensor),
  param('rate', kinds.union(kinds.number, kinds.tensor), { default: 0.5 as number | TensorLike }),
  param(
    'noiseShape',
    kinds.nullable(
      kinds.custom<(number | null)[]>(
        'a list of integers (null: the dimension of the inputs)',
        (v) => Array.isArray(v) && v.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 1)),
      ),
    ),
    { default: null },
  ),
  param('seed', kinds.nullable(kinds.int), { default: null }),
  param('training', kinds.union(kinds.bool, kinds.tensor), { default: false as boolean | TensorLike }),
  nameParam,
] as const;
export type DropoutArgs = BoundArgs<typeof DROPOUT_PARAMS>;

/** Builds dropout in the scope `run` opens (shared by the function and the class). */
export function dropoutImpl(a: DropoutArgs, run: ScopeRunner): Tensor {
  const x = floatInput('dropout', a.inputs as TensorLike);
  if (typeof a.rate === 'number' && !(a.rate >= 0 && a.rate < 1)) {
    throw new RangeError(`dropout: rate must be in the range [0, 1), got ${a.rate}`);
  }
  let training: boolean | Tensor;
  if (typeof a.training === 'boolean') training = a.training;
  else {
    training = convertToTensor(a.training, 'bool');
    if (training.dtype !== 'bool') {
      throw new TypeError(`dropout(): argument 'training' must be a bool tensor, got ${training.dtype}`);
    }
  }
  return run('dropout', () => {
    if (training === false) return identity(x, 'Identity');
    const rate = training === true ? a.rate : multiply(a.rate as TensorLike, cast(training, 'float32'));
    return nnDropout(x, {
      rate: rate as TensorLike,
      noiseShape: a.noiseShape,
      seed: a.seed,
    });
  });
}

/**
 * TF1's `tf.layers.dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None)`:
 * when `training` (a boolean or a scalar bool tensor, e.g. a placeholder) is true, drops each element
 * with probability `rate` (the DROP rate, not keep_prob) and scales the rest by 1/(1 − rate); otherwise
 * returns the inputs unchanged. Default `training=false`: dropout is off unless asked for, as in TF1.
 *
 * @example
 * const isTraining = tf.placeholder('bool', [], 'is_training');
 * const h = tf.layers.dropout(dense1, 0.4, { training: isTraining });
 * const h2 = tf.layers.dropout(dense1, { rate: 0.25, training: true, seed: 1 });
 */
export const dropout = declare('dropout', DROPOUT_PARAMS, (a): Tensor =>
  dropoutImpl(a, functionalScope(a.name, null)),
);

const FLATTEN_PARAMS = [
  inputsParam(),
  nameParam,
  param('dataFormat', layerDataFormatKind, { default: 'channels_last' }),
] as const;

/** Builds flatten in the scope `run` opens (shared by the function and the class). */
export function flattenImpl(a: BoundArgs<typeof FLATTEN_PARAMS>, run: ScopeRunner): Tensor {
  const x = convertToTensor(a.inputs as TensorLike);
  if (a.dataFormat !== 'channels_last') {
    throw new InvalidArgumentError(
      "flatten: data_format='channels_first' is not supported; use 'channels_last'",
    );
  }
  if (x.rank === null) throw new InvalidArgumentError('flatten: the rank of the inputs must be known');
  return run('flatten', () => {
    const s = x.shape as (number | null)[];
    if (x.rank === 1) return reshape(x, [-1, 1], 'Reshape');
    const rest = s.slice(1);
    if (rest.every((d) => d !== null)) {
      const n = (rest as number[]).reduce((p, d) => p * d, 1);
      return reshape(x, [s[0] === null ? -1 : (s[0] as number), n], 'Reshape');
    }
    const batch =
      s[0] !== null ? convertToTensor([s[0] as number], 'int32') : stridedSlice(shapeOp(x), [0], [1], [1]);
    return reshape(x, concat([batch, convertToTensor([-1], 'int32')], 0), 'Reshape');
  });
}

/**
 * TF1's `tf.layers.flatten(inputs, name=None, data_format='channels_last')`: reshapes `[batch, ...]` to
 * `[batch, product of the rest]`.
 *
 * @example
 * const flat = tf.layers.flatten(pool2); // [null, 7, 7, 64] → [null, 3136]
 */
export const flatten = declare('flatten', FLATTEN_PARAMS, (a): Tensor =>
  flattenImpl(a, functionalScope(a.name, null)),
);

function inputsParam() {
  return param('inputs', kinds.tensor);
}
