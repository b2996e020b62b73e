import { run } from '../../tutorials/mnist_towers';
import * as tf from '../../src';

// Reduced setting: 32 hidden units, 200 steps of 60 images (split over the towers); the full tutorial
// trains 256 hidden units for 600 steps of 120.
describe('tutorial: MNIST MLP with 1, 2 and N towers', () => {
  test('trains every tower count to the same accuracy and prints the table', async () => {
    const lines: string[] = [];
    const r = await run({ steps: 200, batch: 60, hidden: 32, outDir: null, log: (l) => lines.push(l) });
    const probe = new tf.Session({ graph: new tf.Graph() });
    const devices = probe.listDevices().filter((d) => d.deviceType === 'CPU').length;
    probe.close();
    expect(r.devices).toBe(devices);
    const counts = [...new Set([1, 2, devices])].sort((a, b) => a - b);
    expect(r.towers).toEqual(counts);
    expect(r.steps).toBe(200);
    expect(r.batch).toBe(60);
    for (const row of r.rows) {
      // An untrained model is at ~10 %; 200 Adam steps reach 88.1 % (loss 0.46).
      expect(row.testAccuracy).toBeGreaterThan(0.85);
      expect(row.finalLoss).toBeLessThan(0.6); // ln 10 = 2.3 untrained
      expect(row.stepsPerSec).toBeGreaterThan(0);
      expect(row.examplesPerSec).toBeCloseTo(row.stepsPerSec * 60, 6);
      // The towers compute the whole batch's gradient: the same training, to float32 rounding.
      expect(Math.abs(row.testAccuracy - (r.rows[0]?.testAccuracy as number))).toBeLessThan(0.01);
    }
    // The printed table: a header and one row per tower count.
    const text = lines.join('\n');
    expect(text).toContain('towers | images/tower | steps/s | images/s | test accuracy');
    for (const row of r.rows) {
      const pct = `${(row.testAccuracy * 100).toFixed(2)} %`;
      const re = new RegExp(
        `^ +${row.towers} \\| +${60 / row.towers} \\| +[\\d.]+ \\| +\\d+ \\| +${pct.replace('.', '\\.')}$`,
        'm',
      );
      expect(text).toMatch(re);
    }
  }, 120_000);

  test('rejects a batch that does not split evenly over the towers', async () => {
    await expect(run({ steps: 1, batch: 10, towers: [1, 3], quiet: true })).rejects.toThrow(
      /a batch of 10 does not split into 3 equal towers/,
    );
  });
});
