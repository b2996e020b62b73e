// Stand-in for TF1's tensorflow.examples.tutorials.mnist.input_data.read_data_sets: the `mnist` package's
// digits (tutorials/lib/mnist_data.ts, a fixed split) as `train`, `validation` and `test` DataSets with
// `numExamples` and `nextBatch(batchSize, fakeData)`. As TF1's default `one_hot=False`, labels are class
// indices (int32); with `oneHot` they are one-hot float rows. TF1 carves its validation set out of the
// head of the training images (5000 of 60000); here the first 1000 of the 8004 training images.
import * as tf from '../../src';
import { CLASSES, DataSet as PixelDataSet, loadMnist, PIXELS } from '../../tutorials/lib/mnist_data';

export class DataSet {
  private readonly inner: PixelDataSet;
  private readonly oneHot: boolean;
  constructor(inner: PixelDataSet, oneHot: boolean) {
    this.inner = inner;
    this.oneHot = oneHot;
  }
  get numExamples(): number {
    return this.inner.size;
  }
  /** All images [n, 784] (TF1's `data_set.images`). */
  get images(): tf.NDArray {
    return tf.ndarray(this.inner.images, [this.inner.size, PIXELS]);
  }
  /** All labels: [n] int32 class indices, or [n, 10] one-hot rows with `oneHot`. */
  get labels(): tf.NDArray {
    return this.oneHot
      ? tf.ndarray(this.inner.labels, [this.inner.size, CLASSES])
      : tf.ndarray(this.inner.classes, [this.inner.size], 'int32');
  }
  /** The next `batchSize` examples (reshuffled each epoch, as TF1's next_batch). */
  nextBatch(batchSize: number, fakeData = false): [tf.NDArray, tf.NDArray] {
    if (fakeData) throw new Error('fake_data is not supported by this stand-in');
    const { xs, ys } = this.inner.nextBatch(batchSize);
    const images = tf.ndarray(xs, [batchSize, PIXELS]);
    if (this.oneHot) return [images, tf.ndarray(ys, [batchSize, CLASSES])];
    const labels = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) {
      const row = ys.subarray(i * CLASSES, (i + 1) * CLASSES);
      labels[i] = row.indexOf(1);
    }
    return [images, tf.ndarray(labels, [batchSize], 'int32')];
  }
}

export interface DataSets {
  train: DataSet;
  validation: DataSet;
  test: DataSet;
}

const VALIDATION_SIZE = 1000;

export function readDataSets(
  _trainDir: string,
  options: { oneHot?: boolean; fakeData?: boolean } = {},
): DataSets {
  if (options.fakeData) throw new Error('fake_data is not supported by this stand-in');
  const oneHot = options.oneHot ?? false;
  const m = loadMnist();
  const all = m.train;
  const n = all.size;
  const part = (start: number, end: number, seed: number): PixelDataSet =>
    new PixelDataSet(all.images.slice(start * PIXELS, end * PIXELS), all.classes.slice(start, end), seed);
  return {
    train: new DataSet(part(VALIDATION_SIZE, n, 1), oneHot),
    validation: new DataSet(part(0, VALIDATION_SIZE, 3), oneHot),
    test: new DataSet(m.test, oneHot),
  };
}
