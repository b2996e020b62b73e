// TF1's `tf.layers.conv2d` and the 2-D pooling layers (`maxPooling2d`, `averagePooling2d`).
import { InvalidArgumentError } from '../errors';
import { BoundArgs, declare, kinds, param } from '../graph/signature';
import { Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor } from '../ops/op_def';
import { zeros } from '../ops/initializers';
import { conv2d as nnConv2d, conv2dTranspose as nnConv2dTranspose } from '../nn/conv2d';
import { shape as tfShape } from '../ops/fill/shape';
import { stack } from '../ops/array/stack';
import { avgPool, maxPool } from '../nn/pool';
import {
  activationKind,
  constraintKind,
  initializerKind,
  InitializerArg,
  layerDataFormatKind,
  layerPaddingKind,
  functionalScope,
  pair,
  paddingOf,
  regularizerKind,
  requireChannelsLast,
  reuseKind,
  ScopeRunner,
  tuple2Kind,
} from './common';
import { addWeight, finishLayer } from './core';

const nameParam = param('name', kinds.name, { default: undefined as string | undefined });

function rank4Input(fn: string, x: TensorLike): Tensor {
  const t = convertToTensor(x, 'float32');
  if (t.dtype !== 'float32') throw new InvalidArgumentError(`${fn}: inputs must be float32, got ${t.dtype}`);
  if (t.rank !== 4) {
    throw new InvalidArgumentError(
      `Input 0 of layer ${fn} is incompatible with the layer: expected ndim=4, found ndim=${t.rank ?? 'unknown'}. Full shape received: ${JSON.stringify(t.shape)}`,
    );
  }
  return t;
}

