// Test hook shared by the classic-program ports: after `sess.run(init)`, assign chosen values to some
// variables (by name, e.g. 'rnn/basic_lstm_cell/kernel:0') with ordinary tf.assign ops, so a test can
// compare the program's numbers with an independent computation from known weights while the program
// itself keeps its original code path (random initializers included).
import * as tf from '../../src';

/** Variable name (with or without ':0') → values, row-major, in the variable's shape. */
export type WeightOverrides = Record<string, Float32Array | number[]>;

export function applyOverrides(sess: tf.Session, overrides: WeightOverrides | undefined): void {
  if (!overrides) return;
  const byName = new Map(tf.globalVariables().map((v) => [v.name, v]));
  for (const [key, values] of Object.entries(overrides)) {
    const name = key.includes(':') ? key : `${key}:0`;
    const v = byName.get(name);
    if (!v)
      throw new Error(`applyOverrides: no variable named ${name} (have ${[...byName.keys()].join(', ')})`);
    const shape = v.shape as number[];
    sess.run(tf.assign(v, tf.constant(Float32Array.from(values), tf.float32, shape)));
  }
}

/** The current value of every global variable, by name (for tests to compare with a replay). */
export function readVariables(sess: tf.Session): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const v of tf.globalVariables())
    out[v.name] = Float32Array.from(sess.run(v).data as ArrayLike<number>);
  return out;
}
