import { LENET_DEFAULTS, run } from '../../tutorials/mnist_lenet';
import { expectSvgPlot, tempOutDir } from './helpers';

// Reduced setting: the tutorial's model, batch (50), dropout and Adam 1e-3, but 100 steps instead of
// 600 (~0.6 of a pass over the training set). Target for this reduced setting: ≥ 93 % on the full
// 1,996-image test split (measured 94.1 %; the full 600 steps reach ≥ 97 %). About a minute on 2 cores.
describe('tutorial: MNIST LeNet CNN', () => {
  test('reaches ≥ 93 % test accuracy after 100 steps', async () => {
    const r = await run({ quiet: true, steps: 100, outDir: tempOutDir() });
    expect(LENET_DEFAULTS.batch).toBe(50);
    expect(r.steps).toBe(100);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.93);
    expect(r.finalLoss).toBeLessThan(0.6);
    expectSvgPlot(r.plot, 4, [
      'training loss',
      'training batch',
      'first 500 test images',
      'all test images (end)',
    ]);
  });
});
