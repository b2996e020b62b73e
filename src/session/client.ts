/** `tf.client` (TF1's `tensorflow.python.client`): `timeline.Timeline` for traced runs. */
export { timeline } from './timeline';
export type { ChromeTraceEvent } from './timeline';
export * as deviceLib from './device_lib';
