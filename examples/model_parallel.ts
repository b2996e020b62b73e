// Model parallelism as TF1 users wrote it: one graph, its layers pinned to different devices with
// `tf.device`. The first layer of an MNIST MLP (784-256, ReLU) runs on '/cpu:0', the second (256-10 and
// the loss) on '/cpu:1'; the Session moves the hidden activations from one device to the other (and
// their gradient back), and `logDevicePlacement: true` prints where every op runs.
//
// TF1 programs pinned layers to '/gpu:0' and '/gpu:1'. In tensorgraph '/cpu:1', '/cpu:2', … are CPU
// executors on worker threads and '/cpu:0' the calling thread (SPEC §9), so the same program splits a
// model across CPU cores. Variables are made with tf.Variable inside the device scope, as in TF1, and
// live with the session's state on '/cpu:0' (tensorgraph keeps stateful ops there and sends their
// values to the device that reads them; the placement log says so).
//
// Run it:  npx ts-node --transpile-only examples/model_parallel.ts [steps]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';

export const IMAGE_PIXELS = 784;
export const NUM_CLASSES = 10;

/** The graph of the MLP; `devices` null builds the same model without any `tf.device`. */
export interface SplitMlp {
  graph: tf.Graph;
  x: tf.Tensor;
  y_: tf.Tensor;
  logits: tf.Tensor;
  crossEntropy: tf.Tensor;
  /** [gradient, variable] pairs of the cross entropy (hidden1/weights, hidden1/biases, softmax_linear/…). */
  gradsAndVars: tf.train.GradAndVar[];
  trainOp: tf.Operation;
  accuracy: tf.Tensor;
  init: tf.Operation;
}

/**
 * Builds the MLP with layer 1 on `devices[0]` and layer 2 (and the loss) on `devices[1]`, or on no
 * device at all when `devices` is null. `seed` fixes the initial weights (the same in both forms).
 */
export function buildMlp(
  devices: [string, string] | null = ['/cpu:0', '/cpu:1'],
  { hiddenUnits = 256, learningRate = 0.5, seed = 17 } = {},
): SplitMlp {
  const graph = new tf.Graph();
  const onDevice = <T>(i: 0 | 1, fn: () => T): T => (devices ? tf.device(devices[i], fn) : fn());
  return graph.asDefault(() => {
    tf.setRandomSeed(seed);
    const x = tf.placeholder(tf.float32, [null, IMAGE_PIXELS], 'x');
    const y_ = tf.placeholder(tf.float32, [null, NUM_CLASSES], 'y_');

    // Layer 1 on the first device.
    const hidden1 = onDevice(0, () =>
      tf.nameScope('hidden1', () => {
        const weights = new tf.Variable(tf.truncatedNormal([IMAGE_PIXELS, hiddenUnits], { stddev: 0.1 }), {
          name: 'weights',
        });
        const biases = new tf.Variable(tf.constant(0.1, tf.float32, [hiddenUnits]), { name: 'biases' });
        return tf.nn.relu(tf.add(tf.matmul(x, weights), biases));
      }),
    );

    // Layer 2 and the loss on the second device: hidden1 crosses devices here.
    const { logits, crossEntropy } = onDevice(1, () => {
      const logits = tf.nameScope('softmax_linear', () => {
        const weights = new tf.Variable(tf.truncatedNormal([hiddenUnits, NUM_CLASSES], { stddev: 0.1 }), {
          name: 'weights',
        });
        const biases = new tf.Variable(tf.constant(0.1, tf.float32, [NUM_CLASSES]), { name: 'biases' });
        return tf.add(tf.matmul(hidden1, weights), biases);
      });
      const crossEntropy = tf.reduceMean(
        tf.nn.softmaxCrossEntropyWithLogits({ labels: y_, logits }),
        undefined,
        'cross_entropy',
      );
      return { logits, crossEntropy };
    });

    // Without a device scope, TF1 would put the whole backward pass on the default device;
    // colocate_gradients_with_ops=True puts each layer's gradient ops on the device of its forward ops.
    const opt = new tf.train.GradientDescentOptimizer(learningRate);
    const gradsAndVars = opt.computeGradients(crossEntropy, { colocateGradientsWithOps: true });
    const trainOp = opt.applyGradients(gradsAndVars);
    const correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1));
    const accuracy = tf.reduceMean(tf.cast(correct, tf.float32));
    return {
      graph,
      x,
      y_,
      logits,
      crossEntropy,
      gradsAndVars,
      trainOp,
      accuracy,
      init: tf.globalVariablesInitializer(),
    };
  });
}

export interface ModelParallelResult {
  losses: number[];
  testAccuracy: number;
}

/** Trains the split MLP for `steps` steps of `batchSize` images with the placement log on. */
export function runModelParallel(steps = 200, batchSize = 100): ModelParallelResult {
  const mnist = loadMnist();
  const m = buildMlp();
  // TF1: tf.Session(config=tf.ConfigProto(log_device_placement=True)): one line per op, on first run.
  const sess = new tf.Session({ graph: m.graph, logDevicePlacement: true });
  sess.run(m.init);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { xs, ys } = mnist.train.nextBatch(batchSize);
    const [, loss] = sess.run(
      [m.trainOp, m.crossEntropy],
      [
        [m.x, tf.ndarray(xs, [batchSize, IMAGE_PIXELS])],
        [m.y_, tf.ndarray(ys, [batchSize, NUM_CLASSES])],
      ],
    );
    losses.push(loss?.item() as number);
  }
  const test = mnist.test.slice(0, mnist.test.size);
  const testAccuracy = sess
    .run(m.accuracy, [
      [m.x, tf.ndarray(test.xs, [test.n, IMAGE_PIXELS])],
      [m.y_, tf.ndarray(test.ys, [test.n, NUM_CLASSES])],
    ])
    .item() as number;
  sess.close();
  return { losses, testAccuracy };
}

if (require.main === module) {
  const r = runModelParallel(Number(process.argv[2] ?? 200));
  console.log(
    `loss ${(r.losses[0] as number).toFixed(3)} -> ${(r.losses[r.losses.length - 1] as number).toFixed(3)}, test accuracy ${r.testAccuracy.toFixed(4)}`,
  );
}
