// The classic TF1 programs in examples/ (literal transliterations) run without workarounds and give the
// numbers computed here independently.
import { runBasicOperations } from '../../examples/basic_operations';
import { runLinearRegression, trainX, trainY } from '../../examples/linear_regression';
import { runLogisticRegression } from '../../examples/logistic_regression';

test('linear regression: per-sample SGD matches the same algorithm in plain float64 JS', () => {
  const epochs = 50;
  const r = runLinearRegression(epochs, 0.5, 0.5);
  // Independent replay: cost = Σ(Wx+b−y)²/(2n); per sample dcost/dW = (Wx+b−y)x/n, dcost/db = (Wx+b−y)/n.
  const n = trainX.length;
  let W = 0.5;
  let b = 0.5;
  for (let e = 0; e < epochs; e++) {
    for (let i = 0; i < n; i++) {
      const xi = trainX[i] as number;
      const err = W * xi + b - (trainY[i] as number);
      W -= (0.01 * err * xi) / n;
      b -= (0.01 * err) / n;
    }
  }
  const cost = trainX.reduce((s, xi, i) => s + (W * xi + b - (trainY[i] as number)) ** 2, 0) / (2 * n);
  expect(r.W).toBeCloseTo(W, 4);
  expect(r.b).toBeCloseTo(b, 4);
  expect(r.trainingCost).toBeCloseTo(cost, 5);
});

test('basic operations and TF1 docstring control flow give the documented values', () => {
  const r = runBasicOperations();
  expect(r.constantSum).toBe(5);
  expect(r.constantProduct).toBe(6);
  expect(r.fedSum).toBe(5);
  expect(r.fedProduct).toBe(6);
  expect(r.matrixProduct).toEqual([[12]]);
  expect(r.condResult).toBe(12); // 2 < 5, so x + x*y
  // (j, k) -> (j + k, j - k) ten times from (1, 2), computed here.
  let [j, k] = [1, 2];
  for (let i = 0; i < 10; i++) [j, k] = [j + k, j - k];
  expect(r.whileResult).toEqual([10, [j, k]]);
  expect(r.rowSums).toEqual([[6], [15]]);
  expect(r.columnArgmax).toEqual([1, 1, 1]);
  expect(r.uniformRange[0]).toBeGreaterThanOrEqual(-1);
  expect(r.uniformRange[0]).toBeLessThan(-0.9);
  expect(r.uniformRange[1]).toBeLessThan(1);
  expect(r.uniformRange[1]).toBeGreaterThan(0.9);
});

test('logistic regression on MNIST (reduced: 1 epoch of 40 batches) learns', () => {
  const r = runLogisticRegression(1, 40);
  // With zero weights every class has probability 1/10, so the first batch costs ln 10 exactly.
  expect(r.firstCost).toBeLessThan(Math.log(10));
  expect(r.accuracy).toBeGreaterThan(0.7);
});
