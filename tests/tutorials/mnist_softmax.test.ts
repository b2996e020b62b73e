import { run } from '../../tutorials/mnist_softmax';
import { expectSvgPlot, tempOutDir } from './helpers';

// The full tutorial setting (lr 0.5, batch 100, 1000 steps): a few seconds on the CPU.
describe('tutorial: MNIST softmax regression', () => {
  test('reaches ≥ 88 % test accuracy on the fixed split', async () => {
    const r = await run({ quiet: true, outDir: tempOutDir() });
    expect(r.steps).toBe(1000);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.88);
    expect(r.trainAccuracy).toBeGreaterThanOrEqual(0.88);
    expect(r.finalLoss).toBeLessThan(0.5);
    expectSvgPlot(r.plot, 2, ['training loss', 'test accuracy']);
  });
});
