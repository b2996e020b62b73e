// The `tf.train` namespace: TF1's optimizers, the global step and learning-rate schedules.
export { Optimizer, TRAIN_OP } from './optimizer';
export type {
  GradAndVar,
  Hyperparameter,
  ComputeGradientsOptions,
  ApplyGradientsOptions,
  MinimizeOptions,
} from './optimizer';
export { GradientDescentOptimizer } from './gradient_descent';
export type { OptimizerOptions } from './gradient_descent';
export { MomentumOptimizer } from './momentum';
export type { MomentumOptions } from './momentum';
export { AdagradOptimizer } from './adagrad';
export type { AdagradOptions } from './adagrad';
export { RMSPropOptimizer } from './rmsprop';
export type { RMSPropOptions } from './rmsprop';
export { AdamOptimizer } from './adam';
export type { AdamOptions } from './adam';
export { getGlobalStep, createGlobalStep, getOrCreateGlobalStep } from './global_step';
export {
  exponentialDecay,
  piecewiseConstant,
  polynomialDecay,
  inverseTimeDecay,
  naturalExpDecay,
  cosineDecay,
} from './learning_rate_decay';
export type { ExponentialDecayOptions, DecayRateOptions } from './learning_rate_decay';
export { ExponentialMovingAverage } from './moving_averages';
export {
  SessionRunHook,
  SessionRunArgs,
  SessionRunContext,
  SessionRunValues,
  StopAtStepHook,
  CheckpointSaverHook,
  SummarySaverHook,
  StepCounterHook,
  LoggingTensorHook,
  NanTensorHook,
  NanLossDuringTrainingError,
} from './hooks';
export { MonitoredTrainingSession, SingularMonitoredSession, Scaffold } from './monitored_session';
export { Saver, latestCheckpoint, checkpointExists } from '../io';
export { getCheckpointState } from '../io';
export { CheckpointReader, loadCheckpoint, listVariables, loadVariable, NewCheckpointReader } from '../io';
export type { CheckpointState } from '../io';
export type { SaverOptions, SaveOptions, RestoreOptions } from '../io';
