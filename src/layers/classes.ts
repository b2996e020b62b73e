// TF1's layer classes (`tf.layers.Dense`, `Conv2D`, `MaxPooling2D`, `AveragePooling2D`, `Dropout`,
// `Flatten`, `BatchNormalization`): constructed once, applied with `layer.apply(inputs)` (TF1's
// `layer(inputs)` / `layer.apply(inputs)`); every call after the first shares the variables.
import { getDefaultGraph } from '../graph/graph';
import { bindCall, CallForms, declareConstructor, kinds, param } from '../graph/signature';
import { Tensor, TensorLike } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { getVariableScope, variableScope, VariableScope } from '../graph/variable_scope';
import { avgPool, maxPool } from '../nn/pool';
import { layerScope, ScopeRunner } from './common';
import {
  CONV2D_LAYER_PARAMS,
  conv2dImpl,
  CONV2D_TRANSPOSE_LAYER_PARAMS,
  conv2dTransposeImpl,
  POOL_LAYER_PARAMS,
  poolImpl,
} from './convolutional';
import { DENSE_LAYER_PARAMS, denseImpl, dropoutImpl, flattenImpl } from './core';
import { batchNormImpl, BatchNormArgs, BN_LAYER_PARAMS } from './normalization';
import { layerDataFormatKind } from './common';

const trainingKind = kinds.union(kinds.bool, kinds.tensor);

/**
 * The base of TF1's layer classes: the layer's variable scope is fixed by its first call (`name`, else
 * `dense`, `dense_1`, …); later calls reuse its variables. Records the variables it made, its update ops
 * (batch norm) and its regularization losses.
 */
export abstract class Layer {
  private scope: VariableScope | undefined;
  /** Variables this layer created (TF1's `layer.variables` / `weights`). */
  readonly variables: Variable[] = [];
  /** Update ops the layer's calls added to UPDATE_OPS (TF1's `layer.updates`). */
  readonly updates: Tensor[] = [];
  /** Regularization losses the layer's calls added (TF1's `layer.losses`). */
  readonly losses: Tensor[] = [];

  protected constructor(
    private readonly baseName: string,
    private readonly givenName: string | undefined,
  ) {}

  /** Whether the layer has been called (its variables exist). */
  get built(): boolean {
    return this.scope !== undefined;
  }
  /** The layer's name: its scope's last component once built (`dense_1`), else the given or base name. */
  get name(): string {
    return this.scope ? (this.scope.name.split('/').pop() as string) : (this.givenName ?? this.baseName);
  }
  /** The layer's trainable variables (TF1's `trainable_variables` / `trainable_weights`). */
  get trainableVariables(): Variable[] {
    return this.variables.filter((v) => v.trainable);
  }
  get trainableWeights(): Variable[] {
    return this.trainableVariables;
  }
  get nonTrainableVariables(): Variable[] {
    return this.variables.filter((v) => !v.trainable);
  }
  get weights(): Variable[] {
    return this.variables.slice();
  }

  /** Runs one call, recording the variables, updates and losses it adds. */
  protected run(build: (run: ScopeRunner) => Tensor): Tensor {
    const g = getDefaultGraph();
    const counts = ['variables', 'update_ops', 'regularization_losses'].map((k) => g.getCollection(k).length);
    const runner: ScopeRunner = (base, fn) => {
      // TF1: later calls reopen the scope with reuse=True, auxiliary_name_scope=False, and put their ops
      // in its original name scope ('dense/MatMul_1').
      if (this.scope) {
        const scope = this.scope;
        return variableScope(scope, { reuse: true, auxiliaryNameScope: false }, () =>
          getDefaultGraph().nameScope(scope.originalNameScope, () => fn()),
        );
      }
      return layerScope(this.givenName, null, base, () => {
        this.scope = getVariableScope();
        return fn();
      });
    };
    const out = build(runner);
    this.variables.push(...g.getCollection<Variable>('variables').slice(counts[0]));
    this.updates.push(...g.getCollection<Tensor>('update_ops').slice(counts[1]));
    this.losses.push(...g.getCollection<Tensor>('regularization_losses').slice(counts[2]));
    return out;
  }

