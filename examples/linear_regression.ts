// Classic TF1 linear regression (the widely copied "TensorFlow-Examples" linear_regression.py), written
// line by line: placeholders X and Y, Variables W and b, pred = X*W + b, cost = Σ(pred−Y)²/(2n),
// GradientDescentOptimizer(0.01), one update per sample per epoch.
//
// Run it:  npx ts-node --transpile-only examples/linear_regression.ts [epochs]
import * as tf from '../src';

// The program's own data (17 points).
export const trainX = [
  3.3, 4.4, 5.5, 6.71, 6.93, 4.168, 9.779, 6.182, 7.59, 2.167, 7.042, 10.791, 5.313, 7.997, 5.654, 9.27, 3.1,
];
export const trainY = [
  1.7, 2.76, 2.09, 3.19, 1.694, 1.573, 3.366, 2.596, 2.53, 1.221, 2.827, 3.465, 1.65, 2.904, 2.42, 2.94, 1.3,
];

export interface LinearRegressionResult {
  W: number;
  b: number;
  trainingCost: number;
}

/** Trains from W = W0, b = b0 (the original draws them with rng.randn(); fixed here for tests). */
export function runLinearRegression(trainingEpochs = 1000, W0 = 0.5, b0 = 0.5): LinearRegressionResult {
  tf.resetDefaultGraph();
  const learningRate = 0.01;
  const nSamples = trainX.length;

  // tf Graph Input
  const X = tf.placeholder('float');
  const Y = tf.placeholder('float');

  // Set model weights
  const W = new tf.Variable(W0, { name: 'weight' });
  const b = new tf.Variable(b0, { name: 'bias' });

  // Construct a linear model
  const pred = tf.add(tf.multiply(X, W), b);

  // Mean squared error
  const cost = tf.divide(tf.reduceSum(tf.pow(tf.subtract(pred, Y), 2)), 2 * nSamples);
  // Gradient descent
  const optimizer = new tf.train.GradientDescentOptimizer(learningRate).minimize(cost);

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const sess = new tf.Session();
  sess.run(init);
  for (let epoch = 0; epoch < trainingEpochs; epoch++) {
    for (let i = 0; i < nSamples; i++) {
      sess.run(optimizer, { [X.name]: trainX[i] as number, [Y.name]: trainY[i] as number });
    }
  }
  const trainingCost = sess
    .run(cost, [
      [X, trainX],
      [Y, trainY],
    ])
    .item() as number;
  const result = { W: sess.run(W).item() as number, b: sess.run(b).item() as number, trainingCost };
  sess.close();
  return result;
}

if (require.main === module) {
  const epochs = Number(process.argv[2] ?? 1000);
  const r = runLinearRegression(epochs);
  console.log(`Training cost= ${r.trainingCost.toFixed(9)} W= ${r.W.toFixed(6)} b= ${r.b.toFixed(6)}`);
}
