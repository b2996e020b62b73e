// Shared pieces of the `tf.layers` functions: TF1's layer variable scopes and the binder kinds of the
// layer options (activation, initializers, regularizers, padding, data format, reuse).
import { InvalidArgumentError } from '../errors';
import { Tensor } from '../graph/tensor';
import { kinds } from '../graph/signature';
import { ReuseMode, variableScope } from '../graph/variable_scope';
import { getDefaultGraph } from '../graph/graph';
import { isInitializerFactory, type Initializer } from '../ops/initializers';
import type { DType } from '../graph/dtype';
import { shape } from '../ops/fill/shape';
import { stridedSlice } from '../ops/array/strided_slice';
import { cast } from '../ops/math/builders';

/** A regularizer: a function of a weight tensor returning a scalar loss (or null for none). */
export type Regularizer = (weights: Tensor) => Tensor | null;
/** An activation function: `tf.nn.relu`, `tf.tanh`, … (any function of one tensor). */
export type Activation = (x: Tensor) => Tensor;
/** An initializer, or an initializer factory given uncalled (`tf.zerosInitializer`). */
export type InitializerArg = Initializer | ((...a: never[]) => Initializer);

export const activationKind = kinds.nullable(
  kinds.custom<Activation>(
    'an activation function of one tensor (e.g. tf.nn.relu)',
    (v) => typeof v === 'function',
  ),
);
export const initializerKind = kinds.nullable(
  kinds.custom<InitializerArg>(
    'an initializer (e.g. tf.initializers.zeros())',
    (v) => typeof v === 'function',
  ),
);
export const regularizerKind = kinds.nullable(
  kinds.custom<Regularizer>(
    'a regularizer: a function of the weights (e.g. tf.contrib.layers.l2Regularizer(0.1))',
    (v) => typeof v === 'function',
  ),
);
export const reuseKind = kinds.nullable(
  kinds.custom<ReuseMode>(
    'true, false or tf.AUTO_REUSE',
    (v) => typeof v === 'boolean' || v === 'AUTO_REUSE',
  ),
);
/** TF1's `padding`: 'valid' or 'same', any case. */
export const layerPaddingKind = kinds.custom<string>(
  "'valid' or 'same' (any case)",
  (v) => typeof v === 'string' && ['valid', 'same'].includes(v.toLowerCase()),
  () => 'valid',
  true,
);
/** TF1's `data_format`: 'channels_last' (the only layout the layers support) or 'channels_first'. */
export const layerDataFormatKind = kinds.custom<string>(
  "'channels_last' or 'channels_first'",
  (v) => v === 'channels_last' || v === 'channels_first',
  () => 'channels_last',
  true,
);
/** An integer or a list of two integers (kernel size, strides, pool size, dilation rate). */
export const tuple2Kind = kinds.custom<number | number[]>(
  'a positive integer or a list of 2 positive integers',
  (v) =>
    (Number.isInteger(v) && (v as number) >= 1) ||
    (Array.isArray(v) && v.length === 2 && v.every((d) => Number.isInteger(d) && (d as number) >= 1)),
  () => 2,
);
/** A constraint: not supported (rejected unless null). */
export const constraintKind = kinds.custom<null>(
  'null (constraints are not supported)',
  (v) => v === null,
  () => null,
);

export function pair(v: number | number[]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0] as number, v[1] as number];
}

export function paddingOf(p: string): 'SAME' | 'VALID' {
  return p.toUpperCase() as 'SAME' | 'VALID';
}

export function requireChannelsLast(fn: string, dataFormat: string): void {
  if (dataFormat !== 'channels_last') {
    throw new InvalidArgumentError(
      `${fn}: data_format='${dataFormat}' is not supported; use 'channels_last' (NHWC) inputs`,
    );
  }
}

/** Turns an uncalled initializer factory into an initializer (TF1 accepts the class uncalled). */
export function resolveInitializer(
  init: InitializerArg | null,
  dtype: DType = 'float32',
): Initializer | null {
  if (init === null) return null;
  return isInitializerFactory(init) ? init({ dtype }) : (init as Initializer);
}

/**
 * Runs `fn` inside the variable scope TF1's functional layers use: the layer's `name` when given (with
 * `reuse`), else a unique default name in the current scope (`dense`, `dense_1`, …), or the plain
 * default name when reusing (`reuse=True` without a name shares `dense/…`).
 */
export function layerScope<T>(
  name: string | undefined,
  reuse: ReuseMode | null,
  baseName: string,
  fn: () => T,
): T {
  const opts = reuse ? { reuse } : {};
  if (name !== undefined) return variableScope(name, opts, () => fn());
  if (reuse) return variableScope(baseName, opts, () => fn());
  return variableScope(null, { defaultName: baseName }, () => fn());
}

/**
 * Keras's activity regularization as TF1's layers apply it: `regularizer(output) / batch_size`, built
 * under `<layer>/ActivityRegularizer/`, added to the `regularization_losses` collection.
 */
export function addActivityRegularization(reg: Regularizer | null, output: Tensor): void {
  if (!reg) return;
  const g = getDefaultGraph();
  g.nameScope('ActivityRegularizer', () => {
    const loss = reg(output);
    if (!loss) return;
    const batch = cast(stridedSlice(shape(output), [0], [1], [1], { shrinkAxisMask: 1 }), 'float32');
    g.addToCollection('regularization_losses', loss.div(batch, 'truediv'));
  });
}

/** Runs a layer's body inside its variable scope (given the layer's default base name). */
export type ScopeRunner = <T>(baseName: string, fn: () => T) => T;

/** The scope runner of the functional layers: a fresh scope per call (see `layerScope`). */
export function functionalScope(name: string | undefined, reuse: ReuseMode | null): ScopeRunner {
  return (baseName, fn) => layerScope(name, reuse, baseName, fn);
}
