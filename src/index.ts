/**
 * tensorgraph — TensorFlow 1.x-style static graphs for TypeScript.
 *
 * @example
 * import * as tf from 'tensorgraph';
 * const x = tf.placeholder('float32', [null, 2], 'x');
 * const y = tf.reduceSum(tf.square(x), 1);
 * const sess = new tf.Session();
 * sess.run(y, { x: [[1, 2]] }).toArray(); // [5]
 */
import './ops';
import './backends/cpu';
import './backends/gpujs';

export type { DType, TypedArray } from './graph/dtype';
/** Dtype constants (TF1's `tf.float32`, `tf.int32`, `tf.bool`), equal to the strings. */
export { float32, int32, bool } from './graph/dtype';
export { int64, float64 } from './graph/dtype';
export type { Dim, Shape } from './graph/shape';
export { NDArray, ndarray } from './ndarray';
export type { NestedArray } from './ndarray';
export * from './errors';
export { Tensor, Operation } from './graph/tensor';
export type { TensorLike, AttrValue } from './graph/tensor';
export {
  Graph,
  GraphKeys,
  getDefaultGraph,
  resetDefaultGraph,
  nameScope,
  controlDependencies,
  device,
  setRandomSeed,
} from './graph/graph';
export { getCollection, getCollectionRef, addToCollection, addToCollections } from './graph/collections';
export {
  Variable,
  globalVariables,
  trainableVariables,
  globalVariablesInitializer,
  variablesInitializer,
  initializeAllVariables,
  initializeVariables,
} from './graph/variable';
export type { VariableOptions } from './graph/variable';
export { assign, assignAdd, assignSub } from './ops/state/variable_ops';
export { gradients, AggregationMethod } from './graph/gradients';
export type { GradientsOptions } from './graph/gradients';
export { placeholder } from './ops/state/placeholder';
export { constant } from './ops/state/constant';
export { identity, stopGradient, noOp, group } from './ops/control/basic';
export { elementwise } from './ops/elementwise';
export { matmul } from './ops/linalg/matmul';
export type { MatmulOptions } from './ops/linalg/matmul';
export * from './ops/math';
export { prelu } from './ops/math/prelu';
export * from './ops/array';
export * from './ops/reduce';
export * from './ops/random';
export * from './ops/clip';
export * from './ops/fill';
export * from './ops/control';
export { Print, print } from './ops/logging';
export type { PrintOptions, OutputStream } from './ops/logging';
export * as initializers from './ops/initializers';
// TF1's top-level initializer names (`tf.random_normal_initializer`, …): the same declared factories.
export {
  randomNormal as randomNormalInitializer,
  truncatedNormal as truncatedNormalInitializer,
  randomUniform as randomUniformInitializer,
  constant as constantInitializer,
  zeros as zerosInitializer,
  ones as onesInitializer,
  glorotUniform as glorotUniformInitializer,
  glorotNormal as glorotNormalInitializer,
  varianceScaling as varianceScalingInitializer,
  uniformUnitScaling as uniformUnitScalingInitializer,
} from './ops/initializers';
export { Session } from './session/session';
export { RunOptions, RunMetadata } from './session/run_options';
export { ConfigProto, GPUOptions } from './session/config_proto';
export * as client from './session/client';
export type { NodeExecStats, DeviceStepStats } from './session/run_options';
export type { DeviceAttributes } from './session/devices/names';
export { InteractiveSession, getDefaultSession } from './session/interactive';
export type { SessionOptions, BackendInfo } from './session/session';
export type { TransferStats } from './backends/backend';
export type { FeedDict, FeedValue } from './session/feeds';
export type { Fetches, FetchResult } from './session/fetches';
export { ExecutionPlan } from './session/plan';
export type { PlanStep } from './session/plan';
export { createCpuBackend } from './backends/cpu';
export { createGpuBackend } from './backends/gpujs';
export type { GpuBackendOptions, GpuMode } from './backends/gpujs';
export type { Backend } from './backends/backend';
export * as nn from './nn';
export * as contrib from './contrib';
export * as layers from './layers';
export * as losses from './losses';
export * as train from './train';
export * as summary from './summary';
export * as data from './data';
export * as image from './ops/image';
export * as errors from './errors';
export { importGraphDef } from './io/graph_json';
export * as io from './io/tf_io';
export type { GraphJSON, ImportGraphDefOptions } from './io/graph_json';
