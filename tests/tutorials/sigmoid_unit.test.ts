import { run } from '../../tutorials/sigmoid_unit';
import { expectSvgPlot, tempOutDir } from './helpers';

describe('tutorial: sigmoid unit', () => {
  test('the hand-derived rule and tf.gradients give the same updates, and the unit learns', async () => {
    const r = await run({ quiet: true, outDir: tempOutDir() });
    // Same update at every one of the 2000 steps, up to float32 rounding (updates are up to ~0.15).
    expect(r.maxUpdate).toBeGreaterThan(0.01);
    expect(r.maxUpdateDifference).toBeLessThan(1e-5);
    expect(r.finalWeightDifference).toBeLessThan(1e-4);
    // Target: the unit separates the data set.
    expect(r.accuracy).toBeGreaterThanOrEqual(0.98);
    expect(r.finalLoss).toBeLessThan(r.initialLoss / 4);
    expectSvgPlot(r.plot, 3, ['hand rule', 'tf.gradients', 'accuracy']);
  });
});