  /** Applies the layer to `inputs` (TF1's `layer.apply(inputs)`). */
  abstract apply(inputs: TensorLike, ...rest: unknown[]): Tensor;

  /** Same as `apply` (TF1's `layer(inputs)`). @example const y = layer.call(x) */
  call(inputs: TensorLike, ...rest: unknown[]): Tensor {
    return this.apply(inputs, ...rest);
  }
}

const DENSE_SIG = declareConstructor(
  'Dense',
  DENSE_LAYER_PARAMS,
  (...a): unknown => new Dense(...(a as CallForms<typeof DENSE_LAYER_PARAMS>)),
);

/**
 * TF1's `tf.layers.Dense(units, activation=None, use_bias=True, kernel_initializer=None,
 * bias_initializer=zeros, kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
 * kernel_constraint=None, bias_constraint=None, trainable=True, name=None)`: `tf.layers.dense` as an
 * object; every `apply` after the first shares `kernel` and `bias`.
 *
 * @example
 * const layer = new tf.layers.Dense(10, tf.nn.relu);
 * const y1 = layer.apply(x1);
 * const y2 = layer.apply(x2); // same dense/kernel, dense/bias
 */
export class Dense extends Layer {
  private readonly args: ReturnType<typeof bindCall<typeof DENSE_LAYER_PARAMS>>;
  constructor(...args: CallForms<typeof DENSE_LAYER_PARAMS>) {
    const a = bindCall(DENSE_SIG, args);
    super('dense', a.name);
    this.args = a;
  }
  get units(): number {
    return this.args.units;
  }
  get kernel(): Variable | undefined {
    return this.variables.find((v) => v.name.endsWith('/kernel:0'));
  }
  get bias(): Variable | undefined {
    return this.variables.find((v) => v.name.endsWith('/bias:0'));
  }
  apply(inputs: TensorLike): Tensor {
    return this.run((run) => denseImpl({ ...this.args, inputs, reuse: null }, run));
  }
}

const CONV_SIG = declareConstructor(
  'Conv2D',
  CONV2D_LAYER_PARAMS,
  (...a): unknown => new Conv2D(...(a as CallForms<typeof CONV2D_LAYER_PARAMS>)),
);

/**
 * TF1's `tf.layers.Conv2D(filters, kernel_size, strides=(1, 1), padding='valid',
 * data_format='channels_last', dilation_rate=(1, 1), activation=None, use_bias=True, …, trainable=True,
 * name=None)`: `tf.layers.conv2d` as an object sharing its variables across calls.
 *
 * @example
 * const conv = new tf.layers.Conv2D(32, [3, 3], { padding: 'same', activation: tf.nn.relu });
 * const y = conv.apply(images);
 */
export class Conv2D extends Layer {
  private readonly args: ReturnType<typeof bindCall<typeof CONV2D_LAYER_PARAMS>>;
  constructor(...args: CallForms<typeof CONV2D_LAYER_PARAMS>) {
    const a = bindCall(CONV_SIG, args);
    super('conv2d', a.name);
    this.args = a;
  }
  get kernel(): Variable | undefined {
    return this.variables.find((v) => v.name.endsWith('/kernel:0'));
  }
  get bias(): Variable | undefined {
    return this.variables.find((v) => v.name.endsWith('/bias:0'));
  }
  apply(inputs: TensorLike): Tensor {
    return this.run((run) => conv2dImpl({ ...this.args, inputs, reuse: null }, run));
  }
}

const CONV_T_SIG = declareConstructor(
  'Conv2DTranspose',
  CONV2D_TRANSPOSE_LAYER_PARAMS,
  (...a): unknown => new Conv2DTranspose(...(a as CallForms<typeof CONV2D_TRANSPOSE_LAYER_PARAMS>)),
);