export const CONV2D_LAYER_PARAMS = [
  param('filters', kinds.nonNegInt),
  param('kernelSize', tuple2Kind),
  param('strides', tuple2Kind, { default: [1, 1] as number | number[] }),
  param('padding', layerPaddingKind, { default: 'valid' }),
  param('dataFormat', layerDataFormatKind, { default: 'channels_last' }),
  param('dilationRate', tuple2Kind, { default: [1, 1] as number | number[] }),
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
const CONV2D_PARAMS = [
  param('inputs', kinds.tensor),
  ...CONV2D_LAYER_PARAMS,
  param('reuse', reuseKind, { default: null }),
] as const;

/** Builds a conv2d layer's ops in the scope `run` opens (shared by `conv2d` and `Conv2D`). */
export function conv2dImpl(a: BoundArgs<typeof CONV2D_PARAMS>, run: ScopeRunner): Tensor {
  requireChannelsLast('conv2d', a.dataFormat);
  const dil = pair(a.dilationRate);
  if (dil[0] !== 1 || dil[1] !== 1) {
    throw new InvalidArgumentError(
      `conv2d: dilation_rate other than 1 is not supported, got [${dil.join(', ')}]`,
    );
  }
  const x = rank4Input('conv2d', a.inputs as TensorLike);
  const inC = (x.shape as (number | null)[])[3];
  if (inC === null || inC === undefined) {
    throw new InvalidArgumentError('The channel dimension of the inputs should be defined. Found `None`.');
  }
  const [kh, kw] = pair(a.kernelSize);
  const [sh, sw] = pair(a.strides);
  return run('conv2d', () => {
    const kernel = addWeight(
      'kernel',
      [kh, kw, inC, a.filters],
      a.kernelInitializer,
      a.kernelRegularizer,
      a.trainable,
    );
    const bias = a.useBias
      ? addWeight('bias', [a.filters], a.biasInitializer, a.biasRegularizer, a.trainable)
      : undefined;
    const out = nnConv2d(x, kernel, [1, sh, sw, 1], paddingOf(a.padding), { name: 'Conv2D' });
    return finishLayer(out, a.useBias, () => bias as Tensor, a.activation, a.activityRegularizer);
  });
}

/**
 * TF1's `tf.layers.conv2d(inputs, filters, kernel_size, strides=(1, 1), padding='valid',
 * data_format='channels_last', dilation_rate=(1, 1), activation=None, use_bias=True,
 * kernel_initializer=None, bias_initializer=zeros, kernel_regularizer=None, bias_regularizer=None,
 * activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
 * reuse=None)`: a 2-D convolution of NHWC inputs with variables `<scope>/kernel`
 * `[kh, kw, in_channels, filters]` (glorot uniform by default) and `<scope>/bias` `[filters]`; the scope
 * is `name`, else `conv2d`, `conv2d_1`, …. Only `channels_last` and dilation rate 1 are supported.
 *
 * @example
 * const conv1 = tf.layers.conv2d(x, 32, [5, 5], { padding: 'same', activation: tf.nn.relu });
 * const conv2 = tf.layers.conv2d(conv1, 64, 3, 2, 'valid');
 */
export const conv2d = declare('conv2d', CONV2D_PARAMS, (a): Tensor =>
  conv2dImpl(a, functionalScope(a.name, a.reuse)),
);

export const CONV2D_TRANSPOSE_LAYER_PARAMS = [
  param('filters', kinds.nonNegInt),
  param('kernelSize', tuple2Kind),
  param('strides', tuple2Kind, { default: [1, 1] as number | number[] }),
  param('padding', layerPaddingKind, { default: 'valid' }),
  param('dataFormat', layerDataFormatKind, { default: 'channels_last' }),
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
const CONV2D_TRANSPOSE_PARAMS = [
  param('inputs', kinds.tensor),
  ...CONV2D_TRANSPOSE_LAYER_PARAMS,
  param('reuse', reuseKind, { default: null }),
] as const;

/** Keras' deconv_output_length (no output padding, dilation 1): one spatial size of a transposed conv. */
function deconvLength(size: number, kernel: number, padding: string, stride: number): number {
  return padding === 'valid' ? size * stride + Math.max(kernel - stride, 0) : size * stride;
}

/** Builds a conv2d_transpose layer's ops in the scope `run` opens. */
export function conv2dTransposeImpl(a: BoundArgs<typeof CONV2D_TRANSPOSE_PARAMS>, run: ScopeRunner): Tensor {
  requireChannelsLast('conv2d_transpose', a.dataFormat);
  const x = rank4Input('conv2d_transpose', a.inputs as TensorLike);
  const [, h, w, inC] = x.shape as (number | null)[];
  if (inC === null || inC === undefined) {
    throw new InvalidArgumentError('The channel dimension of the inputs should be defined. Found `None`.');
  }
  const [kh, kw] = pair(a.kernelSize);
  const [sh, sw] = pair(a.strides);
  return run('conv2d_transpose', () => {
    const kernel = addWeight(
      'kernel',
      [kh, kw, a.filters, inC],
      a.kernelInitializer,
      a.kernelRegularizer,
      a.trainable,
    );
    const bias = a.useBias
      ? addWeight('bias', [a.filters], a.biasInitializer, a.biasRegularizer, a.trainable)
      : undefined;
    // TF1 stacks (batch, out_height, out_width, filters) from tf.shape(inputs); the spatial sizes are
    // computed here when static (same values), from the run-time shape otherwise.
    const dyn = tfShape(x);
    const spatial = (d: number | null | undefined, axis: number, k: number, s: number): TensorLike => {
      if (d !== null && d !== undefined) return deconvLength(d, k, a.padding, s);
      const size = dyn.at(axis).mul(s);
      return a.padding === 'valid' ? size.add(Math.max(k - s, 0)) : size;
    };
    const outputShape = stack([dyn.at(0), spatial(h, 1, kh, sh), spatial(w, 2, kw, sw), a.filters]);
    const out = nnConv2dTranspose(x, kernel, outputShape, [1, sh, sw, 1], paddingOf(a.padding));
    return finishLayer(out, a.useBias, () => bias as Tensor, a.activation, a.activityRegularizer);
  });
}

/**
 * TF1's `tf.layers.conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding='valid',
 * data_format='channels_last', activation=None, use_bias=True, kernel_initializer=None,
 * bias_initializer=zeros, kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
 * kernel_constraint=None, bias_constraint=None, trainable=True, name=None, reuse=None)`: a transposed 2-D
 * convolution ("deconvolution") of NHWC inputs with variables `<scope>/kernel`
 * `[kh, kw, filters, in_channels]` (glorot uniform by default) and `<scope>/bias` `[filters]`; the scope
 * is `name`, else `conv2d_transpose`, `conv2d_transpose_1`, …. Output sizes as Keras computes them:
 * `size * stride + max(kernel - stride, 0)` for 'valid', `size * stride` for 'same'.
 *
 * @example
 * const up = tf.layers.conv2dTranspose(x, 64, 4, { strides: 2 }); // [?,6,6,128] → [?,14,14,64]
 */
export const conv2dTranspose = declare('conv2dTranspose', CONV2D_TRANSPOSE_PARAMS, (a): Tensor =>
  conv2dTransposeImpl(a, functionalScope(a.name, a.reuse)),
);

export const POOL_LAYER_PARAMS = [
  param('poolSize', tuple2Kind),
  param('strides', tuple2Kind),
  param('padding', layerPaddingKind, { default: 'valid' }),
  param('dataFormat', layerDataFormatKind, { default: 'channels_last' }),
  nameParam,
] as const;
const poolParams = [param('inputs', kinds.tensor), ...POOL_LAYER_PARAMS] as const;

/** Builds a pooling layer's op in the scope `run` opens (shared by the functions and the classes). */
export function poolImpl(
  fn: string,
  base: string,
  op: typeof maxPool,
  a: BoundArgs<typeof poolParams>,
  run: ScopeRunner,
): Tensor {
  requireChannelsLast(fn, a.dataFormat);
  const x = rank4Input(base, a.inputs as TensorLike);
  const [ph, pw] = pair(a.poolSize);
  const [sh, sw] = pair(a.strides);
  return run(base, () => op(x, [1, ph, pw, 1], [1, sh, sw, 1], paddingOf(a.padding)));
}

function pool2d(fn: string, base: string, op: typeof maxPool) {
  return declare(fn, poolParams, (a): Tensor => poolImpl(fn, base, op, a, functionalScope(a.name, null)));
}

/**
 * TF1's `tf.layers.max_pooling2d(inputs, pool_size, strides, padding='valid',
 * data_format='channels_last', name=None)`: 2-D max pooling of NHWC inputs.
 *
 * @example
 * const pool1 = tf.layers.maxPooling2d(conv1, [2, 2], 2);
 */
export const maxPooling2d = pool2d('maxPooling2d', 'max_pooling2d', maxPool);

/**
 * TF1's `tf.layers.average_pooling2d(inputs, pool_size, strides, padding='valid',
 * data_format='channels_last', name=None)`: 2-D average pooling of NHWC inputs (with 'same' padding
 * the average is over the valid elements of each window, as in TF1).
 *
 * @example
 * const pooled = tf.layers.averagePooling2d(x, 2, 2, 'same');
 */
export const averagePooling2d = pool2d('averagePooling2d', 'average_pooling2d', avgPool);
