import * as tf from '../../src';

/** Runs `fetch` until the iterator raises OutOfRangeError (TF1's classic input loop); returns the values. */
export function drain<T>(
  sess: tf.Session,
  fetch: tf.Tensor | readonly tf.Tensor[] | Record<string, tf.Tensor>,
  convert: (v: unknown) => T,
  max = 10000,
): T[] {
  const out: T[] = [];
  while (true) {
    try {
      out.push(convert(sess.run(fetch as tf.Tensor) as unknown));
    } catch (e) {
      if (e instanceof tf.errors.OutOfRangeError) break;
      throw e;
    }
    if (out.length > max) throw new Error('iterator did not end');
  }
  return out;
}

/** All elements of a dataset of scalar or tensor elements, as nested JS arrays, in a fresh session. */
export function elementsOf(ds: tf.data.Dataset): unknown[] {
  const next = ds.makeOneShotIterator().getNext();
  const sess = new tf.Session({ graph: ds.graph });
  return drain(sess, next as tf.Tensor, toJs);
}

/** NDArrays inside any nesting of arrays/objects → nested JS arrays / numbers. */
export function toJs(v: unknown): unknown {
  if (v instanceof tf.NDArray) return v.rank === 0 ? v.item() : v.toArray();
  if (Array.isArray(v)) return v.map(toJs);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toJs(x)]));
  }
  return v;
}