/**
 * TF1's `tf.layers.Conv2DTranspose(filters, kernel_size, strides=(1, 1), padding='valid',
 * data_format='channels_last', activation=None, use_bias=True, …, trainable=True, name=None)`:
 * `tf.layers.conv2dTranspose` as an object sharing its variables across calls.
 *
 * @example
 * const deconv = new tf.layers.Conv2DTranspose(64, 4, { strides: 2 });
 * const up = deconv.apply(x);
 */
export class Conv2DTranspose extends Layer {
  private readonly args: ReturnType<typeof bindCall<typeof CONV2D_TRANSPOSE_LAYER_PARAMS>>;
  constructor(...args: CallForms<typeof CONV2D_TRANSPOSE_LAYER_PARAMS>) {
    const a = bindCall(CONV_T_SIG, args);
    super('conv2d_transpose', a.name);
    this.args = a;
  }
  get kernel(): Variable | undefined {
    return this.variables.find((v) => v.name.endsWith('/kernel:0'));
  }
  get bias(): Variable | undefined {
    return this.variables.find((v) => v.name.endsWith('/bias:0'));
  }
  apply(inputs: TensorLike): Tensor {
    return this.run((run) => conv2dTransposeImpl({ ...this.args, inputs, reuse: null }, run));
  }
}

type PoolArgs = ReturnType<typeof bindCall<typeof POOL_LAYER_PARAMS>>;

const MAX_POOL_SIG = declareConstructor(
  'MaxPooling2D',
  POOL_LAYER_PARAMS,
  (...a): unknown => new MaxPooling2D(...(a as CallForms<typeof POOL_LAYER_PARAMS>)),
);

/**
 * TF1's `tf.layers.MaxPooling2D(pool_size, strides, padding='valid', data_format='channels_last',
 * name=None)`.
 *
 * @example
 * const pool = new tf.layers.MaxPooling2D(2, 2);
 * const y = pool.apply(x);
 */
export class MaxPooling2D extends Layer {
  private readonly args: PoolArgs;
  constructor(...args: CallForms<typeof POOL_LAYER_PARAMS>) {
    const a = bindCall(MAX_POOL_SIG, args);
    super('max_pooling2d', a.name);
    this.args = a;
  }
  apply(inputs: TensorLike): Tensor {
    return this.run((run) =>
      poolImpl('maxPooling2d', 'max_pooling2d', maxPool, { ...this.args, inputs }, run),
    );
  }
}

const AVG_POOL_SIG = declareConstructor(
  'AveragePooling2D',
  POOL_LAYER_PARAMS,
  (...a): unknown => new AveragePooling2D(...(a as CallForms<typeof POOL_LAYER_PARAMS>)),
);

/**
 * TF1's `tf.layers.AveragePooling2D(pool_size, strides, padding='valid', data_format='channels_last',
 * name=None)`.
 *
 * @example
 * const pool = new tf.layers.AveragePooling2D([2, 2], 2, 'same');
 */
export class AveragePooling2D extends Layer {
  private readonly args: PoolArgs;
  constructor(...args: CallForms<typeof POOL_LAYER_PARAMS>) {
    const a = bindCall(AVG_POOL_SIG, args);
    super('average_pooling2d', a.name);
    this.args = a;
  }
  apply(inputs: TensorLike): Tensor {
    return this.run((run) =>
      poolImpl('averagePooling2d', 'average_pooling2d', avgPool, { ...this.args, inputs }, run),
    );
  }
}

const DROPOUT_LAYER_PARAMS = [
  param('rate', kinds.number, { default: 0.5 }),
  param('noiseShape', kinds.nullable(kinds.ints), { default: null as number[] | null }),
  param('seed', kinds.nullable(kinds.int), { default: null as number | null }),
  param('name', kinds.name, { default: undefined as string | undefined }),
] as const;
const DROPOUT_SIG = declareConstructor(
  'Dropout',
  DROPOUT_LAYER_PARAMS,
  (...a): unknown => new Dropout(...(a as CallForms<typeof DROPOUT_LAYER_PARAMS>)),
);

/**
 * TF1's `tf.layers.Dropout(rate=0.5, noise_shape=None, seed=None, name=None)`; `apply(inputs,
 * training=false)` drops with `rate` only when `training` (a boolean or a bool tensor) is true.
 *
 * @example
 * const drop = new tf.layers.Dropout(0.3);
 * const y = drop.apply(x, isTraining);
 */
export class Dropout extends Layer {
  private readonly args: ReturnType<typeof bindCall<typeof DROPOUT_LAYER_PARAMS>>;
  constructor(...args: CallForms<typeof DROPOUT_LAYER_PARAMS>) {
    const a = bindCall(DROPOUT_SIG, args);
    super('dropout', a.name);
    this.args = a;
  }
  apply(inputs: TensorLike, training: boolean | TensorLike = false): Tensor {
    const t = bindCall(APPLY_SIG, [training]).training;
    return this.run((run) => dropoutImpl({ ...this.args, inputs, training: t }, run));
  }
}

const APPLY_SIG = {
  fn: 'Layer.apply',
  params: [param('training', trainingKind, { default: false as boolean | TensorLike })] as const,
};

const FLATTEN_LAYER_PARAMS = [
  param('dataFormat', layerDataFormatKind, { default: 'channels_last' }),
  param('name', kinds.name, { default: undefined as string | undefined }),
] as const;
const FLATTEN_SIG = declareConstructor(
  'Flatten',
  FLATTEN_LAYER_PARAMS,
  (...a): unknown => new Flatten(...(a as CallForms<typeof FLATTEN_LAYER_PARAMS>)),
);

/**
 * TF1's `tf.layers.Flatten(data_format='channels_last', name=None)`.
 *
 * @example
 * const flat = new tf.layers.Flatten().apply(pool2);
 */
export class Flatten extends Layer {
  private readonly args: ReturnType<typeof bindCall<typeof FLATTEN_LAYER_PARAMS>>;
  constructor(...args: CallForms<typeof FLATTEN_LAYER_PARAMS>) {
    const a = bindCall(FLATTEN_SIG, args);
    super('flatten', a.name);
    this.args = a;
  }
  apply(inputs: TensorLike): Tensor {
    return this.run((run) => flattenImpl({ ...this.args, inputs }, run));
  }
}

const BN_SIG = declareConstructor(
  'BatchNormalization',
  BN_LAYER_PARAMS,
  (...a): unknown => new BatchNormalization(...(a as CallForms<typeof BN_LAYER_PARAMS>)),
);

/**
 * TF1's `tf.layers.BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
 * beta_initializer, gamma_initializer, moving_mean_initializer, moving_variance_initializer,
 * beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint, renorm=False,
 * renorm_clipping=None, renorm_momentum=0.99, fused=None, trainable=True, virtual_batch_size=None,
 * adjustment=None, name=None)`; `apply(inputs, training=false)`. Its update ops are in `layer.updates`
 * and in UPDATE_OPS.
 *
 * @example
 * const bn = new tf.layers.BatchNormalization({ momentum: 0.9 });
 * const y = bn.apply(x, true);
 */
export class BatchNormalization extends Layer {
  private readonly args: ReturnType<typeof bindCall<typeof BN_LAYER_PARAMS>>;
  constructor(...args: CallForms<typeof BN_LAYER_PARAMS>) {
    const a = bindCall(BN_SIG, args);
    super('batch_normalization', a.name);
    this.args = a;
  }
  apply(inputs: TensorLike, training: boolean | TensorLike = false): Tensor {
    const t = bindCall(APPLY_SIG, [training]).training;
    const a: BatchNormArgs = { ...this.args, inputs, training: t, reuse: null };
    return this.run((run) => batchNormImpl(a, run));
  }
}
